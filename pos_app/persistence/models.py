"""The local schema. Synced rows carry a device-made UUID, the device, a per-device sequence
number and a UTC creation time. Money is BIGINT rupiah. Sales, lines, payments and stock
movements are append-only (enforced by triggers in the migrations); sync bookkeeping lives in
``outbox``, apart from the payload. The base and the shared columns are in ``base``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.persistence.base import Base, Catalog, Synced
from pos_app.persistence.local import BundleExport, Counter, JournalAnchor, Outbox, ParkedSale  # noqa: F401 - the whole schema
from pos_app.persistence.types import UTCDateTime


class Setting(Base):
    """Local key/value settings (tax rate, language, this device). Not synced."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Event(Synced, Base):
    __tablename__ = "event"
    name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(120), default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Makassar")


class Device(Synced, Base):
    __tablename__ = "device"
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event.id"))


class Facility(Catalog, Base):
    __tablename__ = "facility"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(80), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # settlement percentages in basis points (4000 = 40 %); all 0 = not set yet
    pnbp_bp: Mapped[int] = mapped_column(Integer, default=0)
    premi_bp: Mapped[int] = mapped_column(Integer, default=0)
    modal_bp: Mapped[int] = mapped_column(Integer, default=0)
    program_bp: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (CheckConstraint("kind IN ('Lapas','Rutan','Bapas','LPKA')", name="kind"),)


class Category(Catalog, Base):
    __tablename__ = "category"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Product(Catalog, Base):
    __tablename__ = "product"
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("category.id"), index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), index=True)
    price: Mapped[int] = mapped_column(BigInteger)
    tax_mode: Mapped[str] = mapped_column(String(8), default="none")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    image: Mapped[str | None] = mapped_column(String(255))
    __table_args__ = (
        CheckConstraint("price >= 0", name="price"),
        CheckConstraint("tax_mode IN ('none','included','added')", name="tax_mode"),
    )


class User(Synced, Base):
    __tablename__ = "user"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="cashier")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    pin_hash: Mapped[str | None] = mapped_column(Text)  # argon2id of pepper + PIN
    revision: Mapped[int] = mapped_column(BigInteger, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (CheckConstraint("role IN ('cashier','coordinator','admin')", name="role"),)


class Shift(Synced, Base):
    """A cashier's till session. Its steps (open, cash in/out, handover, reports, close) are
    ``shift_event`` rows; the shift row itself never changes."""

    __tablename__ = "shift"
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event.id"))
    cashier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    cashier_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12), default="pos")
    opening_float: Mapped[int] = mapped_column(BigInteger)
    business_date: Mapped[date] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("kind IN ('pos','backoffice')", name="kind"),
        CheckConstraint("opening_float >= 0", name="float"),
    )


class ShiftEvent(Synced, Base):
    __tablename__ = "shift_event"
    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shift.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    user_name: Mapped[str] = mapped_column(String(80))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(String(200), default="")
    expected: Mapped[int | None] = mapped_column(BigInteger)
    counted: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[str | None] = mapped_column(Text)  # JSON: denominations, report totals
    __table_args__ = (
        CheckConstraint("kind IN ('open','cash_in','cash_out','handover','x_report','close')",
                        name="kind"),
        CheckConstraint("amount >= 0", name="amount"),
    )


class Approval(Synced, Base):
    """A coordinator's PIN-confirmed yes to one action on one subject, valid for minutes."""

    __tablename__ = "approval"
    action: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    approver_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    approver_name: Mapped[str] = mapped_column(String(80))
    requested_by: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApprovalUse(Synced, Base):
    """An approval spent; the unique key makes every approval single-use."""

    __tablename__ = "approval_use"
    approval_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("approval.id"), unique=True)
    used_by: Mapped[str] = mapped_column(String(80))


class AuditEvent(Synced, Base):
    """The journal: each event holds the hash of the one before it on this device."""

    __tablename__ = "audit_event"
    chain_index: Mapped[int] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(32))
    subject_kind: Mapped[str] = mapped_column(String(16), default="")
    subject_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("device_id", "chain_index", name="uq_audit_event_chain"),
        Index("ix_audit_event_action_user", "action", "subject_id"),
    )


class Sale(Synced, Base):
    __tablename__ = "sale"
    number: Mapped[str] = mapped_column(String(32), unique=True)
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event.id"))
    business_date: Mapped[date] = mapped_column(Date, index=True)
    cashier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    cashier_name: Mapped[str] = mapped_column(String(80))
    shift_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shift.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="sale")
    refers_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sale.id"), index=True)
    source: Mapped[str] = mapped_column(String(8), default="pos")
    subtotal: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    tendered: Mapped[int] = mapped_column(BigInteger)
    change: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        UniqueConstraint("device_id", "seq", name="uq_sale_device_seq"),
        Index("ix_sale_seq", "seq"),  # the history's newest-first page, at any size
        CheckConstraint("kind IN ('sale','refund','void')", name="kind"),
        CheckConstraint("total >= 0 AND subtotal >= 0 AND discount >= 0 AND tax >= 0"
                        " AND tendered >= 0 AND change >= 0", name="amounts"),
    )


