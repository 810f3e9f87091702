"""A claim as its permanent page shows it: any version of it, its article, who else reported it.

Every version is rebuilt from the revision history: the `*` revision holds the claim as first
recorded, and each later revision sets one field to its new value at a higher version.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, bindparam, func, or_, select, true, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from app.db.session import DriverRead
from app.errors import NotFound
from app.ingest.records import Record
from app.messages import N_
from app.models import (
    Actor,
    ActorRedirect,
    Article,
    Claim,
    Outlet,
    Revision,
    Statement,
    StatementMember,
)
from app.models.revision import CREATED
from app.models.vocab import ChangeSource, ClaimStatus
from app.queries.corroboration import Reach, reach_among, reported
from app.queries.shifts import same_speaker_and_base, sort_date
from app.queries.timeline import (
    ARTICLE_COLUMNS,
    SPEAKER_COLUMNS,
    ArticleRef,
    SpeakerRef,
    article_ref,
    tag_names,
)

CONTEXT_CHARS = 600
"""The longest paragraph shown around a quote; longer ones are cut at word boundaries."""


class Speaker(NamedTuple):
    """A claim's speaker as its pages name, link and describe it: a `SpeakerRef` and its kind."""

    slug: str
    name_en: str
    name_ar: str
    affiliation: str | None
    kind: str


@dataclass(frozen=True)
class ClaimVersion:
    """The claim's fields at one version, in the annotated-article vocabulary."""

    id: int
    version: int
    speaker: Speaker
    speaker_name: str
    role: str | None
    affiliation: str | None
    via: list[str]
    quote: str
    start: int
    end: int
    direct: bool
    stated_on: date | None
    stated_on_precision: str
    bases: list[str]
    stance: str
    summary_en: str
    status: str
    tags: list[str]

    @property
    def side(self) -> str | None:
        return self.affiliation or self.speaker.affiliation


class CurrentClaim(NamedTuple):
    """The claim as it stands, whichever version its page shows: what its address, notices,
    article and reach are made of, and what no version records."""

    id: int
    version: int
    status: str
    summary_en: str
    stance: str
    via: list[str]
    summary_machine: bool
    origin: str
    speaker: Speaker
    article: ArticleRef
    updated_at: datetime
    """When the claim itself last changed: what its page says of it. The page's validators
    (`ClaimStamp.last_modified`) move with its article, speaker, reports and neighbours too."""


class ClaimLink(NamedTuple):
    """Another claim, as much of it as a link to its page needs."""

    id: int
    summary_en: str
    stance: str
    speaker: SpeakerRef


class Report(NamedTuple):
    """Another article's claim of the same statement, as "Also reported by" lists it."""

    id: int
    summary_en: str
    stance: str
    via: list[str]
    speaker: SpeakerRef
    article: ArticleRef


class RevisionRow(NamedTuple):
    """A revision as the page replays it into versions and its corrections log."""

    version: int
    at: datetime
    field: str
    new_value: Any
    source: str
    """Who made it (`ChangeSource`): an editor, or the loader that followed the file."""


@dataclass(frozen=True)
class Context:
    """The paragraph around the quote, split so that the quote can be highlighted."""

    before: str
    quote: str
    after: str


class Neighbour(NamedTuple):
    """The speaker's statement before or after a claim on its bases, as the page links to it."""

    id: int
    summary_en: str
    stance: str
    stated_on: date
    stated_on_precision: str
    speaker: Speaker


class ClaimStamp(NamedTuple):
    """Everything a claim's pages show that can change, as their validators need it: read in one
    statement, without loading the page, so that a 304 or a kept copy costs only this."""

    id: int
    version: int
    summary_en: str
    stance: str
    speaker: SpeakerRef
    """With `summary_en` and `stance`, what the page's address (its slug) is made of."""
    last_modified: datetime
    """The latest change to the claim, its article, its speaker, its reports and their articles,
    its statement (its place in it, or a claim joining or leaving it) or any other claim of its
    speaker (one may now come before or after it; a report withdrawn is one: a statement has one
    speaker)."""
    merged_version: int | None
    """The version of the claim it was merged into, if it was."""
    confirmed: bool
    """An editor confirmed that the claim and every report of it are the same statement."""
    report_ids: list[int] | None
    report_versions: list[int] | None


