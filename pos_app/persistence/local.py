"""The local-only tables: sync bookkeeping (the outbox), per-device counters, parked carts and
product photos. Never synced as records; imported with the rest of the schema from
``models``."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.persistence.base import Base
from pos_app.persistence.types import UTCDateTime


class Outbox(Base):
    """Local sync bookkeeping, one row per synced record version, written in the same
    transaction as the record. Never synced itself."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_outbox_state_seq", "state", "seq"),
        Index("ix_outbox_pending", "seq", sqlite_where=text("state = 'pending'")),
        Index("ix_outbox_pending_table", "state", "table_name", "record_id",
              sqlite_where=text("state = 'pending'")),
        CheckConstraint("state IN ('pending','sent','quarantined')", name="state"),
    )


class Counter(Base):
    """Per-device counters: the record sequence and gap-free document numbers. Local."""

    __tablename__ = "counter"
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ParkedSale(Base):
    """A cart put aside for later; local working state, not a money record."""

    __tablename__ = "parked_sale"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    label: Mapped[str] = mapped_column(String(80), default="")
    item_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)  # JSON of the cart lines and discounts


class BundleExport(Base):
    """A USB bundle this booth wrote: its id and what it carried (JSON: ``records`` by table,
    ``catalog`` as [table, row id, revision]), so that an acknowledgement may mark only
    records of a bundle this booth exported. Local."""

    __tablename__ = "bundle_export"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    carried: Mapped[str] = mapped_column(Text)


class JournalAnchor(Base):
    """A journal head this booth learned from outside itself: central's held head after a
    push (``central``), the head in head office's signed acknowledgement (``ack``, with the
    signed document kept as ``evidence`` so it can be re-checked), the head on a Z report
    (``z``). ``mac`` is an HMAC with the journal secret, so a row cannot be forged without
    it. Local, never synced."""

    __tablename__ = "journal_anchor"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    chain_index: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    learned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    evidence: Mapped[str | None] = mapped_column(Text)
    mac: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_journal_anchor_index", "chain_index"),)


class Photo(Base):
    """A product photo's thumbnail, stored once and named by the SHA-256 of its bytes (what
    ``product.image`` holds). ``source_sha256`` is the SHA-256 of the file it was made from,
    so the same file is never shrunk twice; ``sent_at``: when head office was known to have
    it (sent, or pulled from there). Photos travel with the catalog (``services/sync``), not
    through the outbox."""

    __tablename__ = "photo"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    kind: Mapped[str] = mapped_column(String(4))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_photo_source", "source_sha256"),
        Index("ix_photo_unsent", "hash", sqlite_where=text("sent_at IS NULL")),
        CheckConstraint("kind IN ('jpeg','png')", name="kind"),
    )
