"""What editors read: a claim with everything its editor shows, the review queue, suggestions
for the speaker and tag fields, and actors by their current or former address."""

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, Text, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from app.errors import NotFound
from app.ingest.names import name_key
from app.messages import N_
from app.models import (
    Actor,
    ActorAlias,
    ActorRedirect,
    Article,
    Claim,
    Outlet,
    Revision,
    Tag,
    User,
)
from app.models.revision import CREATED
from app.models.vocab import ARTICLE_LANGUAGES, ClaimStatus
from app.queries.filters import speaker_ids_for, written_in

QUEUE_PAGE = 20
SUGGESTIONS = 8


def claim_for_edit(session: Session, claim_id: int) -> Claim:
    """The claim as it is in the database now, with speaker, tags, article and outlet loaded."""
    claim = session.scalars(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            selectinload(Claim.speaker),
            selectinload(Claim.tags),
            selectinload(Claim.article).selectinload(Article.outlet),
        )
        .execution_options(populate_existing=True)
    ).one_or_none()
    if claim is None:
        raise NotFound(N_("There is no claim %(claim)d in the archive.", claim=claim_id))
    return claim


def actor_by_slug(session: Session, slug: str) -> Actor | None:
    """The actor at this address, or the one it was merged into."""
    actor = session.scalar(select(Actor).where(Actor.slug == slug))
    if actor is None:
        actor = session.scalar(
            select(Actor)
            .join(ActorRedirect, ActorRedirect.actor_id == Actor.id)
            .where(ActorRedirect.slug == slug)
        )
    return actor


def actor_for_edit(session: Session, actor_id: int, *, lock: bool = False) -> Actor:
    """The actor with its names. `lock`, for a save: its row is locked until the transaction ends,
    and read as the save before it left it, so that two saves of one form are checked one after
    the other (the second finds the first's, and is refused)."""
    query = select(Actor).where(Actor.id == actor_id).options(selectinload(Actor.aliases))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    actor = session.scalars(query).one_or_none()
    if actor is None:
        raise NotFound(N_("There is no actor %(actor)d in the archive.", actor=actor_id))
    return actor


class QueueFilters(BaseModel):
    """The queue narrowed like the timeline: by speaker, base, stance, outlet, language, extractor;
    or to one article (by key), which an import leads to."""

    model_config = ConfigDict(frozen=True)

    speaker: str | None = None
    base: str | None = None
    stance: str | None = None
    outlet: str | None = None
    language: str | None = None
    extractor: str | None = None
    article: str | None = None

    def active(self) -> dict[str, str]:
        return {name: value for name, value in self.model_dump().items() if value}


@dataclass(frozen=True)
class Queue:
    claims: list[Claim]
    left: int
    """Extracted claims that match the filters, shown or not."""


def review_queue(session: Session, filters: QueueFilters, *, size: int = QUEUE_PAGE) -> Queue:
    """Claims the extractor proposed and nobody has decided on, oldest first."""
    waiting = select(Claim).where(Claim.status == ClaimStatus.EXTRACTED)
    query = _filtered(session, waiting, filters)
    claims = session.scalars(
        query.options(
            selectinload(Claim.speaker),
            selectinload(Claim.tags),
            selectinload(Claim.article).selectinload(Article.outlet),
        )
        .order_by(Claim.created_at, Claim.id)
        .limit(size)
    )
    left = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    return Queue(list(claims), left)


def next_in_queue(session: Session, filters: QueueFilters, after: Claim) -> int | None:
    """The claim waiting after `after` in the queue `filters` narrow (oldest first, as
    `review_queue` lists it), whether `after` waits still or was just decided; None if none."""
    later = select(Claim).where(
        Claim.status == ClaimStatus.EXTRACTED,
        tuple_(Claim.created_at, Claim.id) > tuple_(after.created_at, after.id),
    )
    query = _filtered(session, later, filters).with_only_columns(Claim.id)
    return session.scalar(query.order_by(Claim.created_at, Claim.id).limit(1))


def _filtered(session: Session, query: Select[Claim], filters: QueueFilters) -> Select[Claim]:
    if filters.speaker:
        # By id, as the timeline resolves its speakers: the planner then knows how many claims
        # the speaker has (200,000 for the most quoted), not the average.
        query = query.where(Claim.speaker_id.in_(speaker_ids_for(session, [filters.speaker])))
    if filters.base:
        query = query.where(Claim.bases.any_() == filters.base)
    if filters.stance:
        query = query.where(Claim.stance == filters.stance)
    if filters.extractor:
        query = query.where(Claim.extractor == filters.extractor)
    if filters.language:
        query = query.where(written_in([filters.language]))
    if filters.article:
        query = query.where(
            Claim.article_id
            == select(Article.id).where(Article.key == filters.article).scalar_subquery()
        )
    if filters.outlet:
        # The outlet's articles as a set of ids, like a language's; the outlet by id, as the
        # speaker, so that the planner knows how many articles it has.
        outlet = session.scalar(select(Outlet.id).where(Outlet.name == filters.outlet))
        articles = select(Article.id).where(Article.outlet_id == outlet)
        query = query.where(Claim.article_id.in_(articles))
    return query


