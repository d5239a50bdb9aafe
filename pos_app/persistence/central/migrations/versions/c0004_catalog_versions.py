"""The shared catalog: booths send catalog *versions*; the current catalog follows them.

The catalog (facility with its settlement percentages, category, product) is the one
mutable thing, and a booth may neither UPDATE nor DELETE centrally. So a booth's change
goes up as a new row of ``catalog_version`` (append-only, the booth's own ``device_id``,
id = uuid5 of table, row, revision and device: a re-send is the same id) and a trigger that
runs as the schema's owner applies it to the current tables ``facility``/``category``/
``product`` by one rule, last writer wins by revision:

* a version whose revision is higher than the current row's (or of a row not there yet)
  becomes current, with the next ``central_seq`` (the cursor booths pull by);
* a version of the same or a lower revision changes nothing: on a tie the copy that
  reached head office first stays. The version is kept all the same, as history.

No clock takes part: a booth whose clock is a year wrong wins or loses exactly as it would
with the right time. Versions are applied one at a time until COMMIT (an advisory lock), so
``central_seq`` follows commit order and a pull never skips a change committed late. A
version may not move a revision by more than ``MAX_JUMP`` (a booth cannot make its change
unbeatable), and the creator's ``device_id``/``seq``/``created_at`` of a row stay its own.
The trigger's ``search_path`` is pinned (a session's temporary table cannot stand in for a
catalog table). Settlement percentages must be all zero or add up to 100 % centrally.
Head office's readers no longer see the booths' bundle keys.

The catalog is one for everybody, so its business keys (facility and category codes, SKU,
barcode) are unique centrally, no longer per device; a version that would break one is
refused and quarantined by the booth's push like any rejected record.

Revision ID: c0004
Revises: c0003
Create Date: 2026-05-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c0004"
down_revision = "c0003"
branch_labels = None
depends_on = None

HEAD_OFFICE = "lapak_head_office"
DEVICE = "lapak_device"
CATALOG = ("facility", "category", "product")
OWN_DEVICE = ("(SELECT r.device_id FROM device_role r"
              " WHERE r.role_name = current_user AND r.revoked_at IS NULL)")
UNIQUE = {  # old per-device name -> (new name, columns)
    "facility": [("uq_facility_device_code", "uq_facility_code", ["code"])],
    "category": [("uq_category_device_code", "uq_category_code", ["code"])],
    "product": [("uq_product_device_sku", "uq_product_sku", ["sku"]),
                ("uq_product_device_barcode", "uq_product_barcode", ["barcode"])],
}

MAX_JUMP = 1000  # how far one version may move a row's revision (edits between two syncs)
MAX_REVISION = 10**12  # far below BIGINT: a booth adding 1 never overflows

APPLY = """
CREATE FUNCTION lapak_apply_catalog_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    current_revision bigint;
    creator uuid;
    creator_seq bigint;
    born timestamptz;
BEGIN
    -- One catalog change at a time, until COMMIT: central_seq is then handed out in commit
    -- order, so a booth's pull cursor can never pass a change that is still being written.
    PERFORM pg_advisory_xact_lock(hashtextextended('lapak_catalog_version', 0));
    EXECUTE format('SELECT revision, device_id, seq, created_at FROM %I WHERE id = $1',
                   NEW.table_name)
        INTO current_revision, creator, creator_seq, born USING NEW.row_id;
    IF NEW.revision > coalesce(current_revision, 0) + {max_jump} THEN
        RAISE EXCEPTION 'catalog revision % is more than {max_jump} past %', NEW.revision,
            coalesce(current_revision, 0) USING ERRCODE = 'check_violation';
    END IF;
    IF current_revision IS NOT NULL AND current_revision >= NEW.revision THEN
        RETURN NULL;  -- the same or a newer revision is current: history only
    END IF;
    EXECUTE format('DELETE FROM %I WHERE id = $1', NEW.table_name) USING NEW.row_id;
    -- The payload gives the row's values; who made the row (device, its sequence, when) is
    -- the creator's and stays: a new row's creator is the device sending it.
    EXECUTE format('INSERT INTO %1$I SELECT * FROM jsonb_populate_record(NULL::%1$I, $1)',
                   NEW.table_name)
        USING NEW.payload || jsonb_build_object(
            'id', NEW.row_id, 'revision', NEW.revision,
            'central_seq', nextval('catalog_seq'), 'version_id', NEW.id,
            'device_id', coalesce(creator, NEW.device_id),
            'seq', CASE WHEN creator IS NULL THEN NEW.payload->'seq' ELSE to_jsonb(creator_seq) END,
            'created_at', CASE WHEN creator IS NULL
                THEN coalesce(NEW.payload->'created_at', to_jsonb(NEW.created_at))
                ELSE to_jsonb(born) END);
    RETURN NULL;
