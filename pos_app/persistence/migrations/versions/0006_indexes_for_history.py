"""The outbox's pending rows by table: the unsynced count and the oldest unsynced sale read
only what is still waiting, however many sent rows the event has kept. And sales by
sequence: the history's first page (newest first) is read from an index, not sorted. And
sales by the sale a void or refund refers to: the history reads each sale's state (voided,
refunded) and the refund dialog what is left, without scanning every sale.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 09:00:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # partial: sent rows (most of them, kept for the record) never enter this index
    op.execute("CREATE INDEX ix_outbox_pending_table ON outbox(state, table_name, record_id) "
               "WHERE state = 'pending'")
    op.execute("CREATE INDEX ix_sale_seq ON sale(seq)")
    op.create_index(op.f("ix_sale_refers_to_id"), "sale", ["refers_to_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sale_refers_to_id"), table_name="sale")
    op.execute("DROP INDEX IF EXISTS ix_sale_seq")
    op.execute("DROP INDEX IF EXISTS ix_outbox_pending_table")
