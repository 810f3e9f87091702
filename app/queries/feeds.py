"""What the Atom feeds carry: new and corrected claims, newest change first, narrowed by
speaker, base or stance, or to position shifts only."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ARRAY, ColumnElement, Select, Text, and_, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, selectinload

from app.models import Actor, Article, Claim, Revision
from app.models.revision import CREATED
from app.models.vocab import ClaimStatus
from app.queries.shifts import previous_stance

FEED_SIZE = 50


@dataclass(frozen=True)
class FeedFilter:
    """One narrowing of the feed; all None is every claim."""

    speaker_id: int | None = None
    base: str | None = None
    stance: str | None = None
    shifts_only: bool = False


@dataclass(frozen=True)
class FeedEntry:
    claim: Claim
    was: str | None
    """The speaker's previous stance on these bases, when this claim shifts from it."""
    corrected: bool
    """Changed since it was first published (a proposal approved as it stood is new)."""


@dataclass(frozen=True)
class Feed:
    entries: list[FeedEntry] = field(default_factory=list)

    @property
    def updated(self) -> datetime | None:
        """The last change to anything an entry shows: its claim, speaker or article."""
        return max(
            (
                when
                for e in self.entries
                for when in (
                    e.claim.updated_at,
                    e.claim.speaker.updated_at,
                    e.claim.article.updated_at,
                )
            ),
            default=None,
        )


def _publishing() -> ColumnElement[bool]:
    """A revision that made its claim public: created verified, or verified by an editor."""
    verified = ClaimStatus.VERIFIED.value
    return and_(
        Revision.claim_id == Claim.id,
        or_(
            and_(Revision.field == CREATED, Revision.new_value["status"].astext == verified),
            and_(Revision.field == "status", Revision.new_value == literal(verified, JSONB)),
        ),
    )


def _published() -> ColumnElement[bool]:
    """Verified claims, and those withdrawn after they were published (a correction too): not an
    extractor's proposal an editor turned down, which was never public."""
    return or_(
        Claim.status == ClaimStatus.VERIFIED,
        and_(
            Claim.status == ClaimStatus.REJECTED, Claim.version > 1, exists().where(_publishing())
        ),
    )


def _first_published_version() -> ColumnElement[int]:
    """The version that made the claim public; 1 for a claim stored without a history (the
    benchmark archive writes few revisions)."""
    first = select(func.min(Revision.version)).where(_publishing()).scalar_subquery()
    return func.coalesce(first, 1)


def feed_query(narrow: FeedFilter) -> Select[Claim, str, int]:
    was = previous_stance().label("was")
    first_published = _first_published_version().label("first_published")
    query = select(Claim, was, first_published).where(_published())
    if narrow.speaker_id is not None:
        query = query.where(Claim.speaker_id == narrow.speaker_id)
    if narrow.base is not None:
        query = query.where(Claim.bases.op("@>")(literal([narrow.base], ARRAY(Text))))
    if narrow.stance is not None:
        query = query.where(Claim.stance == narrow.stance)
    if narrow.shifts_only:
        query = query.where(Claim.stated_on.is_not(None), previous_stance() != Claim.stance)
    return query.order_by(Claim.updated_at.desc(), Claim.id.desc())


def claim_feed(session: Session, narrow: FeedFilter, *, size: int = FEED_SIZE) -> Feed:
    rows = session.execute(
        feed_query(narrow)
        .options(
            selectinload(Claim.speaker),
            selectinload(Claim.article).selectinload(Article.outlet),
        )
        .limit(size)
    )
    entries = []
    for claim, was, first_published in rows:
        shift = was if was is not None and was != claim.stance else None
        entries.append(FeedEntry(claim, shift, corrected=claim.version > first_published))
    return Feed(entries)


def actor_by_slug(session: Session, slug: str) -> Actor | None:
    return session.scalars(select(Actor).where(Actor.slug == slug)).one_or_none()
