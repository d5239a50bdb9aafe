"""Stock documents (receipts of goods, counts, returns, adjustments), count lines and steps,
a reason on stock movements, and the on-hand cache kept by a trigger.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:10:00
"""

import sqlalchemy as sa
from alembic import op

NEW_APPEND_ONLY = ("stock_document", "stock_count_line", "stock_count_step")
REASONS = "'damaged','sample','lost','found','miscounted'"

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stock_document",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        *_synced(),
        sa.CheckConstraint("kind IN ('receipt','count','return','adjust')",
                           name=op.f("ck_stock_document_kind")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name=op.f("fk_stock_document_event_id_event")),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"],
                                name=op.f("fk_stock_document_facility_id_facility")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_document")),
        sa.UniqueConstraint("number", name=op.f("uq_stock_document_number")),
    )
    op.create_index("ix_stock_document_facility_id", "stock_document", ["facility_id"])
    op.create_table(
        "stock_count_line",
        sa.Column("count_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        *_synced(),
        sa.CheckConstraint("counted >= 0", name=op.f("ck_stock_count_line_counted")),
        sa.ForeignKeyConstraint(["count_id"], ["stock_document.id"],
                                name=op.f("fk_stock_count_line_count_id_stock_document")),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"],
                                name=op.f("fk_stock_count_line_product_id_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_count_line")),
    )
    op.create_index("ix_stock_count_line_count_id", "stock_count_line", ["count_id"])
    op.create_table(
        "stock_count_step",
        sa.Column("count_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        *_synced(),
        sa.CheckConstraint("kind IN ('approve','cancel')", name=op.f("ck_stock_count_step_kind")),
        sa.ForeignKeyConstraint(["count_id"], ["stock_document.id"],
                                name=op.f("fk_stock_count_step_count_id_stock_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_count_step")),
        sa.UniqueConstraint("count_id", name=op.f("uq_stock_count_step_count_id")),
    )
    op.create_table(
        "stock_balance",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("product_id", "facility_id", name=op.f("pk_stock_balance")),
    )
    # Plain ALTER: a batch rebuild of stock_movement would drop its append-only triggers.
    op.execute(f"ALTER TABLE stock_movement ADD COLUMN reason VARCHAR(12) "
               f"CHECK (reason IS NULL OR reason IN ({REASONS}))")
    op.create_index("ix_stock_movement_document_id", "stock_movement", ["document_id"])
    for table in NEW_APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    # The on-hand cache: filled from the ledger once, then kept by every new movement.
    op.execute("INSERT INTO stock_balance(product_id, facility_id, on_hand) "
               "SELECT product_id, facility_id, SUM(qty) FROM stock_movement "
               "GROUP BY product_id, facility_id")
    op.execute(
        "CREATE TRIGGER stock_balance_ai AFTER INSERT ON stock_movement BEGIN "
        "INSERT INTO stock_balance(product_id, facility_id, on_hand) "
        "VALUES (new.product_id, new.facility_id, new.qty) "
        "ON CONFLICT(product_id, facility_id) DO UPDATE SET on_hand = on_hand + new.qty; END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS stock_balance_ai")
    for table in NEW_APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    op.drop_index("ix_stock_movement_document_id", table_name="stock_movement")
    op.execute("DROP TRIGGER IF EXISTS stock_movement_no_update")
    op.execute("ALTER TABLE stock_movement DROP COLUMN reason")
    op.execute("CREATE TRIGGER stock_movement_no_update BEFORE UPDATE ON stock_movement "
               "BEGIN SELECT RAISE(ABORT, 'stock_movement is append-only'); END")
    op.drop_table("stock_balance")
    op.drop_table("stock_count_step")
    op.drop_index("ix_stock_count_line_count_id", table_name="stock_count_line")
    op.drop_table("stock_count_line")
    op.drop_index("ix_stock_document_facility_id", table_name="stock_document")
    op.drop_table("stock_document")
