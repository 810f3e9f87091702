from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, TimestampMixin
from app.models.vocab import ActorKind, sql_in


class Actor(TimestampMixin, Base):
    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(ActorKind)})", name="kind_known"),
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name_ar: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(String(8))
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    """Created by the loader for an unknown speaker: an editor should check it."""
    edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    """An editor changed it here (its form, or a merge into it): the archive's version stands,
    and a registry file loaded later (the seeds, at every `make run`) leaves it as it is."""

    aliases: Mapped[list["ActorAlias"]] = relationship(
        lazy="raise", back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.id"
    )


class ActorAlias(Base):
    """Every name an actor goes by, canonical names included, with its matching key."""

    __tablename__ = "actor_aliases"
    __table_args__ = (
        UniqueConstraint("actor_id", "key"),
        # The speaker type-ahead: similarity() and ILIKE over normalised names, in any script.
        Index(
            "ix_actor_aliases_key_trgm",
            "key",
            postgresql_using="gin",
            postgresql_ops={"key": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text, index=True)
    """`name` as `name_key` folds it: every spelling that search takes as one (alef/hamza, either
    hamza seat, ya, ta marbuta, Persian letters, diacritics, tatweel, case)."""
    is_title: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    """A title that names the actor by office (الناطق باسم الكرملين), not a name."""

    actor: Mapped[Actor] = relationship(lazy="raise", back_populates="aliases")
