"""A declared restore starts a new branch of a booth's journal.

A booth that restores an older backup of itself (its head back at #k) after pushing events
up to #M > k writes, right after the restore, a ``backup.restore`` event at #k+1 linked to
the restored head. Its chain no longer extends the head central holds (c0008), so that
event, and every one after it, would be refused for ever.

``audit_event`` and ``journal_anchor`` get a ``branch`` (0 for every event held before):
an event is unique by ``(device_id, branch, chain_index)``. The trigger now decides the
branch of every event, whatever was sent:

* an event already there (its device and id): the branch it has (a retry);
* no head held yet: branch 0, as before;
* an event that extends the held head (``chain_index`` + 1, ``prev_hash`` the held hash):
  the held branch, as before (a ``backup.restore`` that extends the head is ordinary);
* a ``backup.restore`` event that does not extend it, linked to an event of this device
  central holds at ``chain_index`` - 1 (any branch), or at #1 to the empty journal's
  ``GENESIS``: a new branch (the held one + 1) and the held head moves to it. Nothing is
  deleted: the branch cut off stays, head office sees both and the restore event between;
* anything else is refused as before (``check_violation``).

A booth cannot fork its journal silently: only a ``backup.restore`` event, which stays in
the journal central holds, starts a branch, and only from a point central already holds.

Revision ID: c0010
Revises: c0009
Create Date: 2026-12-07
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "c0010"
down_revision = "c0009"
branch_labels = None
depends_on = None

RESTORE = "backup.restore"  # the booth's action (pos_app/services/setup)
GENESIS = "0" * 64  # pos_app.services.access.audit.GENESIS: the empty journal's head

EXTENDS = """
CREATE OR REPLACE FUNCTION lapak_journal_extends() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    held_index bigint;
    held_hash text;
    held_branch integer;
    was integer;
BEGIN
    -- the device's held head, locked until COMMIT: one writer of a device's chain at a time
    SELECT chain_index, hash, branch INTO held_index, held_hash, held_branch
        FROM journal_anchor WHERE device_id = NEW.device_id FOR UPDATE;
    SELECT branch INTO was FROM audit_event WHERE device_id = NEW.device_id AND id = NEW.id;
    IF FOUND THEN
        NEW.branch := was;
        RETURN NEW;  -- sent before: ON CONFLICT (device_id, id) and the sender's comparison decide
    END IF;
    IF held_index IS NULL THEN
        NEW.branch := 0;
        INSERT INTO journal_anchor (device_id, chain_index, hash, branch)
            VALUES (NEW.device_id, NEW.chain_index, NEW.hash, 0)
            ON CONFLICT (device_id) DO NOTHING;
        RETURN NEW;  -- a booth new to central starts the chain central holds for it
    END IF;
    IF NEW.chain_index = held_index + 1 AND NEW.prev_hash = held_hash THEN
        NEW.branch := held_branch;
    ELSIF NEW.action = '{restore}' AND (
            (NEW.chain_index = 1 AND NEW.prev_hash = '{genesis}')
            OR EXISTS (SELECT 1 FROM audit_event e WHERE e.device_id = NEW.device_id
                        AND e.chain_index = NEW.chain_index - 1 AND e.hash = NEW.prev_hash))
    THEN
        NEW.branch := held_branch + 1;  -- a declared restore: a new branch from a held event
    ELSE
        RAISE EXCEPTION 'journal event #% does not extend the chain central holds '
            '(head #%): the journal was re-written or cut', NEW.chain_index, held_index
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE journal_anchor SET chain_index = NEW.chain_index, hash = NEW.hash,
        branch = NEW.branch, updated_at = now() WHERE device_id = NEW.device_id;
    RETURN NEW;
END
$fn$
"""


def _schema() -> str:
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    return '"' + schema.replace('"', '""') + '"'


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("branch", sa.Integer(), nullable=False,
                                           server_default="0"))
    op.add_column("journal_anchor", sa.Column("branch", sa.Integer(), nullable=False,
                                              server_default="0"))
    op.execute("ALTER TABLE audit_event DROP CONSTRAINT uq_audit_event_chain,"
               " ADD CONSTRAINT uq_audit_event_chain UNIQUE (device_id, branch, chain_index)")
    op.execute(EXTENDS.replace("{schema}", _schema()).replace("{restore}", RESTORE)
               .replace("{genesis}", GENESIS))


def downgrade() -> None:
    op.execute("""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM audit_event WHERE branch <> 0) THEN
            RAISE EXCEPTION 'a booth''s journal has a branch: cannot go back before c0010';
        END IF; END $$""")
    spec = importlib.util.spec_from_file_location(
        "lapak_c0008", Path(__file__).with_name("c0008_c_journal_anchor.py"))
    c0008 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(c0008)
    op.execute(c0008.EXTENDS.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
               .replace("{schema}", _schema()))
    op.execute("ALTER TABLE audit_event DROP CONSTRAINT uq_audit_event_chain,"
               " ADD CONSTRAINT uq_audit_event_chain UNIQUE (device_id, chain_index)")
    op.drop_column("journal_anchor", "branch")
    op.drop_column("audit_event", "branch")
