"""What editors leave behind: sign-in sessions and attempts, review decisions, moved actors."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base
from app.models.user import User
from app.models.vocab import sql_in


class LoginSession(Base):
    """A signed-in browser. The cookie holds a random token; only its sha256 is stored here."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    user: Mapped[User] = relationship(lazy="raise")


class LoginAttempt(Base):
    """One try at signing in, counted per account name and per address to slow guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    username: Mapped[str] = mapped_column(Text)
    """The name as typed, case-folded: unknown names are counted like known ones."""
    address: Mapped[str] = mapped_column(Text)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class Decision(StrEnum):
    APPROVED = "approved"
    """Approved exactly as the extractor proposed it."""
    CORRECTED = "corrected"
    """Approved after an editor changed some of its fields."""
    REJECTED = "rejected"


class RejectReason(StrEnum):
    NOT_ABOUT_BASES = "not_about_bases"
    NOT_A_STATEMENT = "not_a_statement"
    WRONG_SPEAKER = "wrong_speaker"
    DUPLICATE = "duplicate"
    OTHER = "other"


class ReviewDecision(Base):
    """An editor's verdict on a claim the extractor proposed: the extractor's report card."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        CheckConstraint(f"decision IN ({sql_in(Decision)})", name="decision_known"),
        CheckConstraint(
            f"(decision = 'rejected') = (reason IS NOT NULL) AND (reason IS NULL OR reason IN ({sql_in(RejectReason)}))",
            name="reason_for_rejections",
        ),
        Index("ix_review_decisions_claim", "claim_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decision: Mapped[str] = mapped_column(String(20))
    fields: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    """The fields an editor changed from the extractor's proposal."""
    reason: Mapped[str | None] = mapped_column(String(30))
    extractor: Mapped[str | None] = mapped_column(Text)
    """The extractor version that proposed the claim."""


class ActorRedirect(Base):
    """The address of an actor merged into another: `/actors/{slug}` leads to the survivor."""

    __tablename__ = "actor_redirects"

    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