END
$fn$
"""
SHARES = ("pnbp_bp >= 0 AND premi_bp >= 0 AND modal_bp >= 0 AND program_bp >= 0 AND"
          " pnbp_bp + premi_bp + modal_bp + program_bp IN (0, 10000)")
HEAD_OFFICE_SEES = ("device_id", "code", "role_name", "enrolled_at", "enrolled_by",
                    "revoked_at")  # not bundle_key: whoever holds it can sign for the booth


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("table_name", sa.String(length=16), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("now()")),
        sa.CheckConstraint("table_name IN ('facility','category','product')",
                           name="ck_catalog_version_table"),
        sa.CheckConstraint(f"revision BETWEEN 1 AND {MAX_REVISION}",
                           name="ck_catalog_version_revision"),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_version"),
    )
    op.create_index("ix_catalog_version_row", "catalog_version", ["table_name", "row_id"])
    op.create_index("ix_catalog_version_device_id_seq", "catalog_version", ["device_id", "seq"])
    op.execute("CREATE SEQUENCE catalog_seq")
    for table in CATALOG:
        op.add_column(table, sa.Column("central_seq", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("version_id", sa.Uuid(), nullable=True))
        op.create_index(f"ix_{table}_central_seq", table, ["central_seq"])
        for old, new, cols in UNIQUE[table]:
            op.drop_constraint(old, table, type_="unique")
            op.create_unique_constraint(new, table, cols)
        # booths write the catalog through catalog_version only
        op.execute(f'DROP POLICY device_insert ON "{table}"')
        op.execute(f'REVOKE INSERT ON "{table}" FROM {DEVICE}')
        # the trigger runs as the owner, and RLS is forced on the owner too
        op.execute(f"""DO $$ BEGIN EXECUTE format(
            'CREATE POLICY catalog_apply ON {table} TO %I USING (true) WITH CHECK (true)',
            current_user); END $$""")
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    op.execute(APPLY.replace("{schema}", '"' + schema.replace('"', '""') + '"')
               .replace("{max_jump}", str(MAX_JUMP)))
    op.create_check_constraint("ck_facility_shares", "facility", SHARES)
    op.execute(f"REVOKE SELECT ON device_role FROM {HEAD_OFFICE}")
    op.execute(f"GRANT SELECT ({', '.join(HEAD_OFFICE_SEES)}) ON device_role TO {HEAD_OFFICE}")
    op.execute("CREATE TRIGGER catalog_version_apply AFTER INSERT ON catalog_version"
               " FOR EACH ROW EXECUTE FUNCTION lapak_apply_catalog_version()")
    op.execute("REVOKE ALL ON FUNCTION lapak_apply_catalog_version() FROM PUBLIC")

    op.execute("REVOKE ALL ON catalog_version FROM PUBLIC")
    op.execute("ALTER TABLE catalog_version ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE catalog_version FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON catalog_version TO {HEAD_OFFICE}")
    op.execute(f"CREATE POLICY head_office_read ON catalog_version FOR SELECT TO {HEAD_OFFICE}"
               " USING (true)")
    op.execute(f"GRANT SELECT, INSERT ON catalog_version TO {DEVICE}")
    op.execute(f"CREATE POLICY device_insert ON catalog_version FOR INSERT TO {DEVICE}"
               f" WITH CHECK (device_id = {OWN_DEVICE})")
    op.execute(f"CREATE POLICY device_read ON catalog_version FOR SELECT TO {DEVICE}"
               f" USING (device_id = {OWN_DEVICE})")
    op.execute("""DO $$ BEGIN EXECUTE format(
        'CREATE POLICY owner_all ON catalog_version TO %I USING (true) WITH CHECK (true)',
        current_user); END $$""")


def downgrade() -> None:
    op.execute(f"REVOKE SELECT ON device_role FROM {HEAD_OFFICE}")
    op.execute(f"GRANT SELECT ON device_role TO {HEAD_OFFICE}")
    op.drop_constraint("ck_facility_shares", "facility", type_="check")
    op.execute("DROP TRIGGER catalog_version_apply ON catalog_version")
    op.execute("DROP FUNCTION lapak_apply_catalog_version()")
    op.drop_table("catalog_version")
    for table in CATALOG:
        op.execute(f'DROP POLICY catalog_apply ON "{table}"')
        op.execute(f'GRANT INSERT ON "{table}" TO {DEVICE}')
        op.execute(f'CREATE POLICY device_insert ON "{table}" FOR INSERT TO {DEVICE}'
                   f" WITH CHECK (device_id = {OWN_DEVICE})")
        for old, new, cols in UNIQUE[table]:
            op.drop_constraint(new, table, type_="unique")
            op.create_unique_constraint(old, table, ["device_id", *cols])
        op.drop_index(f"ix_{table}_central_seq", table)
        op.drop_column(table, "version_id")
        op.drop_column(table, "central_seq")
    op.execute("DROP SEQUENCE catalog_seq")