def _reports_of(
    claim: Any, member: Any, statement_id: Any, claim_id: Any
) -> list[ColumnElement[bool]]:
    """The other `reported` claims of a statement: what "Also reported by" lists."""
    return [member.statement_id == statement_id, claim.id != claim_id, reported(claim)]


def _stamp_statement() -> Any:
    report, other, published = aliased(Claim), aliased(StatementMember), aliased(Article)
    merged = aliased(Claim)
    reports = (  # "Also reported by" shows each report's article too: its outlet, date, title
        select(
            func.max(func.greatest(report.updated_at, published.updated_at)).label("changed"),
            func.bool_and(other.confirmed).label("confirmed"),
            func.array_agg(aggregate_order_by(report.id, report.id)).label("ids"),
            func.array_agg(aggregate_order_by(report.version, report.id)).label("versions"),
        )
        .join_from(other, report, report.id == other.claim_id)
        .join(published, published.id == report.article_id)
        .where(*_reports_of(report, other, StatementMember.statement_id, Claim.id))
        .lateral("reports")
    )
    theirs = aliased(Claim)
    speaker_changed = (  # one probe of ix_claims_speaker_updated
        select(func.max(theirs.updated_at))
        .where(theirs.speaker_id == Claim.speaker_id)
        .scalar_subquery()
    )
    return (
        select(
            Claim.id,
            Claim.version,
            Claim.summary_en,
            Claim.stance,
            *SPEAKER_COLUMNS,
            func.greatest(
                Claim.updated_at,
                Article.updated_at,
                Actor.updated_at,
                reports.c.changed,
                StatementMember.decided_at,
                Statement.updated_at,  # a claim joined or left it: one that left is read no more
                speaker_changed,
            ),
            merged.version,
            func.coalesce(StatementMember.confirmed, False)
            & func.coalesce(reports.c.confirmed, True),
            reports.c.ids,
            reports.c.versions,
        )
        .join(Actor, Actor.id == Claim.speaker_id)
        .join(Article, Article.id == Claim.article_id)
        .outerjoin(merged, merged.id == Claim.merged_into_id)
        .outerjoin(StatementMember, StatementMember.claim_id == Claim.id)
        .outerjoin(Statement, Statement.id == StatementMember.statement_id)
        .outerjoin(reports, true())
        .where(Claim.id == bindparam("claim_id"))
    )


NEIGHBOUR_FIELDS = ("id", "summary_en", "stance", "stated_on", "stated_on_precision")


def _neighbour(*, before: bool) -> Any:
    """The speaker's statement just before (or after) the claim on its bases, walking
    ix_claims_speaker_timeline from the claim."""
    other = aliased(Claim)
    here, there = tuple_(Claim.stated_on, Claim.id), tuple_(sort_date(other), other.id)
    order = (sort_date(other).desc(), other.id.desc()) if before else (sort_date(other), other.id)
    return (
        select(*(getattr(other, name) for name in NEIGHBOUR_FIELDS))
        .where(*same_speaker_and_base(other, Claim), there < here if before else there > here)
        .order_by(*order)
        .limit(1)
        .lateral("previous" if before else "following")
    )


_PREVIOUS, _NEXT = _neighbour(before=True), _neighbour(before=False)


def _neighbours(row: Sequence[Any], speaker: Speaker) -> tuple[Neighbour | None, Neighbour | None]:
    """The neighbours' columns at the end of `row` (`_PREVIOUS`'s, then `_NEXT`'s), each None
    when there is no such statement (an undated claim has neither)."""
    width = len(NEIGHBOUR_FIELDS)
    previous, following = row[-2 * width : -width], row[-width:]
    return (
        Neighbour._make((*previous, speaker)) if previous[0] else None,
        Neighbour._make((*following, speaker)) if following[0] else None,
    )


_STAMP = DriverRead(_stamp_statement())


def claim_stamp(session: Session, claim_id: int) -> ClaimStamp:
    row = _STAMP.row(session, {"claim_id": claim_id})
    if row is None:
        raise NotFound(N_("There is no claim %(id)s in the archive.", id=claim_id))
    id_, version, summary, stance, slug, name_en, name_ar, side, *rest = row
    return ClaimStamp(
        id_, version, summary, stance, SpeakerRef(slug, name_en, name_ar, side), *rest
    )


