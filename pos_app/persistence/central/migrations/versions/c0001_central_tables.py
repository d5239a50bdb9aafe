"""The central schema: the synced tables, the device registry and the quarantine.

Same columns as the booth's synced tables (pos_app.persistence.models.SYNCED_TABLES), with
PostgreSQL types: UUID ids, BIGINT rupiah, timestamptz. Every row carries a NOT NULL
``device_id``. There are no foreign keys: the central store is the union of the booths'
append-only logs, which arrive in batches and bundles, and a missing parent must never block
(or reorder) a child. Business keys that are unique on a booth (sale number, SKU, user name)
are unique per device here, since every booth has its own.

Revision ID: c0001
Revises:
Create Date: 2026-05-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('approval',
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('approver_id', sa.Uuid(), nullable=False),
    sa.Column('approver_name', sa.String(length=80), nullable=False),
    sa.Column('requested_by', sa.String(length=80), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval'))
    )
    op.create_index('ix_approval_device_id_seq', 'approval', ['device_id', 'seq'], unique=False)
    op.create_table('approval_use',
    sa.Column('approval_id', sa.Uuid(), nullable=False),
    sa.Column('used_by', sa.String(length=80), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_use')),
    sa.UniqueConstraint('approval_id', name=op.f('uq_approval_use_approval_id'))
    )
    op.create_index('ix_approval_use_device_id_seq', 'approval_use', ['device_id', 'seq'], unique=False)
    op.create_table('audit_event',
    sa.Column('chain_index', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('device_id', 'chain_index', name='uq_audit_event_chain')
    )
    op.create_index('ix_audit_event_device_id_seq', 'audit_event', ['device_id', 'seq'], unique=False)
    op.create_table('category',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('device_id', 'code', name=op.f('uq_category_device_code'))
    )
    op.create_index('ix_category_device_id_seq', 'category', ['device_id', 'seq'], unique=False)
    op.create_table('device',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    sa.UniqueConstraint('device_id', 'code', name=op.f('uq_device_device_code'))
    )
    op.create_index('ix_device_device_id_seq', 'device', ['device_id', 'seq'], unique=False)
    op.create_table('event',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    op.create_index('ix_event_device_id_seq', 'event', ['device_id', 'seq'], unique=False)
    op.create_table('facility',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('region', sa.String(length=80), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('pnbp_bp', sa.Integer(), nullable=False),
    sa.Column('premi_bp', sa.Integer(), nullable=False),
    sa.Column('modal_bp', sa.Integer(), nullable=False),
    sa.Column('program_bp', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('Lapas','Rutan','Bapas','LPKA')", name=op.f('ck_facility_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility')),
    sa.UniqueConstraint('device_id', 'code', name=op.f('uq_facility_device_code'))
    )
    op.create_index('ix_facility_device_id_seq', 'facility', ['device_id', 'seq'], unique=False)
    op.create_table('payment',
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tendered', sa.BigInteger(), nullable=False),
    sa.Column('change', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('cash','qris','transfer','card')", name=op.f('ck_payment_method')),
    sa.CheckConstraint('amount >= 0 AND tendered >= amount AND change >= 0', name=op.f('ck_payment_amounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    op.create_index('ix_payment_device_id_seq', 'payment', ['device_id', 'seq'], unique=False)
    op.create_table('payment_match',
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('statement_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('statement_amount', sa.BigInteger(), nullable=False),
    sa.Column('statement_reference', sa.String(length=120), nullable=False),
    sa.Column('statement_text', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('confirmed_by', sa.String(length=80), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_match')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_payment_match_payment_id'))
    )
    op.create_index('ix_payment_match_device_id_seq', 'payment_match', ['device_id', 'seq'], unique=False)
    op.create_table('print_job',
    sa.Column('document_kind', sa.String(length=16), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=True),
    sa.Column('printer', sa.String(length=255), nullable=False),
    sa.Column('copy', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('error_code', sa.String(length=32), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('printed','failed')", name=op.f('ck_print_job_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_job'))
    )
    op.create_index('ix_print_job_device_id_seq', 'print_job', ['device_id', 'seq'], unique=False)
    op.create_table('product',
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.Column('barcode', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.Column('facility_id', sa.Uuid(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('tax_mode', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('image', sa.String(length=255), nullable=True),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("tax_mode IN ('none','included','added')", name=op.f('ck_product_tax_mode')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_product_price')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('device_id', 'barcode', name=op.f('uq_product_device_barcode')),
    sa.UniqueConstraint('device_id', 'sku', name=op.f('uq_product_device_sku'))
    )
    op.create_index('ix_product_device_id_seq', 'product', ['device_id', 'seq'], unique=False)
    op.create_table('sale',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('cashier_id', sa.Uuid(), nullable=True),
    sa.Column('cashier_name', sa.String(length=80), nullable=False),
    sa.Column('shift_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('refers_to_id', sa.Uuid(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('subtotal', sa.BigInteger(), nullable=False),
    sa.Column('discount', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('tendered', sa.BigInteger(), nullable=False),
    sa.Column('change', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('sale','refund','void')", name=op.f('ck_sale_kind')),
    sa.CheckConstraint('total >= 0 AND subtotal >= 0 AND discount >= 0 AND tax >= 0 AND tendered >= 0 AND change >= 0', name=op.f('ck_sale_amounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale')),
    sa.UniqueConstraint('device_id', 'seq', name='uq_sale_device_seq'),
    sa.UniqueConstraint('device_id', 'number', name=op.f('uq_sale_device_number'))
    )
    op.create_index('ix_sale_device_id_seq', 'sale', ['device_id', 'seq'], unique=False)
    op.create_table('sale_line',
    sa.Column('sale_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('facility_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('facility_name', sa.String(length=160), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('gross', sa.BigInteger(), nullable=False),
    sa.Column('line_discount', sa.BigInteger(), nullable=False),
    sa.Column('sale_discount', sa.BigInteger(), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=True),
    sa.Column('tax_mode', sa.String(length=8), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('qty > 0', name=op.f('ck_sale_line_qty')),
    sa.CheckConstraint('unit_price >= 0 AND gross >= 0 AND line_discount >= 0 AND sale_discount >= 0 AND tax >= 0 AND net >= 0 AND total >= 0', name=op.f('ck_sale_line_amounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_line')),
    sa.UniqueConstraint('sale_id', 'line_no', name='uq_sale_line_no')
    )
    op.create_index('ix_sale_line_device_id_seq', 'sale_line', ['device_id', 'seq'], unique=False)
    op.create_table('shift',
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('cashier_id', sa.Uuid(), nullable=True),
    sa.Column('cashier_name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('opening_float', sa.BigInteger(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('pos','backoffice')", name=op.f('ck_shift_kind')),
    sa.CheckConstraint('opening_float >= 0', name=op.f('ck_shift_float')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift'))
    )
    op.create_index('ix_shift_device_id_seq', 'shift', ['device_id', 'seq'], unique=False)
    op.create_table('shift_event',
    sa.Column('shift_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('user_name', sa.String(length=80), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('expected', sa.BigInteger(), nullable=True),
    sa.Column('counted', sa.BigInteger(), nullable=True),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('open','cash_in','cash_out','handover','x_report','close')", name=op.f('ck_shift_event_kind')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_shift_event_amount')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_event'))
    )
    op.create_index('ix_shift_event_device_id_seq', 'shift_event', ['device_id', 'seq'], unique=False)
    op.create_table('stock_count_line',
    sa.Column('count_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('counted', sa.Integer(), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('counted >= 0', name=op.f('ck_stock_count_line_counted')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count_line'))
    )
    op.create_index('ix_stock_count_line_device_id_seq', 'stock_count_line', ['device_id', 'seq'], unique=False)
    op.create_table('stock_count_step',
    sa.Column('count_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('approve','cancel')", name=op.f('ck_stock_count_step_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count_step')),
    sa.UniqueConstraint('count_id', name=op.f('uq_stock_count_step_count_id'))
    )
    op.create_index('ix_stock_count_step_device_id_seq', 'stock_count_step', ['device_id', 'seq'], unique=False)
    op.create_table('stock_document',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('facility_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('receipt','count','return','adjust')", name=op.f('ck_stock_document_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_document')),
    sa.UniqueConstraint('device_id', 'number', name=op.f('uq_stock_document_device_number'))
    )
    op.create_index('ix_stock_document_device_id_seq', 'stock_document', ['device_id', 'seq'], unique=False)
    op.create_table('stock_movement',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('facility_id', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('document_kind', sa.String(length=16), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('receive','sale','refund','return','adjust','count')", name=op.f('ck_stock_movement_kind')),
    sa.CheckConstraint('qty <> 0', name=op.f('ck_stock_movement_qty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movement'))
    )
    op.create_index('ix_stock_movement_device_id_seq', 'stock_movement', ['device_id', 'seq'], unique=False)
    op.create_table('user',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('pin_hash', sa.Text(), nullable=True),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('cashier','coordinator','admin')", name=op.f('ck_user_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('device_id', 'name', name=op.f('uq_user_device_name'))
    )
    op.create_index('ix_user_device_id_seq', 'user', ['device_id', 'seq'], unique=False)
    # Which database role is which device. Filled by `pos-app central add-device`; the row-level
    # security policies map current_user to a device id through it.
    op.create_table(
        "device_role",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("now()")),
        sa.Column("enrolled_by", sa.String(length=63), nullable=False,
                  server_default=sa.text("current_user")),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_role")),
        sa.UniqueConstraint("role_name", name=op.f("uq_device_role_role_name")),
        sa.UniqueConstraint("code", name=op.f("uq_device_role_code")),
    )
    # A record whose id already existed centrally with a different payload: both payloads are
    # kept, nothing is overwritten.
    op.create_table(
        "sync_quarantine",
        sa.Column("id", sa.Uuid(), nullable=False, server_default=sa.text("gen_random_uuid()")),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("received", postgresql.JSONB(), nullable=False),
        sa.Column("stored", postgresql.JSONB(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("now()")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_quarantine")),
    )
    op.create_index("ix_sync_quarantine_device_id", "sync_quarantine", ["device_id"])


def downgrade() -> None:
    for name in ("sync_quarantine", "device_role", "approval", "approval_use", "audit_event",
                 "category", "device", "event", "facility", "payment", "payment_match",
                 "print_job", "product", "sale", "sale_line", "shift", "shift_event",
                 "stock_count_line", "stock_count_step", "stock_document", "stock_movement",
                 "user"):
        op.drop_table(name)
