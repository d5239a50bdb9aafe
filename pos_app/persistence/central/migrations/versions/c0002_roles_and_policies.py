"""Roles and row-level security.

- ``lapak_head_office`` (NOLOGIN; grant it to head office's own login roles) reads everything.
- ``lapak_device`` (NOLOGIN) is the group of every booth's login role: it may INSERT rows whose
  ``device_id`` is the one ``device_role`` maps ``current_user`` to, SELECT the catalog and its
  own rows, and nothing else: no UPDATE or DELETE grant, and no policy for them either.
- RLS is enabled and FORCED on every synced table, so even the owner goes through the
  policies (a superuser or a BYPASSRLS role still bypasses them: booths never get either).
  ``device_role`` and ``sync_quarantine`` are head office's own bookkeeping: RLS is enabled
  (booths see only their own rows) but not forced, so the owner running ``central`` commands
  manages them.

Roles are cluster-wide, so they are created only when missing; grants and policies belong to
this database.

Revision ID: c0002
Revises: c0001
Create Date: 2026-05-01
"""

from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None

HEAD_OFFICE = "lapak_head_office"
DEVICE = "lapak_device"
SYNCED = ("event", "device", "facility", "category", "product", "user", "sale", "sale_line",
          "payment", "stock_movement", "print_job", "shift", "shift_event", "approval",
          "approval_use", "audit_event", "stock_document", "stock_count_line",
          "stock_count_step", "payment_match")
CATALOG = ("facility", "category", "product", "event")  # every booth may read these
OWN_DEVICE = ("(SELECT r.device_id FROM device_role r"
              " WHERE r.role_name = current_user AND r.revoked_at IS NULL)")


def _create_role(name: str) -> None:
    op.execute(f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN
                CREATE ROLE {name} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
                    NOBYPASSRLS NOREPLICATION;
            END IF;
        END
        $$""")


def _lock(table: str, *, force: bool = True) -> None:
    op.execute(f'REVOKE ALL ON "{table}" FROM PUBLIC')
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    if force:
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(f'GRANT SELECT ON "{table}" TO {HEAD_OFFICE}')
    op.execute(f'CREATE POLICY head_office_read ON "{table}" FOR SELECT TO {HEAD_OFFICE}'
               " USING (true)")


def upgrade() -> None:
    _create_role(HEAD_OFFICE)
    _create_role(DEVICE)
    for table in SYNCED:
        _lock(table)
        op.execute(f'GRANT SELECT, INSERT ON "{table}" TO {DEVICE}')
        op.execute(f'CREATE POLICY device_insert ON "{table}" FOR INSERT TO {DEVICE}'
                   f" WITH CHECK (device_id = {OWN_DEVICE})")
        seen = "true" if table in CATALOG else f"device_id = {OWN_DEVICE}"
        op.execute(f'CREATE POLICY device_read ON "{table}" FOR SELECT TO {DEVICE}'
                   f" USING ({seen})")

    _lock("device_role", force=False)
    op.execute(f"GRANT SELECT ON device_role TO {DEVICE}")
    op.execute(f"CREATE POLICY device_read ON device_role FOR SELECT TO {DEVICE}"
               " USING (role_name = current_user)")

    _lock("sync_quarantine", force=False)
    op.execute(f"GRANT SELECT, INSERT ON sync_quarantine TO {DEVICE}")
    op.execute(f"CREATE POLICY device_insert ON sync_quarantine FOR INSERT TO {DEVICE}"
               f" WITH CHECK (device_id = {OWN_DEVICE})")
    op.execute(f"CREATE POLICY device_read ON sync_quarantine FOR SELECT TO {DEVICE}"
               f" USING (device_id = {OWN_DEVICE})")


def downgrade() -> None:
    for table in (*SYNCED, "device_role", "sync_quarantine"):
        for policy in ("head_office_read", "device_insert", "device_read"):
            op.execute(f'DROP POLICY IF EXISTS {policy} ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        op.execute(f'REVOKE ALL ON "{table}" FROM {HEAD_OFFICE}, {DEVICE}')