@dataclass(frozen=True)
class ClaimPage:
    claim: CurrentClaim
    shown: ClaimVersion
    """The version on the page: the current one, or the one a citation names."""
    context: Context | None
    """The shown quote in its paragraph; None when the article's text no longer has it."""
    reports: list[Report]
    """Other articles' claims that report the same statement, earliest publication first."""
    reach: Reach
    revisions: list[RevisionRow]
    merged_into: ClaimLink | None
    stamp: ClaimStamp
    previous: Neighbour | None
    """The speaker's statement just before this one on its bases (the HTML page links it)."""
    following: Neighbour | None
    pinned: bool
    """Asked for by its version (`/claims/{id}/v/{n}`), which it is cited by even while that
    version is the current one: a citation of it must keep to its words."""

    @property
    def is_current(self) -> bool:
        return self.shown.version == self.claim.version

    @property
    def pinned_version(self) -> int | None:
        """The version the page keeps to (`pinned`); None when it follows the claim."""
        return self.shown.version if self.pinned else None

    @property
    def last_modified(self) -> datetime:
        return self.stamp.last_modified

    @property
    def left_its_file(self) -> bool:
        """The withdrawal the page tells of (the claim's, else the shown version's) was the
        loader's: the claim's article file no longer has it. No editor judged it."""
        upto = (
            self.claim.version if self.claim.status == ClaimStatus.REJECTED else self.shown.version
        )
        withdrawals = [
            r
            for r in self.revisions
            if r.field == "status" and r.new_value == ClaimStatus.REJECTED and r.version <= upto
        ]
        return bool(withdrawals) and withdrawals[-1].source == ChangeSource.LOADER

    @property
    def confirmed(self) -> bool:
        return self.stamp.confirmed


class LoadedClaim(NamedTuple):
    """What the page's one read of a claim gives."""

    claim: CurrentClaim
    current: ClaimVersion
    text: str
    """Its article's text, which only the quote's context is cut from."""
    statement_id: int | None
    merged_into: ClaimLink | None
    previous: Neighbour | None
    following: Neighbour | None


_MERGED, _MERGED_SPEAKER = aliased(Claim), aliased(Actor)
_CLAIM_COLUMNS = (
    Claim.id, Claim.version, Claim.status, Claim.summary_machine, Claim.origin,
    Claim.speaker_name, Claim.speaker_role, Claim.speaker_affiliation, Claim.via, Claim.quote,
    Claim.span_start, Claim.span_end, Claim.direct, Claim.stated_on, Claim.stated_on_precision,
    Claim.bases, Claim.stance, Claim.summary_en, Claim.updated_at, tag_names(), Actor.kind,
    Article.text,
    StatementMember.statement_id, _MERGED.id, _MERGED.summary_en, _MERGED.stance,
    *(getattr(_MERGED_SPEAKER, column.key) for column in SPEAKER_COLUMNS),
    *ARTICLE_COLUMNS,
)  # fmt: skip
_CLAIM_WITH_ITS_PAGE = DriverRead(
    select(*_CLAIM_COLUMNS, *_PREVIOUS.c, *_NEXT.c)
    .join(Actor, Actor.id == Claim.speaker_id)
    .join(Article, Article.id == Claim.article_id)
    .join(Outlet, Outlet.id == Article.outlet_id)
    .outerjoin(StatementMember, StatementMember.claim_id == Claim.id)
    .outerjoin(_MERGED, _MERGED.id == Claim.merged_into_id)
    .outerjoin(_MERGED_SPEAKER, _MERGED_SPEAKER.id == _MERGED.speaker_id)
    .outerjoin(_PREVIOUS, true())
    .outerjoin(_NEXT, true())
    .where(Claim.id == bindparam("claim_id"))
)
"""The claim's columns with its speaker's kind (the rest of the speaker is in its stamp), its
article's and outlet's, its tags, its statement, the claim it was merged into and its speaker's
statements before and after it: one round trip, read as rows. Built once: building it for each
page cost a tenth of a claim page's Python time; loaded as ORM objects, the claim cost the page
twice what its columns do."""