class SaleLine(Synced, Base):
    __tablename__ = "sale_line"
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("product.id"), index=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), index=True)
    sku: Mapped[str] = mapped_column(String(32))  # frozen at the moment of sale
    name: Mapped[str] = mapped_column(String(160))  # frozen
    facility_name: Mapped[str] = mapped_column(String(160))  # frozen
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)  # frozen
    gross: Mapped[int] = mapped_column(BigInteger)
    line_discount: Mapped[int] = mapped_column(BigInteger)
    sale_discount: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int | None] = mapped_column(Integer)  # line percent, hundredths of %
    tax_mode: Mapped[str] = mapped_column(String(8))
    tax: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        UniqueConstraint("sale_id", "line_no", name="uq_sale_line_no"),
        CheckConstraint("qty > 0", name="qty"),
        CheckConstraint("unit_price >= 0 AND gross >= 0 AND line_discount >= 0"
                        " AND sale_discount >= 0 AND tax >= 0 AND net >= 0 AND total >= 0",
                        name="amounts"),
    )


class Payment(Synced, Base):
    __tablename__ = "payment"
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    tendered: Mapped[int] = mapped_column(BigInteger)
    change: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(64))
    verified: Mapped[bool] = mapped_column(Boolean)
    # the exact QRIS payload shown to the buyer (qris only; None before migration 0009)
    qris_payload: Mapped[str | None] = mapped_column(String(512))
    __table_args__ = (
        CheckConstraint("method IN ('cash','qris','transfer','card')", name="method"),
        CheckConstraint("amount >= 0 AND tendered >= amount AND change >= 0", name="amounts"),
    )


class StockMovement(Synced, Base):
    __tablename__ = "stock_movement"
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("product.id"))
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"))
    qty: Mapped[int] = mapped_column(Integer)  # signed: + in, - out
    kind: Mapped[str] = mapped_column(String(8))
    document_kind: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    note: Mapped[str] = mapped_column(String(200), default="")
    # why an ``adjust``/``count`` movement was made: damaged|sample|lost|found|miscounted
    reason: Mapped[str | None] = mapped_column(String(12))
    __table_args__ = (
        Index("ix_stock_movement_product_facility", "product_id", "facility_id"),
        Index("ix_stock_movement_document_id", "document_id"),
        CheckConstraint("qty <> 0", name="qty"),
        CheckConstraint("kind IN ('receive','sale','refund','return','adjust','count')",
                        name="kind"),
    )


class StockBalance(Base):
    """A cache of on-hand per product and facility, kept by a trigger on ``stock_movement``.
    Local and never synced; ``stock.verify_balances`` proves it equals the ledger's sums."""

    __tablename__ = "stock_balance"
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    on_hand: Mapped[int] = mapped_column(BigInteger, default=0)


class StockDocument(Synced, Base):
    """Goods received from a facility (``receipt``, tanda terima), a stock count (``count``,
    opname), unsold goods sent back (``return``, surat retur) or a stand-alone adjustment.
    Its quantities are stock movements (a count's entries are ``stock_count_line`` rows and
    its movements come at approval); the document itself never changes."""

    __tablename__ = "stock_document"
    kind: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event.id"))
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64), default="")  # the facility's note no.
    doc_date: Mapped[date] = mapped_column(Date)
    actor_name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(200), default="")
    __table_args__ = (
        CheckConstraint("kind IN ('receipt','count','return','adjust')", name="kind"),
    )


class StockCountLine(Synced, Base):
    """One entry of a count: what was counted and what the ledger held at that moment.
    A recount of a product is a new row; the latest row counts."""

    __tablename__ = "stock_count_line"
    count_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_document.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("product.id"))
    counted: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(Integer)  # on-hand when this entry was made
    actor_name: Mapped[str] = mapped_column(String(80))
    __table_args__ = (CheckConstraint("counted >= 0", name="counted"),)


class StockCountStep(Synced, Base):
    """The end of a count: approved (movements posted) or cancelled. One per count."""

    __tablename__ = "stock_count_step"
    count_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_document.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    actor_name: Mapped[str] = mapped_column(String(80))
    __table_args__ = (CheckConstraint("kind IN ('approve','cancel')", name="kind"),)


class PrintJob(Synced, Base):
    """One attempt to print or save a document; a retry is a new row, never an edit."""

    __tablename__ = "print_job"
    document_kind: Mapped[str] = mapped_column(String(16))  # receipt | kwitansi | test
    document_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    printer: Mapped[str] = mapped_column(String(255))
    copy: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(8))
    error_code: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("status IN ('printed','failed')", name="status"),
    )


class PaymentMatch(Synced, Base):
    """A coordinator's confirmation that an unverified QRIS or transfer payment arrived: the
    statement line it matched and who confirmed it. The payment row itself never changes."""

    __tablename__ = "payment_match"
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payment.id"), unique=True)
    statement_at: Mapped[datetime] = mapped_column(UTCDateTime)
    statement_amount: Mapped[int] = mapped_column(BigInteger)
    statement_reference: Mapped[str] = mapped_column(String(120), default="")
    statement_text: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="")  # the statement file's name
    confirmed_by: Mapped[str] = mapped_column(String(80))


APPEND_ONLY = ("sale", "sale_line", "payment", "stock_movement", "print_job", "shift",
               "shift_event", "approval", "approval_use", "audit_event", "stock_document",
               "stock_count_line", "stock_count_step", "payment_match")
# Written once and never changed (this device and its event): pushed like the append-only
# records, before them. The catalog (facility, category, product) goes up as versions.
INSERT_ONCE = ("event", "device")
PUSHED = INSERT_ONCE + APPEND_ONLY
SYNCED_TABLES = INSERT_ONCE + ("facility", "category", "product", "user") + APPEND_ONLY
