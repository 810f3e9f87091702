"""Actors: the speaker type-ahead (pg_trgm over every name and alias) and an actor's page."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session, selectinload

from app.ingest.names import name_key
from app.models import Actor, ActorAlias, ActorRedirect

SUGGESTIONS = 8
MIN_SIMILARITY = 0.2


@dataclass(frozen=True)
class Suggestion:
    slug: str
    name_en: str
    name_ar: str
    affiliation: str | None
    matched: str
    """The name or alias that matched what was typed."""


def search_actors(session: Session, q: str, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Actors whose names or aliases look like `q`, in any script, best first.

    `q` is folded as alias keys are (`name_key`: the spellings search takes as one), then
    matched by trigram similarity or as a substring, both served by ix_actor_aliases_key_trgm.
    """
    key = name_key(q)
    if not key:
        return []
    whole = func.similarity(ActorAlias.key, key)
    score = func.greatest(whole, func.word_similarity(key, ActorAlias.key))
    # Between names `q` matches as well, the one that is all of it first: a word of a title
    # matches whole too ("kremlin" in "kremlin spokesman"), and Peskov came before the Kremlin.
    best = (
        select(ActorAlias.actor_id, ActorAlias.name, score.label("score"), whole.label("whole"))
        .where(
            ActorAlias.key.bool_op("%")(key)
            | ActorAlias.key.contains(key, autoescape=True)
            | ActorAlias.key.bool_op("%>")(key)
        )
        .ext(distinct_on(ActorAlias.actor_id))
        .order_by(ActorAlias.actor_id, score.desc(), whole.desc())
        .subquery()
    )
    rows = session.execute(
        select(Actor, best.c.name)
        .join(best, best.c.actor_id == Actor.id)
        .order_by(best.c.score.desc(), best.c.whole.desc(), Actor.name_en)
        .limit(limit)
    )
    return [
        Suggestion(actor.slug, actor.name_en, actor.name_ar, actor.affiliation, matched)
        for actor, matched in rows
    ]


def actor_by_slug(session: Session, slug: str) -> Actor | None:
    return session.scalars(
        select(Actor).where(Actor.slug == slug).options(selectinload(Actor.aliases))
    ).one_or_none()


def actor_merged_from(session: Session, slug: str) -> Actor | None:
    """The actor that the actor once at `slug` was merged into, so that links to the old
    address keep working. Read only when no actor has the address now."""
    return session.scalar(
        select(Actor)
        .join(ActorRedirect, ActorRedirect.actor_id == Actor.id)
        .where(ActorRedirect.slug == slug)
    )