def load_claim(session: Session, stamp: ClaimStamp) -> LoadedClaim:
    """The claim of `stamp` read for its page, in one statement (`_CLAIM_WITH_ITS_PAGE`)."""
    row = _CLAIM_WITH_ITS_PAGE.row(session, {"claim_id": stamp.id})
    if row is None:
        raise NotFound(N_("There is no claim %(id)s in the archive.", id=stamp.id))
    (id_, version, status, machine, origin, name, role, side, via, quote, start, end, direct,
     stated_on, precision, bases, stance, summary, updated_at, tags, kind, text, statement_id,
     merged_id, merged_summary, merged_stance, *rest,
     ) = row[: len(_CLAIM_COLUMNS)]  # fmt: skip
    merged_speaker, article_columns = rest[: len(SPEAKER_COLUMNS)], rest[len(SPEAKER_COLUMNS) :]
    speaker = Speaker(*stamp.speaker, kind)
    article = article_ref(*article_columns)
    claim = CurrentClaim(
        id_, version, status, summary, stance, via, machine, origin, speaker, article, updated_at
    )
    current = ClaimVersion(
        id_, version, speaker, name, role, side, via, quote, start, end, direct, stated_on,
        precision, bases, stance, summary, status, tags,
    )  # fmt: skip
    merged_into = None
    if merged_id is not None:
        merged_into = ClaimLink(
            merged_id, merged_summary, merged_stance, SpeakerRef(*merged_speaker)
        )
    return LoadedClaim(claim, current, text, statement_id, merged_into, *_neighbours(row, speaker))


def claim_page(
    session: Session, claim_id: int, *, version: int | None = None, stamp: ClaimStamp | None = None
) -> ClaimPage:
    """The page; `stamp` if the caller has read it already."""
    stamp = stamp or claim_stamp(session, claim_id)
    loaded = load_claim(session, stamp)
    claim, shown = loaded.claim, loaded.current
    # A claim never changed has only its creation revision: nothing to replay or log.
    revisions = _revisions(session, claim_id) if claim.version > 1 else []
    if version is not None and version != claim.version:
        shown = version_of(session, loaded.current, revisions, version)
    reports = same_statement_reports(session, claim.id, loaded.statement_id)
    placed = same_place(shown, loaded.current)
    return ClaimPage(
        claim=claim,
        shown=shown,
        context=quote_context(loaded.text, shown),
        reports=reports,
        reach=reach_among([claim, *reports]),
        revisions=revisions,
        merged_into=loaded.merged_into,
        stamp=stamp,
        previous=loaded.previous if placed else None,
        following=loaded.following if placed else None,
        pinned=version is not None,
    )


def same_place(shown: ClaimVersion, current: ClaimVersion) -> bool:
    """Whether `shown` stands where `current` does among its speaker's statements: the
    neighbours are read around the current version, and a past one of another speaker, date or
    bases would link statements that were never before or after it."""
    return (shown.speaker.slug, shown.stated_on, shown.bases) == (
        current.speaker.slug,
        current.stated_on,
        current.bases,
    )


_REVISIONS = DriverRead(
    select(Revision.version, Revision.at, Revision.field, Revision.new_value, Revision.source)
    .where(Revision.claim_id == bindparam("claim_id"))
    .order_by(Revision.id)
)


def _revisions(session: Session, claim_id: int) -> list[RevisionRow]:
    return list(map(RevisionRow._make, _REVISIONS.rows(session, {"claim_id": claim_id})))


_REPORT_COLUMNS = (
    Claim.id, Claim.summary_en, Claim.stance, Claim.via, *SPEAKER_COLUMNS, *ARTICLE_COLUMNS
)  # fmt: skip
_REPORTS = DriverRead(
    select(*_REPORT_COLUMNS)
    .join_from(StatementMember, Claim, Claim.id == StatementMember.claim_id)
    .join(Actor, Actor.id == Claim.speaker_id)
    .join(Article, Article.id == Claim.article_id)
    .join(Outlet, Outlet.id == Article.outlet_id)
    .where(*_reports_of(Claim, StatementMember, bindparam("statement_id"), bindparam("claim_id")))
    .order_by(Article.published_on.nulls_last(), Claim.id)
)


def same_statement_reports(
    session: Session, claim_id: int, statement_id: int | None
) -> list[Report]:
    """The other reports of the claim's statement, with their articles and outlets."""
    if statement_id is None:
        return []
    rows = _REPORTS.rows(session, {"statement_id": statement_id, "claim_id": claim_id})
    return [_report(row) for row in rows]


def _report(row: Sequence[Any]) -> Report:
    id_, summary, stance, via, *rest = row
    speaker, article = rest[: len(SPEAKER_COLUMNS)], rest[len(SPEAKER_COLUMNS) :]
    return Report(id_, summary, stance, via, SpeakerRef(*speaker), article_ref(*article))


