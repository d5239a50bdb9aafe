"""Limits that keep head office up when one booth misbehaves.

- Every booth's login role (not revoked) gets a ``CONNECTION LIMIT`` and its own defaults
  for ``statement_timeout``, ``lock_timeout`` and ``idle_in_transaction_session_timeout``
  (``central add-device`` sets the same on new roles: ``adapters/central/roles.py``).
- The catalog trigger waits for the catalog's advisory lock at most ``CATALOG_LOCK_WAIT``:
  a booth (or anything) holding it makes the others fail fast ("busy", retried later)
  instead of hanging, whatever their session says.
- Catalog versions and quarantined payloads are refused over ``MAX_PAYLOAD_BYTES`` (their
  JSON text). ``NOT VALID``: rows already there are not re-checked; new ones are.

Role settings are cluster-wide defaults; a session may still change its own (PostgreSQL
lets any login do so), so these bound an honest booth's mistakes and a stuck session, and
the connection limit (which a role cannot change) bounds a rogue one.

Revision ID: c0005
Revises: c0004
Create Date: 2026-05-04
"""

from alembic import op

revision = "c0005"
down_revision = "c0004"
branch_labels = None
depends_on = None

CONNECTION_LIMIT = 4
SETTINGS = {"statement_timeout": "120s", "lock_timeout": "10s",
            "idle_in_transaction_session_timeout": "120s"}
CATALOG_LOCK_WAIT = "5s"
MAX_PAYLOAD_BYTES = 256 * 1024
SIZED = (("catalog_version", "payload"), ("sync_quarantine", "received"),
         ("sync_quarantine", "stored"))


def _each_device_role(statement: str) -> None:
    """``statement`` (a format() string, %I the role name) for every booth role not revoked."""
    op.execute(f"""DO $$ DECLARE r text; BEGIN
        FOR r IN SELECT d.role_name FROM device_role d JOIN pg_roles p ON p.rolname = d.role_name
                 WHERE d.revoked_at IS NULL LOOP
            EXECUTE format('{statement}', r);
        END LOOP; END $$""")


def upgrade() -> None:
    _each_device_role(f"ALTER ROLE %I CONNECTION LIMIT {CONNECTION_LIMIT}")
    for name, value in SETTINGS.items():
        _each_device_role(f"ALTER ROLE %I SET {name} = ''{value}''")
    op.execute("ALTER FUNCTION lapak_apply_catalog_version()"
               f" SET lock_timeout = '{CATALOG_LOCK_WAIT}'")
    for table, column in SIZED:
        op.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT ck_{table}_{column}_size'
                   f" CHECK (octet_length({column}::text) <= {MAX_PAYLOAD_BYTES}) NOT VALID")


def downgrade() -> None:
    for table, column in SIZED:
        op.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT ck_{table}_{column}_size')
    op.execute("ALTER FUNCTION lapak_apply_catalog_version() RESET lock_timeout")
    _each_device_role("ALTER ROLE %I CONNECTION LIMIT -1")
    for name in SETTINGS:
        _each_device_role(f"ALTER ROLE %I RESET {name}")
