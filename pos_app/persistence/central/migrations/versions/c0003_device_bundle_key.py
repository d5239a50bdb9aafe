"""``device_role.bundle_key``: the key each booth signs its USB bundles with, so that head
office can verify a bundle (and sign its acknowledgement) without the enrollment file.

Revision ID: c0003
Revises: c0002
Create Date: 2026-05-02
"""

import sqlalchemy as sa
from alembic import op

revision = "c0003"
down_revision = "c0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("device_role", sa.Column("bundle_key", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("device_role", "bundle_key")
