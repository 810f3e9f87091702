"""Writing articles back out in the annotated-article format: loading the output changes nothing.

A backup (`archive=True`) also gives each claim its `archive` block, and the registry and the
accounts what a restore needs (docs/backup.md). Articles are read a chunk at a time, with a few
queries per chunk, so that a large archive exports in minutes.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from app.errors import Invalid
from app.ingest.records import claim_input
from app.ingest.schema import (
    ActorIn,
    ActorNames,
    ArticleDocument,
    ArticleIn,
    ClaimArchive,
    HistoryEntry,
    RegistryDocument,
    ReviewEntry,
    StatementEntry,
    UserIn,
    UsersDocument,
)
from app.messages import N_
from app.models import (
    Actor,
    ActorRedirect,
    Article,
    Claim,
    ReviewDecision,
    Revision,
    StatementMember,
    User,
)
from app.models.editor import Decision, RejectReason
from app.models.vocab import ActorKind, ChangeSource, Role

CHUNK = 500
"""Articles per round of queries."""


def file_text(document: BaseModel) -> str:
    """A document as its file holds it, from `basewatch export` or the web's zip alike."""
    return document.model_dump_json(indent=2) + "\n"


def export_article(
    session: Session, article: Article, *, statuses: Sequence[str] | None = None
) -> ArticleDocument:
    return next(export_articles(session, [article], statuses=statuses))


def export_articles(
    session: Session,
    articles: Sequence[Article],
    *,
    archive: bool = False,
    statuses: Sequence[str] | None = None,
) -> Iterator[ArticleDocument]:
    """The articles with their claims: all of them, or those of `statuses` (what a reader may
    see: a visitor, the verified ones)."""
    only = [Claim.status.in_(statuses)] if statuses is not None else []
    for start in range(0, len(articles), CHUNK):
        chunk = articles[start : start + CHUNK]
        claims: dict[int, list[Claim]] = defaultdict(list)
        for claim in session.scalars(
            select(Claim)
            .where(Claim.article_id.in_([a.id for a in chunk]), *only)
            .options(selectinload(Claim.speaker), selectinload(Claim.tags))
            .order_by(Claim.span_start, Claim.id)
        ):
            claims[claim.article_id].append(claim)
        archives = _archives(session, [c for a in chunk for c in claims[a.id]]) if archive else {}
        for article in chunk:
            yield _document(article, claims[article.id], archives)


def _document(
    article: Article, claims: list[Claim], archives: dict[int, ClaimArchive]
) -> ArticleDocument:
    """The article's file, checked as the loader checks one. An archive that breaks a rule of
    the format (two claims on the same words, left by an editor before that was refused) is
    named, so that an editor can correct it, rather than written in a file load would refuse."""
    try:
        return ArticleDocument(
            format="annotated-article/1",
            article=ArticleIn(
                key=article.key,
                url=article.url,
                outlet=article.outlet.name,
                title=article.title,
                language=article.language,
                published_on=article.published_on,
                text=article.text,
            ),
            claims=[
                claim_input(claim).model_copy(update={"archive": archives.get(claim.id)})
                for claim in claims
            ],
        )
    except ValidationError as error:
        raise Invalid(
            N_(
                "article %(key)s cannot be exported: %(problem)s",
                key=article.key,
                problem=_problem(error),
            )
        ) from None


def _problem(error: ValidationError) -> str:
    """The rule of the format a stored value breaks, as the loader would word it."""
    return str(error.errors()[0]["msg"]).removeprefix("Value error, ")


def read_one_snapshot(session: Session) -> None:
    """From now to the end of its transaction, `session` reads the archive as it stood at one
    moment (REPEATABLE READ), whatever editors commit meanwhile: a backup or a checksum taken on
    a working site must not pair `_actors.json` from before an edit with articles from after it.
    Call it before the session's first query."""
    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def articles_to_export(session: Session, key: str | None = None) -> list[Article]:
    query = select(Article).options(selectinload(Article.outlet)).order_by(Article.key)
    if key is not None:
        query = query.where(Article.key == key)
    return list(session.scalars(query))


def _archives(session: Session, claims: list[Claim]) -> dict[int, ClaimArchive]:
    ids = [c.id for c in claims]
    history, reviews = _history(session, ids), _reviews(session, ids)
    statements = _statements(session, ids)
    return {
        c.id: ClaimArchive(
            id=c.id,
            speaker=c.speaker.slug,
            version=c.version,
            origin=ChangeSource(c.origin),
            note=c.note,
            merged_into=c.merged_into_id,
            created_at=c.created_at,
            updated_at=c.updated_at,
            statement=statements.get(c.id),
            history=history[c.id],
            reviews=reviews[c.id],
        )
        for c in claims
    }


