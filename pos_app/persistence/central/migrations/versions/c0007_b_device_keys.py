"""Central records keyed by their device: ``(device_id, id)``.

A record's id was its whole central key, so a booth that learnt another booth's record id
(from a USB bundle) could insert a row of that id under its own device first: the victim's
record then met "the id exists centrally under another device" and was quarantined, and its
lines and payments (unique by sale and line number alone) went in under the rogue's header.

Now every synced table but the shared catalog (facility, category, product, which head
office's catalog rules own) is keyed by ``(device_id, id)``, and every other unique key
starts with ``device_id``: a row one booth inserts can never collide with another booth's
record. ``catalog_version`` too (its id already names the device; now the key says so).
``sync_quarantine`` is looked up by ``(device_id, table_name, record_id)``.

A booth may insert a ``device`` row only for itself: its ``id`` must be its own device id.
Its ``code`` is not checked here: head office's export takes a device's code from its own
registry (``device_role.code``) and lists a row that claims another as a problem; refusing
such a row here would instead quarantine an honest booth's only device row (a code typed
differently at ``add-device``) and leave all its sales out of the export.

Booth login roles made from now on have random names (``central add-device``): a role name
no longer tells every other login a device id. Roles made before keep their names: the
booth's enrollment file names its login, so renaming the role would lock the booth out;
``central reissue`` renames one along with the new file it writes.

Revision ID: c0007
Revises: c0006
Create Date: 2026-12-06
"""

from alembic import op

revision = "c0007"
down_revision = "c0006"
branch_labels = None
depends_on = None

DEVICE = "lapak_device"
KEYED = ("event", "device", "user", "sale", "sale_line", "payment", "stock_movement",
         "print_job", "shift", "shift_event", "approval", "approval_use", "audit_event",
         "stock_document", "stock_count_line", "stock_count_step", "payment_match",
         "catalog_version")
UNIQUE = {  # constraint -> (columns before, columns now)
    "sale_line": ("uq_sale_line_no", ["sale_id", "line_no"], ["device_id", "sale_id", "line_no"]),
    "approval_use": ("uq_approval_use_approval_id", ["approval_id"],
                     ["device_id", "approval_id"]),
    "stock_count_step": ("uq_stock_count_step_count_id", ["count_id"],
                         ["device_id", "count_id"]),
    "payment_match": ("uq_payment_match_payment_id", ["payment_id"],
                      ["device_id", "payment_id"]),
}
OWN_DEVICE = ("(SELECT r.device_id FROM device_role r"
              " WHERE r.role_name = current_user AND r.revoked_at IS NULL)")


def _key(table: str, columns: list[str]) -> None:
    op.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT pk_{table},'
               f' ADD CONSTRAINT pk_{table} PRIMARY KEY ({", ".join(columns)})')


def _device_policy(check: str) -> None:
    op.execute('DROP POLICY device_insert ON "device"')
    op.execute(f'CREATE POLICY device_insert ON "device" FOR INSERT TO {DEVICE}'
               f" WITH CHECK ({check})")


def upgrade() -> None:
    for table in KEYED:
        _key(table, ["device_id", "id"])
    for table, (name, _before, now) in UNIQUE.items():
        op.drop_constraint(name, table, type_="unique")
        op.create_unique_constraint(name, table, now)
    _device_policy(f"device_id = {OWN_DEVICE} AND id = device_id")
    op.drop_index("ix_sync_quarantine_device_id", "sync_quarantine")
    op.create_index("ix_sync_quarantine_record", "sync_quarantine",
                    ["device_id", "table_name", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_sync_quarantine_record", "sync_quarantine")
    op.create_index("ix_sync_quarantine_device_id", "sync_quarantine", ["device_id"])
    _device_policy(f"device_id = {OWN_DEVICE}")
    for table, (name, before, _now) in UNIQUE.items():
        op.drop_constraint(name, table, type_="unique")
        op.create_unique_constraint(name, table, before)
    for table in KEYED:
        _key(table, ["id"])
