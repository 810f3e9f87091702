"""Editors' changes to actors: names, aliases, role and side; and merging two into one."""

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from app.errors import Conflict, FieldsInvalid, Invalid
from app.ingest.actors import SpeakerResolver
from app.ingest.export import registry_names
from app.ingest.names import name_key
from app.ingest.schema import Speaker, alias_clashes
from app.messages import ACTOR_MERGED, N_, with_values
from app.models import Actor, ActorAlias, ActorRedirect, Claim, User
from app.models.vocab import ActorKind
from app.services.claim_edits import EditConflict, apply_edit, one_of, side_code, too_long

NAME_LIMIT = 200
LIMITS = {"name_ar": NAME_LIMIT, "name_en": NAME_LIMIT, "name_ru": NAME_LIMIT, "role": 300}
"""Longer is a paste gone wrong: a name is read in lists, suggestions and citations."""


def create_actor(session: Session, *, name_en: str, name_ar: str, kind: str) -> Actor:
    """A new speaker, typed in beside a claim; an existing actor if the names are known already."""
    if not name_en.strip():
        raise FieldsInvalid({"speaker": N_("give the new actor's English name")})
    if max(len(name_en.strip()), len(name_ar.strip())) > NAME_LIMIT:
        raise FieldsInvalid({"speaker": too_long(NAME_LIMIT)})
    if kind not in {k.value for k in ActorKind}:
        kinds = ", ".join(k.value for k in ActorKind)
        raise FieldsInvalid({"speaker": N_("choose what kind of speaker (%(kinds)s)", kinds=kinds)})
    speaker = Speaker(
        name=name_ar.strip() or name_en.strip(), name_en=name_en.strip(), kind=ActorKind(kind)
    )
    try:
        actor_id, _ = SpeakerResolver().resolve(session, speaker)
    except Invalid as two_actors:  # its Arabic and English names are two different actors
        raise FieldsInvalid({"speaker": two_actors.message}) from None
    actor = session.get(Actor, actor_id)
    assert actor is not None
    return actor


def edit_actor(
    session: Session, actor: Actor, values: dict[str, str], *, aliases: list[str], seen: str
) -> None:
    """Set names, role, side and kind; `aliases` (one per line) replace the other names it goes by.
    `seen` is the `updated_at` the editor's form was made from: if the actor was saved since,
    nothing is saved and Conflict says so, instead of silently undoing the other save.
    Needs `aliases` loaded."""
    if seen != actor.updated_at.isoformat():
        raise Conflict(
            N_(
                "someone saved this actor since you opened it, so nothing of yours was saved:"
                " the form now shows it as it is, make your change again"
            )
        )
    errors: dict[str, str] = {}
    for field in ("name_ar", "name_en"):
        if not values.get(field, "").strip():
            errors[field] = N_("cannot be empty")
    for field, limit in LIMITS.items():
        if len(values.get(field, "").strip()) > limit:
            errors[field] = too_long(limit)
    side = None
    try:
        side = side_code(values.get("affiliation", ""))
    except ValueError as error:
        errors["affiliation"] = error.args[0]  # the Message itself: str() would lose its template
    if values.get("kind") not in {k.value for k in ActorKind}:
        errors["kind"] = one_of(k.value for k in ActorKind)
    if errors:
        raise FieldsInvalid(errors)
    with session.begin_nested():  # refused for a name another actor goes by: none of it stays
        _apply_form(actor, values, side=side, aliases=aliases)
        session.flush()
        if taken := _name_taken(session, actor):
            name, other = taken
            message = N_("%(name)r already names another actor, %(actor)s", name=name, actor=other)
            raise FieldsInvalid({_field_typed_in(values, name): message})


def _apply_form(
    actor: Actor, values: dict[str, str], *, side: str | None, aliases: list[str]
) -> None:
    actor.name_ar = values["name_ar"].strip()
    actor.name_en = values["name_en"].strip()
    actor.name_ru = values.get("name_ru", "").strip() or None
    actor.role = values.get("role", "").strip() or None
    actor.affiliation = side
    actor.kind = values["kind"]
    actor.needs_review = False
    actor.edited = True
    actor.updated_at = func.clock_timestamp()  # even when only its aliases change; distinct
    names = [actor.name_ar, actor.name_en, actor.name_ru or ""]
    names += [line for text in aliases for line in text.splitlines()]
    wanted = {name_key(n): n.strip() for n in names if n.strip()}
    for alias in list(actor.aliases):
        if not alias.is_title and alias.key not in wanted:
            actor.aliases.remove(alias)
    have = {alias.key for alias in actor.aliases}
    actor.aliases.extend(
        ActorAlias(name=name, key=key) for key, name in wanted.items() if key not in have
    )


