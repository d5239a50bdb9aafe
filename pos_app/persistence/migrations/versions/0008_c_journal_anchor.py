"""Journal anchors (``journal_anchor``): heads of this booth's journal learned from outside
it (central, head office's acknowledgement, a Z report), for ``audit verify`` to compare with.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal_anchor",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("chain_index", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("learned_at", sa.String(length=32), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("mac", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_anchor")),
    )
    with op.batch_alter_table("journal_anchor", schema=None) as batch_op:
        batch_op.create_index("ix_journal_anchor_index", ["chain_index"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("journal_anchor", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_anchor_index")
    op.drop_table("journal_anchor")
