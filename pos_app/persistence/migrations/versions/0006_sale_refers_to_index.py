"""An index on the sale a void or refund refers to: the sales history reads each sale's
state (voided, refunded) and the refund dialog what is left, without scanning every sale.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 09:15:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_sale_refers_to_id"), "sale", ["refers_to_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sale_refers_to_id"), table_name="sale")
