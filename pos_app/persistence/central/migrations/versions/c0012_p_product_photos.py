"""``photo``: product photos, each thumbnail once, named by the SHA-256 of its bytes (what a
product's ``image`` holds), so that every booth shows the pictures the catalog names.

Insert-once and content-addressed: a CHECK holds the name to the bytes (``hash`` is their
SHA-256) and the bytes to the booth's own limit on a thumbnail (``MAX_PHOTO_BYTES``), so no
booth can put other bytes under a picture's name, and a picture sent twice is kept once
(``ON CONFLICT (hash) DO NOTHING``). Like the synced tables, row-level security is enabled
and forced: every booth (``lapak_device``) and head office (``lapak_head_office``) reads
every photo, a booth inserts only rows it owns (``device_id``: the first to send it), and
nobody updates or deletes (no grant, no policy).

Revision ID: c0012
Revises: c0011
Create Date: 2026-12-07
"""

from alembic import op

revision = "c0012"
down_revision = "c0011"
branch_labels = None
depends_on = None

HEAD_OFFICE = "lapak_head_office"
DEVICE = "lapak_device"
MAX_PHOTO_BYTES = 256 * 1024  # adapters/photo_image.py MAX_THUMB_BYTES
MAX_SIDE = 256  # adapters/photo_image.py THUMB_SIDE
OWN_DEVICE = ("(SELECT r.device_id FROM device_role r"
              " WHERE r.role_name = current_user AND r.revoked_at IS NULL)")


def upgrade() -> None:
    op.execute(f"""CREATE TABLE photo (
        hash varchar(64) PRIMARY KEY CHECK (hash = encode(sha256(data), 'hex')),
        device_id uuid NOT NULL,
        data bytea NOT NULL CHECK (octet_length(data) <= {MAX_PHOTO_BYTES}),
        kind varchar(4) NOT NULL CHECK (kind IN ('jpeg', 'png')),
        width integer NOT NULL CHECK (width BETWEEN 1 AND {MAX_SIDE}),
        height integer NOT NULL CHECK (height BETWEEN 1 AND {MAX_SIDE}),
        created_at timestamptz NOT NULL DEFAULT now())""")
    op.execute("REVOKE ALL ON photo FROM PUBLIC")
    op.execute("ALTER TABLE photo ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE photo FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON photo TO {HEAD_OFFICE}")
    op.execute(f"CREATE POLICY head_office_read ON photo FOR SELECT TO {HEAD_OFFICE} USING (true)")
    op.execute(f"GRANT SELECT, INSERT ON photo TO {DEVICE}")
    op.execute(f"CREATE POLICY device_insert ON photo FOR INSERT TO {DEVICE}"
               f" WITH CHECK (device_id = {OWN_DEVICE})")
    op.execute(f"CREATE POLICY device_read ON photo FOR SELECT TO {DEVICE} USING (true)")


def downgrade() -> None:
    op.execute("DROP TABLE photo")
