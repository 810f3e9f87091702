from datetime import date

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, TimestampMixin
from app.models.actor import Actor
from app.models.article import Article
from app.models.vocab import ChangeSource, ClaimStatus, MilitaryBase, Precision, Stance, sql_in

claim_tags = Table(
    "claim_tags",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


TIMELINE_COUNTED = [
    "stated_on", "status", "merged_into_id", "stance", "speaker_affiliation", "speaker_id",
    "article_id", "bases", "via", "language", "stated_on_precision", "tag_ids",
]  # fmt: skip
"""The columns the facet counts and the chart read (the chart sets apart claims known only by
their year), carried by the timeline's index so that counting a date range is an index-only
scan: a week of 2024's 3,600 claims lie on 64 index pages against 2,400 table pages."""
REVIEW_FILTERED = ["speaker_id", "stance", "extractor", "article_id", "bases", "language"]
"""The columns the review queue's filters read, carried by its index so that counting the claims
left is an index-only scan."""


class Claim(TimestampMixin, Base):
    """One statement by one speaker about Russia's bases, anchored to a span of its article."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span_ordered"),
        CheckConstraint(f"stance IN ({sql_in(Stance)})", name="stance_known"),
        CheckConstraint(f"status IN ({sql_in(ClaimStatus)})", name="status_known"),
        CheckConstraint(f"origin IN ({sql_in(ChangeSource)})", name="origin_known"),
        CheckConstraint(
            f"stated_on_precision IN ({sql_in(Precision)})", name="stated_on_precision_known"
        ),
        CheckConstraint(
            f"bases <@ ARRAY[{sql_in(MilitaryBase)}]::text[] AND array_position(bases, NULL) IS NULL",
            name="bases_known",
        ),
        CheckConstraint(
            "(stated_on IS NULL) = (stated_on_precision = 'unknown')"
            " AND (stated_on_precision NOT IN ('month', 'year') OR extract(day FROM stated_on) = 1)"
            " AND (stated_on_precision <> 'year' OR extract(month FROM stated_on) = 1)",
            name="stated_on_matches_precision",
        ),
        # Newest statement first, undated last (as -infinity): the timeline's keyset order.
        Index(
            "ix_claims_timeline",
            text("coalesce(stated_on, '-infinity'::date) DESC"),
            text("id DESC"),
            postgresql_include=TIMELINE_COUNTED,
        ),
        Index(
            "ix_claims_speaker_timeline",
            "speaker_id",
            text("coalesce(stated_on, '-infinity'::date) DESC"),
            text("id DESC"),
        ),
        Index("ix_claims_bases", "bases", postgresql_using="gin"),
        # The feeds: newest change first, all claims or one speaker's.
        Index("ix_claims_updated", text("updated_at DESC"), text("id DESC")),
        Index("ix_claims_speaker_updated", "speaker_id", text("updated_at DESC"), text("id DESC")),
        Index("ix_claims_search", "search_vector", postgresql_using="gin"),
        # A language with few claims: walking the timeline for it would read every claim.
        Index("ix_claims_language", "language"),
        # The review queue, oldest first, and how many are left under its filters: the claims
        # waiting are a few percent of the archive, found without reading the table.
        Index(
            "ix_claims_review_queue",
            "created_at",
            "id",
            postgresql_include=REVIEW_FILTERED,
            postgresql_where=text("status = 'extracted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("actors.id"))
    """Found by the indexes that begin with it: ix_claims_speaker_timeline, _speaker_updated."""
    speaker_name: Mapped[str] = mapped_column(Text)
    """The speaker's name as the article writes it."""
    speaker_role: Mapped[str | None] = mapped_column(Text)
    """The role the article gives the speaker at the time of the statement."""
    speaker_affiliation: Mapped[str | None] = mapped_column(String(8))
    via: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    direct: Mapped[bool] = mapped_column(Boolean)
    stated_on: Mapped[date | None] = mapped_column(Date)
    stated_on_precision: Mapped[str] = mapped_column(String(10))
    bases: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    stance: Mapped[str] = mapped_column(String(20))
    summary_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary_machine: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.VERIFIED)
    origin: Mapped[str] = mapped_column(String(20), default=ChangeSource.LOADER)
    """Who first made the claim: the loader, the extractor or an editor."""
    extractor: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    """An editor's note, not part of the public record."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The quote and the article's title as search sees them (app.extract.search_text); kept by
    app.services.search_index whenever a claim or its article is written."""
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, FetchedValue(), server_onupdate=FetchedValue(), deferred=True
    )
    """`strip(to_tsvector('arabic', search_text) || to_tsvector('english', summary_en))`: the
    words, without their positions, which no search reads. Set by the trigger
    claims_search_vector on every insert and every update that writes either text (a trigger,
    not a generated column, so that a bulk load may supply it: bench/archive.py)."""
    language: Mapped[str] = mapped_column(String(2), FetchedValue(), deferred=True)
    """Its article's language, set by the trigger claims_language, and again by
    articles_language_to_claims when the article's language changes (a change to the claim: its
    `updated_at` moves, which renews the counts kept by it). The language facet counts claims by
    a column of theirs."""
    tag_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default="{}", deferred=True)
    """Its tags' ids, in order: a copy of its claim_tags rows, kept by the triggers on that table
    (claim_tags_to_claims), whatever writes them. The tag facet counts claims by a column of
    theirs, read from the timeline index with the others. `tags` is what to read and change."""
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    """Set when an editor found this claim to duplicate another: its page points there."""

    __mapper_args__ = {"version_id_col": version}

    article: Mapped[Article] = relationship(lazy="raise")
    speaker: Mapped[Actor] = relationship(lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary=claim_tags, lazy="raise", order_by=Tag.name)
