from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base
from app.models.user import User
from app.models.vocab import ChangeSource, sql_in

CREATED = "*"
"""The `field` of the revision that records a claim's creation; its new value is the whole claim."""


class Revision(Base):
    """One changed field of one claim: who or what changed it, when, and from what to what."""

    __tablename__ = "revisions"
    __table_args__ = (
        CheckConstraint(f"source IN ({sql_in(ChangeSource)})", name="source_known"),
        Index("ix_revisions_claim", "claim_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    """The claim's version after this change."""
    source: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    field: Mapped[str] = mapped_column(Text)
    old_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    note: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship(lazy="raise")
