"""``journal_anchor``: the newest journal head central holds per device; a journal event that
does not extend it is refused.

A trigger on ``audit_event`` accepts a device's event only if it extends the chain central
holds for that device (its ``chain_index`` is the held one + 1 and its ``prev_hash`` the held
hash), or if central holds none for the device yet (a booth new to central). An event sent
again (its device and id are already there: a retry) is left to ``ON CONFLICT`` and the
push's comparison. A refusal is a ``check_violation``, so the push and the bundle import quarantine
that record (and the ones after it) and report it: a booth whose journal was re-written or
cut cannot push the new chain. The held head is readable by its own device and by head
office, written only by the trigger (``SECURITY DEFINER``: it runs as the owner, who is given
a read policy on ``audit_event`` for it).

Revision ID: c0008
Revises: c0007
Create Date: 2026-12-06
"""

from alembic import op

revision = "c0008"
down_revision = "c0007"
branch_labels = None
depends_on = None

HEAD_OFFICE = "lapak_head_office"
DEVICE = "lapak_device"
OWN_DEVICE = ("(SELECT r.device_id FROM device_role r"
              " WHERE r.role_name = current_user AND r.revoked_at IS NULL)")

EXTENDS = """
CREATE FUNCTION lapak_journal_extends() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    held_index bigint;
    held_hash text;
BEGIN
    -- the device's held head, locked until COMMIT: one writer of a device's chain at a time
    SELECT chain_index, hash INTO held_index, held_hash FROM journal_anchor
        WHERE device_id = NEW.device_id FOR UPDATE;
    IF EXISTS (SELECT 1 FROM audit_event WHERE device_id = NEW.device_id AND id = NEW.id) THEN
        RETURN NEW;  -- sent before: ON CONFLICT (device_id, id) and the sender's comparison decide
    END IF;
    IF held_index IS NULL THEN
        INSERT INTO journal_anchor (device_id, chain_index, hash)
            VALUES (NEW.device_id, NEW.chain_index, NEW.hash)
            ON CONFLICT (device_id) DO NOTHING;
        RETURN NEW;  -- a booth new to central starts the chain central holds for it
    END IF;
    IF NEW.chain_index <> held_index + 1 OR NEW.prev_hash <> held_hash THEN
        RAISE EXCEPTION 'journal event #% does not extend the chain central holds '
            '(head #%): the journal was re-written or cut', NEW.chain_index, held_index
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE journal_anchor SET chain_index = NEW.chain_index, hash = NEW.hash,
        updated_at = now() WHERE device_id = NEW.device_id;
    RETURN NEW;
END
$fn$
"""


def upgrade() -> None:
    op.execute("CREATE TABLE journal_anchor ("
               " device_id uuid PRIMARY KEY,"
               " chain_index bigint NOT NULL CHECK (chain_index >= 1),"
               " hash varchar(64) NOT NULL,"
               " updated_at timestamptz NOT NULL DEFAULT now())")
    op.execute("REVOKE ALL ON journal_anchor FROM PUBLIC")
    op.execute("ALTER TABLE journal_anchor ENABLE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON journal_anchor TO {HEAD_OFFICE}, {DEVICE}")
    op.execute(f"CREATE POLICY head_office_read ON journal_anchor FOR SELECT TO {HEAD_OFFICE}"
               " USING (true)")
    op.execute(f"CREATE POLICY device_read ON journal_anchor FOR SELECT TO {DEVICE}"
               f" USING (device_id = {OWN_DEVICE})")
    # the owner (who runs the trigger) reads every chain, despite FORCE ROW LEVEL SECURITY
    op.execute("""DO $$ BEGIN EXECUTE format(
        'CREATE POLICY journal_check ON audit_event FOR SELECT TO %I USING (true)',
        current_user); END $$""")
    op.execute("INSERT INTO journal_anchor (device_id, chain_index, hash)"
               " SELECT DISTINCT ON (device_id) device_id, chain_index, hash FROM audit_event"
               " ORDER BY device_id, chain_index DESC")
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    op.execute(EXTENDS.replace("{schema}", '"' + schema.replace('"', '""') + '"'))
    op.execute("REVOKE ALL ON FUNCTION lapak_journal_extends() FROM PUBLIC")
    op.execute("CREATE TRIGGER journal_extends BEFORE INSERT ON audit_event"
               " FOR EACH ROW EXECUTE FUNCTION lapak_journal_extends()")


def downgrade() -> None:
    op.execute("DROP TRIGGER journal_extends ON audit_event")
    op.execute("DROP FUNCTION lapak_journal_extends()")
    op.execute("DROP POLICY journal_check ON audit_event")
    op.execute("DROP TABLE journal_anchor")
