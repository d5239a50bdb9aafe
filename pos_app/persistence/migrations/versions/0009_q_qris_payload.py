"""The exact QRIS payload a payment showed the buyer (``payment.qris_payload``): the per-sale
code carrying the amount, or the static sticker's above the per-transaction limit; None for
other methods and for payments made before it was kept.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 21:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qris_payload", sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_column("qris_payload")
