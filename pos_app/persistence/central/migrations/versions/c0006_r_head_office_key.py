"""``head_office_key``: the Ed25519 key pair head office signs bundle acknowledgements with.

One row, made by ``central init`` (or on first need). The private key is head office's own:
no grant to ``PUBLIC``, to the booths' ``lapak_device`` or to the report users'
``lapak_head_office``, and row-level security enabled with no policy, so only the owner (the
administrator login that runs ``central init``) reads it. Booths get the public key in their
enrollment file.

Revision ID: c0006
Revises: c0005
Create Date: 2026-12-06
"""

from alembic import op

revision = "c0006"
down_revision = "c0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TABLE head_office_key ("
                " id smallint PRIMARY KEY CHECK (id = 1),"
                " private_key bytea NOT NULL CHECK (length(private_key) = 32),"
                " public_key bytea NOT NULL CHECK (length(public_key) = 32),"
                " created_at timestamptz NOT NULL DEFAULT now())")
    op.execute("REVOKE ALL ON head_office_key FROM PUBLIC")
    op.execute("ALTER TABLE head_office_key ENABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.execute("DROP TABLE head_office_key")
