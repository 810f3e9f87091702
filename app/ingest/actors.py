"""The actor registry in the database, and resolving a claim's speaker to one actor."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, selectinload

from app.errors import Invalid
from app.ingest.export import registry_names
from app.ingest.names import name_key, slugify
from app.ingest.schema import ActorIn, RegistryDocument, Speaker, alias_clashes
from app.messages import N_
from app.models import Actor, ActorAlias, ActorRedirect


class RegistryLoad(NamedTuple):
    added: int
    updated: int
    kept: list[str]
    """Slugs of actors an editor changed, whose entry says otherwise: left as the editor left them."""


def load_registry(session: Session, doc: RegistryDocument) -> RegistryLoad:
    """Upsert every actor by slug with all its names, except those an editor changed here."""
    existing = {
        actor.slug: actor
        for actor in session.scalars(select(Actor).options(selectinload(Actor.aliases)))
    }
    merged = dict(session.execute(select(ActorRedirect.slug, ActorRedirect.actor_id)).all())
    added, updated, kept = 0, 0, []
    applied: list[tuple[int, ActorIn]] = []  # with its place in the file, for a refusal to name
    for i, entry in enumerate(doc.actors):
        actor = existing.get(entry.slug) or _at_former_address(existing, entry)
        if actor is not None and actor.edited:
            # The archive's version stands (`Actor.edited`): compose and `make run` load the
            # seeds at every start, which undid every editor's correction of an actor.
            if _differs(actor, entry):
                kept.append(actor.slug)
            continue
        if actor is None and entry.slug in merged:
            # Editors merged it into another actor, which took its names and its address: a
            # registry reloaded must not bring it back beside that actor.
            continue
        if actor is None:
            actor = existing[entry.slug] = Actor(slug=entry.slug, aliases=[])
            session.add(actor)
            added += 1
        elif actor.slug != entry.slug:  # renamed: the same actor, whose old address redirects
            existing[entry.slug] = existing.pop(actor.slug)
        if _apply_entry(actor, entry) and actor.id is not None:
            updated += 1
        applied.append((i, entry))
    session.flush()
    _refuse_shared_names(applied, existing.values())
    _refuse_live_former_slugs(applied, set(existing))
    ids = merged | {slug: actor.id for slug, actor in existing.items()}
    redirects = [
        {"slug": slug, "actor_id": ids[e.slug]} for _, e in applied for slug in e.former_slugs
    ]
    if redirects:
        session.execute(insert(ActorRedirect).values(redirects).on_conflict_do_nothing())
    return RegistryLoad(added, updated, kept)


def _at_former_address(existing: dict[str, Actor], entry: ActorIn) -> Actor | None:
    """The stored actor at one of the entry's former addresses: the entry renames it. Else the
    entry would be a second actor going by the same names."""
    return next(filter(None, map(existing.get, entry.former_slugs)), None)


def _refuse_shared_names(applied: list[tuple[int, ActorIn]], actors: Iterable[Actor]) -> None:
    """The registry's rule, that an alias names one actor alone, over every stored actor and not
    the file's alone: a name of this file that another actor goes by as well (one an earlier file
    or the loader made) would leave a registry that its own export refuses (the backup, and the
    import form's lexicon), and a speaker of that name a coin toss between the two."""
    named = [registry_names(actor) for actor in sorted(actors, key=lambda a: a.slug)]
    listed = {entry.slug: (i, entry) for i, entry in applied}
    for i, _, name, other in alias_clashes(named):
        for mine, theirs in ((named[i].slug, other), (other, named[i].slug)):
            if mine in listed and (given := _given_as(listed[mine][1], name)):
                raise Invalid(
                    N_(
                        "actors[%(index)s].%(field)s: %(name)r already names %(actor)r",
                        index=listed[mine][0],
                        field=given[0],
                        name=given[1],
                        actor=theirs,
                    )
                )


def _refuse_live_former_slugs(applied: list[tuple[int, ActorIn]], slugs: set[str]) -> None:
    """A former address of this file's actors that a stored actor has (the registry's rule, over
    every stored actor): both an actor and a redirect, it would leave a registry its own export
    refuses. An actor the entry renames has its new address by now."""
    for i, entry in applied:
        if alive := sorted(slugs.intersection(entry.former_slugs)):
            raise Invalid(
                N_(
                    "actors[%(index)s].former_slugs: %(slug)r is an actor of the archive",
                    index=i,
                    slug=alive[0],
                )
            )


def _given_as(entry: ActorIn, name: str) -> tuple[str, str] | None:
    """Where and how the entry spells `name` (`aliases[2]`, `بيسكوف`); None if it does not give
    it: a clash the stored names had already is not this file's doing."""
    fields = {"name_ar": entry.name_ar, "name_en": entry.name_en, "name_ru": entry.name_ru}
    fields |= {f"aliases[{j}]": alias for j, alias in enumerate(entry.aliases)}
    key = name_key(name)
    return next(
        ((f, given) for f, given in fields.items() if given and name_key(given) == key), None
    )


def _fields(entry: ActorIn) -> dict[str, object]:
    return {
        "slug": entry.slug,
        "kind": entry.kind.value,
        "name_ar": entry.name_ar,
        "name_en": entry.name_en,
        "name_ru": entry.name_ru,
        "role": entry.role,
        "affiliation": entry.affiliation,
        "needs_review": entry.needs_review,
        "edited": entry.edited,
    }


def _names(entry: ActorIn) -> list[tuple[str, bool]]:
    """Every name the entry gives, and whether it is a title."""
    names = [entry.name_ar, entry.name_en, entry.name_ru, *entry.aliases]
    return [(n, False) for n in names if n] + [(t, True) for t in entry.titles]


def _differs(actor: Actor, entry: ActorIn) -> bool:
    """Whether loading the entry would change the actor (the `edited` mark aside)."""
    fields = _fields(entry) | {"edited": actor.edited}
    keys = {alias.key for alias in actor.aliases}
    return any(getattr(actor, f) != v for f, v in fields.items()) or any(
        name_key(name) not in keys for name, _ in _names(entry)
    )


def _apply_entry(actor: Actor, entry: ActorIn) -> bool:
    """Copy the registry entry onto the actor; True if anything changed."""
    changed = False
    for field, value in _fields(entry).items():
        if getattr(actor, field, None) != value:
            setattr(actor, field, value)
            changed = True
    for name, is_title in _names(entry):
        changed |= _add_alias(actor, name, is_title=is_title)
    return changed


def _add_alias(actor: Actor, name: str, *, is_title: bool) -> bool:
    key = name_key(name)
    if any(alias.key == key for alias in actor.aliases):
        return False
    actor.aliases.append(ActorAlias(name=name, key=key, is_title=is_title))
    return True


class SpeakerResolver:
    """Finds the actor a speaker names, by any name or alias; makes a new one, flagged for review,
    for a speaker nobody knows. Reads the alias table once and keeps it."""

    def __init__(self) -> None:
        self.by_key: dict[str, set[int]] | None = None
        self.slugs: dict[int, str] = {}
        self.added = 0

    def resolve(self, session: Session, speaker: Speaker) -> tuple[int, str]:
        """The actor's (id, slug)."""
        by_key = self._aliases(session)
        named, named_en = (by_key.get(name_key(n), set()) for n in (speaker.name, speaker.name_en))
        if named and named_en and not named & named_en:
            raise Invalid(
                N_(
                    "the speaker %(name)r is %(actor)s, but its English name %(name_en)r is"
                    " %(other)s: give both names of one speaker",
                    name=speaker.name,
                    actor=self.slugs[min(named)],
                    name_en=speaker.name_en,
                    other=self.slugs[min(named_en)],
                )
            )
        votes = Counter([*named, *named_en])
        if votes:
            best = max(votes.items(), key=lambda item: (item[1], -item[0]))[0]
            return best, self.slugs[best]
        return self._create(session, speaker)

    def _aliases(self, session: Session) -> dict[str, set[int]]:
        if self.by_key is None:
            self.by_key = defaultdict(set)
            rows = session.execute(
                select(ActorAlias.actor_id, ActorAlias.key, Actor.slug)
                .join(Actor)
                .where(ActorAlias.is_title.is_(False))
            )
            for actor_id, key, slug in rows:
                self.by_key[key].add(actor_id)
                self.slugs[actor_id] = slug
        return self.by_key

    def _create(self, session: Session, speaker: Speaker) -> tuple[int, str]:
        actor = Actor(
            slug=_free_slug(session, slugify(speaker.name_en) or "speaker"),
            kind=speaker.kind.value,
            name_ar=speaker.name,
            name_en=speaker.name_en,
            role=speaker.role,
            affiliation=speaker.affiliation,
            needs_review=True,
            aliases=[],
        )
        for name in (speaker.name, speaker.name_en):
            _add_alias(actor, name, is_title=False)
        session.add(actor)
        session.flush()
        for alias in actor.aliases:
            self._aliases(session)[alias.key].add(actor.id)
        self.slugs[actor.id] = actor.slug
        self.added += 1
        return actor.id, actor.slug


def _free_slug(session: Session, base: str) -> str:
    """`base`, or `base-2`, `base-3`…: an address no actor has, and none had before it was merged
    into another (that address redirects to the other for good)."""
    taken = set(session.scalars(select(Actor.slug).where(Actor.slug.startswith(base))))
    taken |= set(
        session.scalars(select(ActorRedirect.slug).where(ActorRedirect.slug.startswith(base)))
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
