"""Product photos (``photo``): each thumbnail once, named by the SHA-256 of its bytes, which
``product.image`` holds.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.String(length=32), nullable=True),
        sa.CheckConstraint("kind IN ('jpeg','png')", name=op.f("ck_photo_kind")),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_photo")),
    )
    op.create_index("ix_photo_source", "photo", ["source_sha256"], unique=False)
    op.create_index("ix_photo_unsent", "photo", ["hash"], unique=False,
                    sqlite_where=sa.text("sent_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_photo_unsent", table_name="photo")
    op.drop_index("ix_photo_source", table_name="photo")
    op.drop_table("photo")
