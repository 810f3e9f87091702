"""The declarative base: one MetaData with a naming convention, so migrations name constraints alike."""

from datetime import datetime

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    # Dated by the clock when written, not at the transaction's start (`now()`): a transaction
    # that began before another's save and wrote after it would otherwise be dated before it,
    # and `last_change()`, the key of the counts kept, would not move when it committed. The
    # table's own default is for rows copied in bulk by a load that runs alone (bench/).
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True),
        server_default=func.now(),
        default=func.clock_timestamp(),
        onupdate=func.clock_timestamp(),
        nullable=False,
    )
