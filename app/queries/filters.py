"""The analyst's selection: one model for the timeline page, the exports and the JSON API.

Every filter is a URL parameter, so a view can be shared and the back button restores it.
`conditions()` turns a selection into SQL; facets leave one filter out to count its values.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, NamedTuple
from urllib.parse import urlencode

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    bindparam,
    case,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, Text

from app.db.session import read_rows
from app.extract.normalize import ASCII_DIGITS
from app.extract.search_text import query_variants, words
from app.ingest.names import name_key
from app.messages import N_, Message
from app.models import Actor, ActorAlias, ActorRedirect, Claim, Tag, claim_tags
from app.models.vocab import ActorKind, ClaimStatus, MilitaryBase, Precision, Stance
from app.queries.search import all_of, query_words
from app.queries.shifts import NO_DATE, previous_stance, sort_date

GENERAL = "general"
"""The `base` value for statements on Russia's military presence in general (no base named)."""
BASE_VALUES = [*(b.value for b in MilitaryBase), GENERAL]
NO_SIDE = "none"
"""The `side` value for speakers whose side is unknown."""


def _none_if_blank(value: Any) -> Any:
    return None if value == "" else value


def _drop_blanks(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    return [v.strip() for v in value if v and v.strip()] if isinstance(value, list) else value


Many = Annotated[list[str], BeforeValidator(_drop_blanks)]


def _iso_date(value: Any) -> Any:
    """A date as YYYY-MM-DD, in any of the digits Arabic is written with, refused in words a
    reader can act on (pydantic's own speak of 'datetime' and 'input is too short')."""
    if not isinstance(value, str) or value == "":
        return _none_if_blank(value)
    try:
        return date.fromisoformat(value.strip().translate(ASCII_DIGITS))
    except ValueError:
        raise ValueError(
            N_("%(value)r is not a date: write it as YYYY-MM-DD, e.g. 2025-02-06", value=value)
        ) from None


OptionalDate = Annotated[date | None, BeforeValidator(_iso_date)]


def _one_or_zero(value: Any) -> Any:
    """A switch: `1` or `0`, blank for not asked (pydantic's refusals are English words only)."""
    value = _none_if_blank(value)
    if value is None or value in ("1", "0"):
        return value
    raise ValueError(N_("%(value)r is not 1 or 0", value=value))


Switch = BeforeValidator(_one_or_zero)
SWITCH_SCHEMA = WithJsonSchema(
    {"anyOf": [{"enum": ["1", "0"], "type": "string"}, {"type": "null"}]}
)
"""A switch as the schema offers it, whatever type the model reads it into: `1` or `0`."""
SEARCH_LENGTH = 200


def _short_search(value: Any) -> Any:
    if isinstance(value, str) and len(value) > SEARCH_LENGTH:
        raise ValueError(
            N_(
                "the search is %(length)d characters long: at most %(most)d",
                length=len(value),
                most=SEARCH_LENGTH,
            )
        )
    return value


def base_value(text: str) -> str | None:
    """`hmeimim`, `Khmeimim`, `حميميم`, `Хмеймим` → `hmeimim`; None for anything else."""
    for form in query_variants(words(text)[0] if words(text) else ""):
        if form in BASE_VALUES:
            return form
    return None


class Selection(BaseModel):
    """What the analyst asked for. Unknown values are refused with a message naming the field."""

    model_config = ConfigDict(extra="ignore")

    speaker: Many = Field(
        default=[],
        description="Actor slugs (several allowed), names, or a part of a name that fits one speaker.",
    )
    side: Many = Field(default=[], description="Affiliation codes: RU, SY, US, … or `none`.")
    base: Many = Field(default=[], description="`hmeimim`, `tartus` or `general`.")
    stance: Many = Field(
        default=[], description="stay, leave, conditional, negotiating, review, unclear."
    )
    tag: Many = Field(default=[], description="Tags editors gave claims (several allowed).")
    from_: OptionalDate = Field(default=None, alias="from", description="Stated on or after (ISO).")
    to: OptionalDate = Field(default=None, description="Stated on or before (ISO date).")
    q: Annotated[str, BeforeValidator(_short_search)] = Field(
        default="", description=f"Words, in Arabic or English (at most {SEARCH_LENGTH} characters)."
    )
    language: Many = Field(default=[], description="Article languages: ar, en, ru, …")
    status: Many = Field(default=[], description="verified, extracted, rejected (editors only).")
    shift: Annotated[bool | None, Switch, SWITCH_SCHEMA] = Field(
        default=None, description="1: only statements that changed the speaker's position."
    )
    firsthand: Annotated[Literal["1", "0"] | None, Switch] = Field(
        default=None, description="1: said on the record by a named speaker; 0: relayed."
    )

    @field_validator("side")
    @classmethod
    def _sides(cls, values: list[str]) -> list[str]:
        bad = [v for v in values if v != NO_SIDE and not (len(v) == 2 and v.isalpha())]
        if bad:
            raise ValueError(
                N_("%(value)r is not an affiliation code such as RU or SY", value=bad[0])
            )
        return [v.upper() if v != NO_SIDE else v for v in values]

    @field_validator("base")
    @classmethod
    def _bases(cls, values: list[str]) -> list[str]:
        out = []
        for value in values:
            base = base_value(value)
            if base is None:
                raise ValueError(_not_one_of(value, BASE_VALUES))
            out.append(base)
        return list(dict.fromkeys(out))

    @field_validator("stance")
    @classmethod
    def _stances(cls, values: list[str]) -> list[str]:
        return _known(values, [s.value for s in Stance])

    @field_validator("status")
    @classmethod
    def _statuses(cls, values: list[str]) -> list[str]:
        return _known(values, [s.value for s in ClaimStatus])

    @field_validator("to")
    @classmethod
    def _after_from(cls, to: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_")
        if to and start and to < start:
            raise ValueError(
                N_("%(to)s is before the start of the range, %(start)s", to=to, start=start)
            )
        return to

    @field_validator("language")
    @classmethod
    def _languages(cls, values: list[str]) -> list[str]:
        """Codes in either case, as ISO 639 reads them: `AR` is `ar`."""
        bad = [v for v in values if not (len(v) == 2 and v.isascii() and v.isalpha())]
        if bad:
            raise ValueError(
                N_("%(value)r is not a two-letter language code such as ar", value=bad[0])
            )
        return list(dict.fromkeys(v.lower() for v in values))

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The selection as URL parameters (with `changes`), in a stable order for links."""
        data = self.model_dump(by_alias=True) | changes
        out: list[tuple[str, str]] = []
        for name, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                if item is None or item == "" or item is False:
                    continue
                out.append((name, "1" if item is True else str(item)))
        return out

    def query_string(self, **changes: Any) -> str:
        """`params` encoded: for a link that selects what the page shows (the values refused,
        and a page cursor, left out)."""
        return urlencode(self.params(**changes))

    @property
    def is_empty(self) -> bool:
        return not self.params()


def _known(values: list[str], allowed: list[str]) -> list[str]:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(_not_one_of(bad[0], allowed))
    return values


def _not_one_of(value: str, allowed: Sequence[str]) -> Message:
    return N_("%(value)r is not one of %(choices)s", value=value, choices=", ".join(allowed))


@dataclass(frozen=True, eq=False)
class Scope:
    """The selection resolved against the database once per request: actor ids, the query.
    Equal scopes select the same claims, so a query built for one serves the other."""

    selection: Selection
    """What was asked for, without the speakers nobody is named by when others are."""
    speaker_ids: list[int] | None
    """None: no speaker filter; []: speakers were asked for but none is known."""
    tsquery: ColumnElement[Any] | None
    """Every word of `q` (for filtering)."""
    statuses: list[str]
    unknown_speakers: tuple[str, ...] = ()
    """The `speaker` values that name nobody in the archive (the page refuses them)."""
    tag_ids: tuple[int, ...] | None = None
    """None: no tag filter."""
    unknown_tags: tuple[str, ...] = ()
    """The `tag` values that name no tag in the archive: left out of `selection`, and refused."""
    speaker_choices: dict[str, list[Actor]] = field(default_factory=dict)
    """For an unknown `speaker` value that fits several speakers by part of a name, those."""

    @cached_property
    def key(self) -> tuple[Any, ...]:
        """What the claims selected depend on (the tsquery follows from the selection's `q`)."""
        speakers = None if self.speaker_ids is None else tuple(self.speaker_ids)
        return tuple(self.selection.params()), speakers, self.tag_ids, tuple(self.statuses)

    @cached_property
    def filters(self) -> dict[str, list[ColumnElement[bool]]]:
        """The WHERE conditions by the filter they come from, built once: a page's queries and
        each facet's (which leaves its own filter out) all read them."""
        return _filters(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def resolve(session: Session, selection: Selection, *, editor: bool) -> Scope:
    """Visitors see verified claims only; editors see every status unless they choose."""
    statuses = (selection.status or [s.value for s in ClaimStatus]) if editor else ["verified"]
    speaker_ids, unknown, choices = (
        speakers_named(session, selection.speaker) if selection.speaker else (None, [], {})
    )
    if unknown and speaker_ids:
        # The speakers named stay; the links made from the scope (the next page, the exports)
        # leave out the refused ones, which would refuse the whole export.
        kept = [v for v in selection.speaker if v not in unknown]
        selection = selection.model_copy(update={"speaker": kept})
    tags, unknown_tags = tags_named(session, selection.tag) if selection.tag else ({}, ())
    if unknown_tags:  # left out of the selection, as a refused stance is
        selection = selection.model_copy(update={"tag": [n for n in selection.tag if n in tags]})
    tag_ids = tuple(sorted(tags.values())) or None
    tsquery = all_of(query_words(selection.q))
    return Scope(
        selection, speaker_ids, tsquery, statuses, tuple(unknown), tag_ids, unknown_tags, choices
    )


_NAMED = (
    select(Actor.id, Actor.slug.label("name"))
    .where(Actor.slug.in_(bindparam("slugs", expanding=True)))
    .union(
        select(ActorAlias.actor_id, ActorAlias.key).where(
            ActorAlias.key.in_(bindparam("keys", expanding=True))
        ),
        # The address of an actor since merged into another, which its page and feed redirect
        # from: a link filtered by it (the page's own "Filter the timeline") keeps working.
        select(ActorRedirect.actor_id, ActorRedirect.slug).where(
            ActorRedirect.slug.in_(bindparam("slugs", expanding=True))
        ),
    )
)
"""Built once, like the page's own statement: building it cost as much as running it."""


class NamedSpeakers(NamedTuple):
    ids: list[int]
    unknown: list[str]
    """The values that name no one, or fit several speakers."""
    choices: dict[str, list[Actor]]
    """For a value that fits several speakers by part of their names, those speakers."""


def speakers_named(session: Session, values: list[str]) -> NamedSpeakers:
    """Actors named by slug (a merged actor's by the one it became), by any of their names or
    aliases (across Arabic spellings), or by whole words of them that fit no one else (Peskov,
    بيسكوف)."""
    keys = [name_key(v) for v in values]
    rows = read_rows(session, _NAMED, {"slugs": values, "keys": keys}).all()
    names = {name for _, name in rows}
    unnamed = [v for v, key in zip(values, keys, strict=True) if not {v, key} & names]
    partly = speakers_partly_named(session, unnamed) if unnamed else {}
    ids = {actor_id for actor_id, _ in rows}
    ids.update(actors[0].id for actors in partly.values() if len(actors) == 1)
    return NamedSpeakers(
        sorted(ids),
        [v for v in unnamed if len(partly.get(v, ())) != 1],
        {v: actors for v, actors in partly.items() if len(actors) > 1},
    )


_HOLDING = select(ActorAlias.actor_id, ActorAlias.key).where(
    ActorAlias.key.like(any_(bindparam("patterns", type_=ARRAY(Text))))
)


def speakers_partly_named(session: Session, values: list[str]) -> dict[str, list[Actor]]:
    """For each value, the actors one of whose names or aliases holds it as whole words (Peskov
    in Dmitry Peskov, across Arabic spellings), by English name: one names the speaker, several
    ask which. For values that name no one whole, in one statement whatever their number."""
    keys = {value: key for value in values if (key := name_key(value))}
    patterns = [f"%{_like_escaped(key)}%" for key in set(keys.values())]
    aliases = read_rows(session, _HOLDING, {"patterns": patterns}).all()
    fitting = {
        value: {actor_id for actor_id, alias in aliases if f" {key} " in f" {alias} "}
        for value, key in keys.items()
    }
    wanted = set().union(*fitting.values())
    if not wanted:
        return {}
    by_id = {
        actor.id: actor for actor in session.scalars(select(Actor).where(Actor.id.in_(wanted)))
    }
    return {
        value: sorted((by_id[i] for i in ids), key=lambda actor: (actor.name_en, actor.id))
        for value, ids in fitting.items()
        if ids
    }


def _like_escaped(text: str) -> str:
    """`text` matched as itself by LIKE (whose escape character is the backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_TAGS_NAMED = select(Tag.id, Tag.name).where(Tag.name.in_(bindparam("names", expanding=True)))


def tags_named(session: Session, names: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """The ids of the tags of these names (as editors wrote them), and the names no tag has."""
    found = {name: id_ for id_, name in read_rows(session, _TAGS_NAMED, {"names": names})}
    return found, tuple(n for n in names if n not in found)


def speaker_ids_for(session: Session, values: list[str]) -> list[int]:
    """Actors named by slug, by any of their names or aliases, or by part of one (`speakers_named`)."""
    return speakers_named(session, values).ids


FIRST_HAND_KINDS = [ActorKind.PERSON.value, ActorKind.INSTITUTION.value]


def speaker_side(actor: Any = Actor) -> ColumnElement[str | None]:
    """The side a claim's speaker speaks for: the claim's own, as its article gives it, else its
    actor's (`actor`: the claims' actors, or an alias of them, joined by the query). The timeline
    shows it so; its filter, counts, chart and exports read it the same way."""
    return func.coalesce(Claim.speaker_affiliation, actor.affiliation)


def side_of(claim: Any) -> str | None:
    """`speaker_side()` of a claim already read, with its speaker (a timeline row, an ORM claim)."""
    return claim.speaker_affiliation or claim.speaker.affiliation  # type: ignore[no-any-return]


def speaker_side_in(codes: list[str], unknown: bool) -> ColumnElement[bool]:
    """Claims whose `speaker_side()` is one of `codes`, or unknown too, with no join: the claim's
    own side from the timeline index, the actors' as a set of ids (a hashed subplan). PostgreSQL
    cannot estimate `coalesce(…) IN (…)`: on a million claims, that form turned an index-only
    scan into a heap scan three times as slow, and a correlated lookup of the actor would keep
    the counts from running in parallel."""
    actors: ColumnElement[bool] = Actor.affiliation.in_(codes)
    if unknown:
        actors = or_(actors, Actor.affiliation.is_(None))
    theirs = Claim.speaker_id.in_(select(Actor.id).where(actors))
    return or_(
        Claim.speaker_affiliation.in_(codes), and_(Claim.speaker_affiliation.is_(None), theirs)
    )


def first_hand() -> ColumnElement[bool]:
    """Said on the record: a named person or institution, heard by the outlet itself (no via)."""
    named = select(Actor.id).where(Actor.kind.in_(FIRST_HAND_KINDS))
    return and_(func.cardinality(Claim.via) == 0, Claim.speaker_id.in_(named))


def base_condition(base: str) -> ColumnElement[bool]:
    if base == GENERAL:
        return func.cardinality(Claim.bases) == 0
    return Claim.bases.op("@>")(literal([base], ARRAY(Text)))


def tagged(tag_ids: Sequence[int]) -> ColumnElement[bool]:
    """Claims with any of these tags (ix_claim_tags_tag_id finds them)."""
    return Claim.id.in_(select(claim_tags.c.claim_id).where(claim_tags.c.tag_id.in_(tag_ids)))


def written_in(languages: list[str]) -> ColumnElement[bool]:
    """Claims of articles in these languages, by the language each claim carries (its article's,
    kept by triggers): read from the timeline's index beside the dates, or, for a language with
    few claims, found by ix_claims_language."""
    return Claim.language.in_(languages)


def conditions(scope: Scope, *, without: str | None = None) -> list[ColumnElement[bool]]:
    """The selection as WHERE conditions; `without` leaves one filter out (for its facet)."""
    return [c for name, cs in scope.filters.items() if name != without for c in cs]


_PERIOD = case(
    (Claim.stated_on_precision == Precision.MONTH, text("interval '1 month'")),
    else_=text("interval '1 year'"),
)


def whole_period_by(to: date) -> ColumnElement[bool]:
    """A claim known only by its month or year, stored as the period's first day, is "on or
    before" `to` only when all of the period is: "2024" is not within January 2024, whose chart
    column leaves it out. (The start needs no such care: a period's first day is its own.) A
    day's claim is said first, so that the planner still counts it among the range's rows."""
    return or_(
        Claim.stated_on_precision == Precision.DAY,
        Claim.stated_on + _PERIOD <= literal(to, Date) + text("interval '1 day'"),
    )


def _filters(scope: Scope) -> dict[str, list[ColumnElement[bool]]]:
    s = scope.selection
    out: dict[str, list[ColumnElement[bool]]] = {"merged": [Claim.merged_into_id.is_(None)]}
    out["status"] = [Claim.status.in_(scope.statuses)]
    if scope.speaker_ids is not None:
        out["speaker"] = [Claim.speaker_id.in_(scope.speaker_ids) if scope.speaker_ids else false()]
    if s.side:
        out["side"] = [speaker_side_in([c for c in s.side if c != NO_SIDE], NO_SIDE in s.side)]
    if s.base:
        out["base"] = [or_(*(base_condition(b) for b in s.base))]
    if s.stance:
        out["stance"] = [Claim.stance.in_(s.stance)]
    if scope.tag_ids:
        out["tag"] = [tagged(scope.tag_ids)]
    # On the keyset's own expression, so a date range is a range scan of ix_claims_timeline.
    dates = [sort_date() >= s.from_] if s.from_ else []
    # An undated claim sorts as -infinity: it is not "on or before" a date either.
    dates += [sort_date() <= s.to, sort_date() > NO_DATE, whole_period_by(s.to)] if s.to else []
    if dates:
        out["dates"] = dates
    if scope.tsquery is not None:
        out["q"] = [Claim.search_vector.op("@@")(scope.tsquery)]
    if s.language:
        out["language"] = [written_in(s.language)]
    if s.firsthand is not None:
        out["firsthand"] = [first_hand() if s.firsthand == "1" else not_(first_hand())]
    if s.shift:
        out["shift"] = [previous_stance() != Claim.stance]
    return out
