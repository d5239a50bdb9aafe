"""``payment.qris_payload``: the exact QRIS payload a booth showed for a payment (booth
migration 0009), for head office's reconciliation and disputes.

Revision ID: c0011
Revises: c0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "c0011"
down_revision = "c0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payment", sa.Column("qris_payload", sa.String(length=512), nullable=True))


def downgrade() -> None:
    op.drop_column("payment", "qris_payload")