def queue_choices(session: Session) -> dict[str, list[str]]:
    """The values the queue's filters offer: every outlet, the languages basewatch reads, and
    each extractor with a claim waiting (read from the queue's index). Which outlets have a
    claim waiting would mean reading an article per waiting claim: 80 ms with 70,000 waiting."""
    waiting = Claim.status == ClaimStatus.EXTRACTED
    extractors = select(Claim.extractor).where(waiting, Claim.extractor.is_not(None)).distinct()
    return {
        "outlet": list(session.scalars(select(Outlet.name).order_by(Outlet.name))),
        "language": ARTICLE_LANGUAGES,
        "extractor": sorted(session.scalars(extractors)),
    }


def suggest_actors(session: Session, q: str) -> list[Actor]:
    """Actors whose name or any alias contains `q` (normalised as names are), best known first."""
    key = name_key(q)
    if not key:
        return []
    matching = select(ActorAlias.actor_id).where(ActorAlias.key.contains(key, autoescape=True))
    return list(
        session.scalars(
            select(Actor)
            .where(
                or_(
                    Actor.id.in_(matching),
                    func.lower(Actor.name_en).contains(key, autoescape=True),
                    Actor.slug.contains(key, autoescape=True),
                )
            )
            .order_by(Actor.needs_review, Actor.name_en)
            .limit(SUGGESTIONS)
        )
    )


def suggest_tags(session: Session, q: str) -> list[str]:
    query = select(Tag.name).order_by(Tag.name).limit(SUGGESTIONS)
    if q.strip():
        query = query.where(Tag.name.icontains(q.strip(), autoescape=True))
    return list(session.scalars(query))


def article_by_key(session: Session, key: str) -> Article:
    article = session.scalars(
        select(Article).where(Article.key == key).options(selectinload(Article.outlet))
    ).one_or_none()
    if article is None:
        raise NotFound(N_("There is no article %(key)r in the archive.", key=key))
    return article


def claim_count_by_speaker(session: Session, actor_id: int) -> int:
    return session.scalar(select(func.count()).where(Claim.speaker_id == actor_id)) or 0


@dataclass(frozen=True)
class AddedBy:
    """Who or what first gave a claim this actor as its speaker: the loader, the extractor (an
    imported article), or an editor (by name)."""

    source: str
    username: str | None


def actor_added_by(session: Session, actor: Actor) -> AddedBy | None:
    """Read from the revision history of the actor's claims: the earliest revision that stored
    one of them with this speaker, or changed one's speaker to it. None when no claim of theirs
    tells (a registry entry without claims, or one whose claims moved to another speaker)."""
    slug = literal(actor.slug, Text)
    row = session.execute(
        select(Revision.source, User.username)
        .join(Claim, Claim.id == Revision.claim_id)
        .outerjoin(User, User.id == Revision.user_id)
        .where(
            Claim.speaker_id == actor.id,
            or_(
                and_(Revision.field == CREATED, Revision.new_value["speaker"].astext == actor.slug),
                and_(Revision.field == "speaker", Revision.new_value == func.to_jsonb(slug)),
            ),
        )
        .order_by(Revision.id)
        .limit(1)
    ).first()
    return AddedBy(row.source, row.username) if row else None


@dataclass(frozen=True)
class ImportedArticle:
    key: str
    title: str
    waiting: int
    """Its claims the extractor proposed that still wait for review."""
    outlet: str
    language: str
    published_on: date | None
    """As the editor gave them or as found in the page: shown, so that a wrong guess is seen."""


def imported_article(session: Session, key: str) -> ImportedArticle | None:
    waiting = func.count(Claim.id).filter(Claim.status == ClaimStatus.EXTRACTED)
    row = session.execute(
        select(Article.key, Article.title, waiting, Outlet.name, Article.language)
        .add_columns(Article.published_on)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .outerjoin(Claim, Claim.article_id == Article.id)
        .where(Article.key == key)
        .group_by(Article.id, Outlet.id)
    ).first()
    return ImportedArticle(*row) if row else None
