"""Settlement percentages per facility, and confirmed matches of unverified payments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 01:40:00
"""

import sqlalchemy as sa
from alembic import op

SHARES = ("pnbp_bp", "premi_bp", "modal_bp", "program_bp")

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in SHARES:  # plain ALTERs: facility keeps its FTS-free simple shape
        op.execute(f"ALTER TABLE facility ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0 "
                   f"CHECK ({column} BETWEEN 0 AND 10000)")
    op.create_table(
        "payment_match",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("statement_at", sa.String(length=32), nullable=False),
        sa.Column("statement_amount", sa.BigInteger(), nullable=False),
        sa.Column("statement_reference", sa.String(length=120), nullable=False),
        sa.Column("statement_text", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("confirmed_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"],
                                name=op.f("fk_payment_match_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_match")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_payment_match_payment_id")),
    )
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER payment_match_no_{verb.lower()} BEFORE {verb} ON "
                   f"payment_match BEGIN SELECT RAISE(ABORT, 'payment_match is append-only'); "
                   f"END")


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS payment_match_no_{verb}")
    op.drop_table("payment_match")
    for column in SHARES:
        op.execute(f"ALTER TABLE facility DROP COLUMN {column}")
