"""The annotated-article/1 file format (docs: ../shared/annotated-article.md) as pydantic models.

The same models read files, check extractor output and write exports, so the three never disagree.
"""

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal, NamedTuple, Self

from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from app.ingest.names import name_key
from app.messages import N_, Message
from app.models.editor import Decision, RejectReason
from app.models.user import account_name, username_problem
from app.models.vocab import (
    ActorKind,
    ChangeSource,
    ClaimStatus,
    MilitaryBase,
    Precision,
    Role,
    Stance,
)

ARTICLE_FORMAT = "annotated-article/1"
REGISTRY_FORMAT = "actor-registry/1"
USERS_FORMAT = "basewatch-users/1"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is blank")
    return value


Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_not_blank)]
NAME_MAX_LENGTH = 200
"""A tag's (its unique index could not hold a long one); the editor's form holds tags and via
links to it (app/services/claim_edits)."""


def _short_name(value: str) -> str:
    if len(value) > NAME_MAX_LENGTH:
        raise ValueError(f"is {len(value):,} characters long: at most {NAME_MAX_LENGTH}")
    return value


TagName = Annotated[Text, AfterValidator(_short_name), AfterValidator(str.strip)]
"""A tag as editors type it: the spaces around it are not part of it (app/services/claim_edits)."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _written_as_a_day(value: Any) -> Any:
    """A date as the format writes it, 2025-02-12: read laxly, a number of seconds or a time of
    day passed for a date."""
    if isinstance(value, int | float) or (isinstance(value, str) and not ISO_DATE.fullmatch(value)):
        raise ValueError(f"a date is written YYYY-MM-DD, not {value!r}")
    return value


SIDE_PATTERN = r"^[A-Z]{2}$"
KNOWN_SIDES = frozenset(
    code for code in map(str, Locale("en").territories) if len(code) == 2 and code.isalpha()
) - {"ZZ"}  # CLDR's two-letter regions: ISO 3166 countries, and UN and EU; ZZ is "unknown"
"""The sides a speaker may be on (the format: ISO 3166 alpha-2, UN or EU)."""


def _known_side(code: str) -> str:
    if code not in KNOWN_SIDES:
        raise ValueError(f"{code!r} is not a country code (ISO 3166), UN or EU")
    return code


KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
KEY_MAX_LENGTH = 200
# A web address as RFC 3986 allows it: no spaces, controls, quotes, angle brackets or braces.
WEB_URL_PATTERN = r"^https?://[^\s\x00-\x1f\x7f\"<>\\^`{|}]+$"
WEB_URL_MAX_LENGTH = 2000
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
PATTERN_WORDS = {
    SIDE_PATTERN: "a two-letter code in capitals, such as RU, SY or US",
    KEY_PATTERN: (
        "a key of letters, digits, '.', '_' and '-' that starts with a letter or digit, "
        f"at most {KEY_MAX_LENGTH} characters"
    ),
    WEB_URL_PATTERN: N_(
        "a web address that starts with http:// or https://, without spaces, "
        "at most %(limit)s characters",
        limit=f"{WEB_URL_MAX_LENGTH:,}",
    ),
    SLUG_PATTERN: "an address of lowercase letters and digits joined by '-', e.g. dmitry-peskov",
    LANGUAGE_PATTERN: N_("a two-letter language code, e.g. ar, en or ru"),
}
"""What each pattern asks for, in the words a message to a person uses; with the field's length
limit, since a check by the field's whole rule (`basewatch extract --url`) may fail on either.
The address's and the language's words are also the import form's messages: translatable."""

