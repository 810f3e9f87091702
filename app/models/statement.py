from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, TimestampMixin


class Statement(TimestampMixin, Base):
    """One statement (one speaker, one occasion) that several articles report.

    A claim without a `StatementMember` row is a statement of its own, reported once.
    `updated_at` is when a claim last joined or left it (`corroboration._regrouped`): the claim
    pages' Last-Modified reads it, as a claim that left is in no row they read.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)


class StatementMember(Base):
    """A claim's place in a statement: proposed by the matcher, or decided by an editor.

    The matcher only adds claims that have no row yet and never moves a row an editor decided,
    so a confirmation or a split stands.
    """

    __tablename__ = "statement_members"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
