"""The USB bundles this booth wrote (``bundle_export``): an acknowledgement must name one of
them and only records it carried.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bundle_export",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("carried", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_export")),
    )


def downgrade() -> None:
    op.drop_table("bundle_export")