Side = Annotated[str, StringConstraints(pattern=SIDE_PATTERN), AfterValidator(_known_side)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=KEY_MAX_LENGTH)]
WebUrl = Annotated[str, StringConstraints(pattern=WEB_URL_PATTERN, max_length=WEB_URL_MAX_LENGTH)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
_WEB_URL: TypeAdapter[str] = TypeAdapter(WebUrl)


def takes_web_url(value: str) -> bool:
    """Whether the format takes `value` as an article's address (a page's own link may not be)."""
    try:
        _WEB_URL.validate_python(value)
    except ValidationError:
        return False
    return True


# The rules beyond types, as plain functions: the models below apply them, and so does the bulk
# loader of bench/archive.py, which cannot afford a pydantic model per row.


def claim_problem(
    start: int, end: int, stated_on: dt.date | None, precision: str, bases: Sequence[str]
) -> str | None:
    """What is wrong with a claim's span order, date precision or bases; None if nothing."""
    if end <= start:
        return f"end ({end}) must be after start ({start})"
    if (stated_on is None) != (precision == Precision.UNKNOWN):
        return "stated_on must be null exactly when stated_on_precision is 'unknown'"
    if stated_on and precision in (Precision.MONTH, Precision.YEAR):
        first = stated_on.replace(day=1)
        if precision == Precision.YEAR:
            first = first.replace(month=1)
        if stated_on != first:
            return f"a {Precision(precision).value} is written as its first day ({first})"
    if len(set(bases)) != len(bases):
        return "bases lists a base twice"
    return None


EARLIEST_DATE = dt.date(1900, 1, 1)


def date_problem(value: dt.date | None) -> Message | None:
    """A date no statement or article can bear: before 1900 (a slip of the year), or after
    tomorrow (tomorrow: somewhere the day has begun); None if the date can be."""
    if value is not None and value < EARLIEST_DATE:
        return N_("%(date)s is before 1900: check the year", date=value.isoformat())
    if value is not None and value > dt.date.today() + dt.timedelta(days=1):
        return N_("%(date)s is in the future", date=value.isoformat())
    return None


def stated_after_published(stated: dt.date | None, published: dt.date | None) -> Message | None:
    """A statement dated after the article that reports it (a day's grace for time zones)."""
    if stated and published and stated > published + dt.timedelta(days=1):
        return N_(
            "%(date)s is after the article was published (%(published)s)",
            date=stated.isoformat(),
            published=published.isoformat(),
        )
    return None


def _plausible(value: dt.date) -> dt.date:
    if problem := date_problem(value):
        raise ValueError(problem)
    return value


Day = Annotated[dt.date, BeforeValidator(_written_as_a_day), AfterValidator(_plausible)]
"""A date of the format: written YYYY-MM-DD, and one a statement or an article can bear."""


def span_problem(text: str, start: int, end: int, quote: str) -> str | None:
    """`end: …` or `quote: …` when text[start:end] is not the quote; None when it is."""
    if end > len(text):
        return f"end: {end} is past the end of the text ({len(text)} characters)"
    if text[start:end] != quote:
        return f"quote: does not equal text[{start}:{end}] ({text[start:end][:60]!r})"
    return None


class Strict(BaseModel):
    """Unknown fields are errors, except notes to the reader: keys that start with `_`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_comments(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("_"))}
        return data


class Speaker(Strict):
    name: Text
    name_en: Text
    kind: ActorKind
    role: str | None = None
    affiliation: Side | None = None


def _account_name(typed: str) -> str:
    if problem := username_problem(typed):
        raise ValueError(str(problem))
    return account_name(typed)


AccountName = Annotated[str, AfterValidator(_account_name)]
"""An account, under the rule every account name follows, as `basewatch users` and the sign-in
read it: a history, a review and the accounts' file name the same account alike."""


class HistoryEntry(Strict):
    """One revision as the history stored it: who (`user` names an account, or none for the loader
    and the extractor), when, and the field's old and new values in the record vocabulary."""

    version: int = Field(ge=1)
    source: ChangeSource
    user: AccountName | None = None
    at: dt.datetime
    field: Text
    old: Any = None
    new: Any = None
    note: str | None = None


class ReviewEntry(Strict):
    """An editor's verdict on the claim as the extractor proposed it."""

    user: AccountName
    at: dt.datetime
    decision: Decision
    fields: list[Text] = []
    reason: RejectReason | None = None
    extractor: str | None = None


class StatementEntry(Strict):
    """The statement group the claim belongs to, and whether an editor decided it."""

    id: int = Field(ge=1)
    confirmed: bool = False
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


class ClaimArchive(Strict):
    """What a backup (`basewatch export --all`) keeps of a claim beyond its annotation, so that a
    restore gives it back unchanged: its permanent id, version, origin, note, merge, statement
    group, history and review decisions (docs/backup.md)."""

    id: int = Field(ge=1)
    speaker: Slug
    version: int = Field(ge=1)
    origin: ChangeSource
    note: str | None = None
    merged_into: int | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    statement: StatementEntry | None = None
    history: list[HistoryEntry] = []
    reviews: list[ReviewEntry] = []


class ClaimIn(Strict):
    speaker: Speaker
    via: list[Text] = []
    quote: Text
    start: StrictInt = Field(ge=0)
    end: StrictInt = Field(gt=0)
    direct: StrictBool
    stated_on: Day | None
    stated_on_precision: Precision
    bases: list[MilitaryBase]
    stance: Stance
    summary_en: str = ""
    summary_machine: StrictBool = False
    status: ClaimStatus = ClaimStatus.VERIFIED
    extractor: str | None = None
    tags: list[TagName] = []
    archive: ClaimArchive | None = Field(default=None, exclude_if=lambda value: value is None)
    """Only in backups; the loader restores it into an empty database (docs/backup.md)."""

    @model_validator(mode="after")
    def _dates_and_span_agree(self) -> Self:
        problem = claim_problem(
            self.start, self.end, self.stated_on, self.stated_on_precision, self.bases
        )
        if problem:
            raise ValueError(problem)
        return self


class ArticleIn(Strict):
    key: Key
    url: WebUrl | None = None
    outlet: Text
    title: Text
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
    published_on: Day | None
    text: Text


class ArticleDocument(Strict):
    format: Literal["annotated-article/1"]
    article: ArticleIn
    claims: list[ClaimIn]

    @model_validator(mode="after")
    def _spans_slice_the_text(self) -> Self:
        first_of: dict[tuple[int, int, str], int] = {}
        for i, claim in enumerate(self.claims):
            problem = span_problem(self.article.text, claim.start, claim.end, claim.quote)
            if problem:
                raise ValueError(f"claims[{i}].{problem}")
            if problem := stated_after_published(claim.stated_on, self.article.published_on):
                raise ValueError(f"claims[{i}].stated_on: {problem}")
            first = first_of.setdefault((claim.start, claim.end, claim.speaker.name), i)
            if first != i:
                raise ValueError(
                    f"claims[{i}]: the same words by the same speaker as claims[{first}]"
                )
        return self


class ActorIn(Strict):
    slug: Slug
    kind: ActorKind
    name_ar: Text
    name_en: Text
    name_ru: str | None = None
    role: str | None = None
    affiliation: Side | None = None
    aliases: list[Text] = []
    titles: list[Text] = []
    needs_review: bool = False
    """Made by the loader for an unknown speaker and not checked yet (backups carry it)."""
    edited: bool = False
    """An editor changed it in basewatch; a registry loaded later leaves it as it is (backups
    carry it)."""
    former_slugs: list[Slug] = []
    """Addresses of actors merged into this one, which redirect here (backups carry them)."""


class ActorNames(NamedTuple):
    """An actor's names as the registry lists them: its own, and the other names it goes by."""

    slug: str
    names: Sequence[str | None]
    aliases: Sequence[str]


class AliasClash(NamedTuple):
    actor: int
    """Which of the actors the alias is of."""
    alias: int
    """Which of its aliases."""
    name: str
    other: str
    """The slug of the actor the alias names already."""


def alias_clashes(actors: Sequence[ActorNames]) -> Iterator[AliasClash]:
    """The aliases that already name another actor (by `name_key`, so spelling variants count as
    one): a speaker found by such an alias must be one actor, two sharing it would be a coin toss.
    The registry refuses them, so whatever gives an actor a name must too. Two actors may share
    one of their own names; in `actors`' order, the first to have a name or alias keeps it."""
    named_by: dict[str, str] = {}
    for actor in actors:
        for name in actor.names:
            if name:
                named_by.setdefault(name_key(name), actor.slug)
    for i, actor in enumerate(actors):
        for j, alias in enumerate(actor.aliases):
            other = named_by.setdefault(name_key(alias), actor.slug)
            if other != actor.slug:
                yield AliasClash(i, j, alias, other)


class RegistryDocument(Strict):
    format: Literal["actor-registry/1"]
    actors: list[ActorIn]

    @model_validator(mode="after")
    def _slugs_unique(self) -> Self:
        seen: set[str] = set()
        for i, actor in enumerate(self.actors):
            if actor.slug in seen:
                raise ValueError(f"actors[{i}].slug: {actor.slug!r} appears twice")
            seen.add(actor.slug)
        for i, actor in enumerate(self.actors):
            if moved := seen.intersection(actor.former_slugs):
                raise ValueError(
                    f"actors[{i}].former_slugs: {sorted(moved)[0]!r} is an actor of this registry"
                )
        return self

    @model_validator(mode="after")
    def _an_alias_names_one_actor(self) -> Self:
        named = [
            ActorNames(a.slug, (a.name_ar, a.name_en, a.name_ru), a.aliases) for a in self.actors
        ]
        if clash := next(alias_clashes(named), None):
            i, j, alias, other = clash
            raise ValueError(f"actors[{i}].aliases[{j}]: {alias!r} already names {other!r}")
        return self


class UserIn(Strict):
    """An account as a backup keeps it: no password (docs/backup.md)."""

    username: AccountName
    role: Role
    disabled: bool = False


class UsersDocument(Strict):
    """The accounts a backup's history and review decisions name."""

    format: Literal["basewatch-users/1"]
    users: list[UserIn]
