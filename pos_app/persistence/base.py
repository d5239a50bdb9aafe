"""What every table of the local schema shares: the declarative base with its constraint
naming, and the columns of a synced row and of a catalog row."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pos_app.persistence.types import UTCDateTime

__all__ = ["NAMING", "Base", "Catalog", "Synced"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Columns every synced row has, from the first migration on."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    seq: Mapped[int | None] = mapped_column(BigInteger)  # per-device sequence, orders the outbox
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Catalog(Synced):
    """Catalog rows are the one mutable thing: last writer wins by revision."""

    revision: Mapped[int] = mapped_column(BigInteger, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