def _history(session: Session, ids: list[int]) -> dict[int, list[HistoryEntry]]:
    found: dict[int, list[HistoryEntry]] = defaultdict(list)
    rows = session.execute(
        select(Revision, User.username)
        .outerjoin(User, User.id == Revision.user_id)
        .where(Revision.claim_id.in_(ids))
        .order_by(Revision.claim_id, Revision.id)
    )
    for revision, username in rows:
        found[revision.claim_id].append(
            HistoryEntry(
                version=revision.version,
                source=ChangeSource(revision.source),
                user=username,
                at=revision.at,
                field=revision.field,
                old=revision.old_value,
                new=revision.new_value,
                note=revision.note,
            )
        )
    return found


def _reviews(session: Session, ids: list[int]) -> dict[int, list[ReviewEntry]]:
    found: dict[int, list[ReviewEntry]] = defaultdict(list)
    rows = session.execute(
        select(ReviewDecision, User.username)
        .join(User, User.id == ReviewDecision.user_id)
        .where(ReviewDecision.claim_id.in_(ids))
        .order_by(ReviewDecision.claim_id, ReviewDecision.id)
    )
    for review, username in rows:
        found[review.claim_id].append(
            ReviewEntry(
                user=username,
                at=review.at,
                decision=Decision(review.decision),
                fields=review.fields,
                reason=RejectReason(review.reason) if review.reason else None,
                extractor=review.extractor,
            )
        )
    return found


def _statements(session: Session, ids: list[int]) -> dict[int, StatementEntry]:
    decider = aliased(User)
    rows = session.execute(
        select(StatementMember, decider.username)
        .outerjoin(decider, decider.id == StatementMember.decided_by)
        .where(StatementMember.claim_id.in_(ids))
    )
    return {
        member.claim_id: StatementEntry(
            id=member.statement_id,
            confirmed=member.confirmed,
            decided_by=username,
            decided_at=member.decided_at,
        )
        for member, username in rows
    }


def export_registry(session: Session) -> RegistryDocument:
    actors = session.scalars(
        select(Actor).options(selectinload(Actor.aliases)).order_by(Actor.slug)
    )
    former: dict[int, list[str]] = defaultdict(list)
    for slug, actor_id in session.execute(
        select(ActorRedirect.slug, ActorRedirect.actor_id).order_by(ActorRedirect.slug)
    ):
        former[actor_id].append(slug)
    try:
        return RegistryDocument(
            format="actor-registry/1", actors=[_actor_entry(a, former[a.id]) for a in actors]
        )
    except ValidationError as error:  # a name stored before the rule was kept everywhere
        raise Invalid(
            N_("the actor registry cannot be exported: %(problem)s", problem=_problem(error))
        ) from None


def registry_aliases(actor: Actor) -> list[str]:
    """The other names an actor goes by, as the registry lists them: not its own names, nor the
    titles that name it by office."""
    own = {actor.name_ar, actor.name_en, actor.name_ru}
    return [a.name for a in actor.aliases if not a.is_title and a.name not in own]


def registry_names(actor: Actor) -> ActorNames:
    """As the registry lists them: its own names, then the others it goes by."""
    own = (actor.name_ar, actor.name_en, actor.name_ru)
    return ActorNames(actor.slug, own, registry_aliases(actor))


def _actor_entry(actor: Actor, former_slugs: list[str]) -> ActorIn:
    return ActorIn(
        slug=actor.slug,
        kind=ActorKind(actor.kind),
        name_ar=actor.name_ar,
        name_en=actor.name_en,
        name_ru=actor.name_ru,
        role=actor.role,
        affiliation=actor.affiliation,
        aliases=registry_aliases(actor),
        titles=[a.name for a in actor.aliases if a.is_title],
        needs_review=actor.needs_review,
        edited=actor.edited,
        former_slugs=former_slugs,
    )


def export_users(session: Session) -> UsersDocument:
    """Every account, without its password."""
    users = session.scalars(select(User).order_by(User.username))
    return UsersDocument(
        format="basewatch-users/1",
        users=[UserIn(username=u.username, role=Role(u.role), disabled=u.disabled) for u in users],
    )