def _field_typed_in(values: dict[str, str], name: str) -> str:
    """The field of the form that gave the actor `name` (in any spelling): a name's, else aliases."""
    names = ("name_ar", "name_en", "name_ru")
    return next((f for f in names if name_key(values.get(f, "")) == name_key(name)), "aliases")


def _name_taken(session: Session, actor: Actor) -> tuple[str, str] | None:
    """One of `actor`'s names that another actor goes by too, where the registry's rule forbids it
    (an alias names one actor alone), and that other actor's slug. Such a name would make the
    registry refused whole: by the backup, and by every import, whose lexicon it is."""
    keys = select(ActorAlias.key).where(ActorAlias.actor_id == actor.id)
    near = session.scalars(
        select(Actor)
        .where(Actor.id.in_(select(ActorAlias.actor_id).where(ActorAlias.key.in_(keys))))
        .options(selectinload(Actor.aliases))
        .order_by(Actor.slug)  # as the registry is written: who comes first keeps a shared name
        .execution_options(populate_existing=True)  # a merge moved names behind the ORM's back
    ).all()
    named = [registry_names(a) for a in near]
    for i, _, name, other in alias_clashes(named):
        if named[i].slug == actor.slug:  # an alias of its names another actor
            return name, other
        if other == actor.slug:  # another's alias is one of its names
            return name, named[i].slug
    return None


def merge_actors(session: Session, source: Actor, target: Actor, *, editor: User) -> None:
    """`source` becomes `target`: its claims move (each with a revision), its names become
    aliases of `target`, and its address redirects there."""
    if source.id == target.id:
        raise Invalid(N_("an actor cannot be merged into itself"))
    # Both locked, in the same order whichever way the merge goes: two editors merging two actors
    # into each other wait one for the other instead of deadlocking, and the second finds one of
    # its actors merged away.
    locked = session.scalars(
        select(Actor.slug)
        .where(Actor.id.in_((source.id, target.id)))
        .order_by(Actor.id)
        .with_for_update()
    ).all()
    if gone := {source.slug, target.slug} - set(locked):
        raise Invalid(
            N_(
                "someone merged %(actor)s into another actor meanwhile: nothing was merged",
                actor=gone.pop(),
            )
        )
    with session.begin_nested():  # refused partway (a claim saved meanwhile): none of it stays
        _merge(session, source, target, editor=editor)


def _merge(session: Session, source: Actor, target: Actor, *, editor: User) -> None:
    claims = session.execute(
        select(Claim.id, Claim.version).where(Claim.speaker_id == source.id).order_by(Claim.id)
    ).all()
    note = with_values(ACTOR_MERGED, source=source.slug, target=target.slug)
    for claim_id, version in claims:
        result = apply_edit(
            session,
            claim_id,
            {"speaker": target.slug},
            editor=editor,
            base_version=version,
            note=note,
            follow_speaker=False,
        )
        if isinstance(result, EditConflict):
            raise Invalid(N_("claim %(claim)d changed during the merge: try again", claim=claim_id))
    target_keys = select(ActorAlias.key).where(ActorAlias.actor_id == target.id)
    session.execute(
        update(ActorAlias)
        .where(ActorAlias.actor_id == source.id, ActorAlias.key.not_in(target_keys))
        .values(actor_id=target.id)
    )
    session.execute(
        update(ActorRedirect).where(ActorRedirect.actor_id == source.id).values(actor_id=target.id)
    )
    session.add(ActorRedirect(slug=source.slug, actor_id=target.id))
    # The target now goes by the source's names too: a form of it opened before must not save
    # its older list of names over them (edit_actor's `seen`).
    target.updated_at = func.clock_timestamp()
    target.edited = True
    session.flush()
    session.expunge(source)
    session.execute(delete(Actor).where(Actor.id == source.id))
    if taken := _name_taken(session, target):  # a name the two had shared with a third actor
        name, other = taken
        raise Invalid(
            N_(
                "after the merge, %(name)r would name both %(target)s and %(actor)s: change the"
                " names of one of them first",
                name=name,
                target=target.slug,
                actor=other,
            )
        )
    session.expire(target)