RECORD_FIELDS = (
    "speaker_name", "role", "affiliation", "via", "quote", "start", "end", "direct",
    "stated_on_precision", "bases", "stance", "summary_en", "status", "tags",
)  # fmt: skip
"""The record fields a version shows under the same names (`stated_on` is parsed apart)."""


def version_from_record(
    current: ClaimVersion, speaker: Speaker, record: Record, version: int
) -> ClaimVersion:
    """The claim as `record` (a revision-history record) gives it; fields it lacks as they are
    in the `current` version."""
    fields: dict[str, Any] = {name: record[name] for name in RECORD_FIELDS if name in record}
    if "stated_on" in record:
        stated_on = record["stated_on"]
        fields["stated_on"] = date.fromisoformat(stated_on) if stated_on else None
    return replace(current, version=version, speaker=speaker, **fields)


def records_by_version(revisions: list[RevisionRow]) -> dict[int, Record]:
    """The claim's record after each version, replayed from its revisions (oldest first)."""
    records: dict[int, Record] = {}
    record: Record = {}
    for revision in revisions:
        if revision.field == CREATED:
            record = dict(revision.new_value)
        else:
            record = {**record, revision.field: revision.new_value}
        records[revision.version] = record
    # A version whose revisions were all recorded under a later number still existed.
    for version in range(1, max(records, default=0)):
        records.setdefault(version, records.get(version - 1, {}))
    return records


_NAMED_NOW = Actor.slug == bindparam("slug")
_SPEAKER = DriverRead(
    select(*SPEAKER_COLUMNS, Actor.kind)
    .where(
        or_(
            _NAMED_NOW,
            Actor.id.in_(
                select(ActorRedirect.actor_id).where(ActorRedirect.slug == bindparam("slug"))
            ),
        )
    )
    .order_by(_NAMED_NOW.desc())
    .limit(1)
)
"""The actor at the address a past version names, or, as on the actor pages, the one it has
redirected to since: a merge into another actor deletes it."""


def version_of(
    session: Session, current: ClaimVersion, revisions: list[RevisionRow], version: int
) -> ClaimVersion:
    """`version` of the claim whose `current` version is given, replayed from its revisions."""
    records = records_by_version(revisions)
    if version not in records:
        raise NotFound(
            N_(
                "Claim %(id)s has versions 1 to %(last)s; there is no version %(version)s.",
                id=current.id,
                last=current.version,
                version=version,
            )
        )
    record = records[version]
    speaker = current.speaker
    if record.get("speaker") not in (None, speaker.slug):
        found = _SPEAKER.row(session, {"slug": record["speaker"]})
        if found is None:
            raise LookupError(f"claim {current.id} version {version}: no actor {record['speaker']}")
        speaker = Speaker._make(found)
    return version_from_record(current, speaker, record, version)


def quote_context(text: str, shown: ClaimVersion) -> Context | None:
    """The paragraph around `shown`'s quote. A past version's offsets may no longer hold it: a
    corrected article is reloaded with its spans moved. Its quote is then cut where it is
    nearest its old place; None when the text no longer has it, rather than mark other words."""
    start = quote_at(text, shown.quote, shown.start)
    return None if start is None else context_of(text, start, start + len(shown.quote))


def quote_at(text: str, quote: str, start: int) -> int | None:
    """Where `quote` is in `text`: at `start`, or else the occurrence nearest it."""
    if text.startswith(quote, start):
        return start
    before = text.rfind(quote, 0, start + len(quote) - 1)  # the last beginning before `start`
    after = text.find(quote, start)
    found = [at for at in (before, after) if at != -1]
    return min(found, key=lambda at: abs(at - start)) if found else None


def context_of(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> Context:
    """The paragraph holding text[start:end], cut to about `limit` characters around it."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last == -1 else last
    room = max(0, (limit - (end - start)) // 2)
    if start - first > room:
        cut = text.find(" ", start - room, start)
        first = cut + 1 if cut != -1 else start - room
    if last - end > room:
        cut = text.rfind(" ", end, end + room)
        last = cut if cut != -1 else end + room
    before, after = text[first:start].lstrip(), text[end:last].rstrip()
    return Context(
        before=("… " if first > 0 and text[first - 1] != "\n" else "") + before,
        quote=text[start:end],
        after=after + (" …" if last < len(text) and text[last] != "\n" else ""),
    )
