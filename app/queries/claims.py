"""A claim as its permanent page shows it: any version of it, its article, who else reported it.

Every version is rebuilt from the revision history: the `*` revision holds the claim as first
recorded, and each later revision sets one field to its new value at a higher version.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Row, bindparam, func, select, true, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased, joinedload

from app.db.session import read_rows
from app.errors import NotFound
from app.ingest.records import Record, record_of
from app.messages import N_
from app.models import Actor, Article, Claim, Revision, StatementMember
from app.models.revision import CREATED
from app.models.vocab import ClaimStatus
from app.queries.corroboration import Reach, reach_among
from app.queries.shifts import same_speaker_and_base, sort_date
from app.queries.timeline import SpeakerRef

CONTEXT_CHARS = 600
"""The longest paragraph shown around a quote; longer ones are cut at word boundaries."""


@dataclass(frozen=True)
class ClaimVersion:
    """The claim's fields at one version, in the annotated-article vocabulary."""

    id: int
    version: int
    speaker: Actor
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
    speaker: SpeakerRef


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
    """The latest change to the claim, its article, its speaker, its reports, its statement or
    any other claim of its speaker (one may now come before or after it)."""
    merged_version: int | None
    """The version of the claim it was merged into, if it was."""
    confirmed: bool
    """An editor confirmed that the claim and every report of it are the same statement."""
    report_ids: list[int] | None
    report_versions: list[int] | None


def _reports_of(
    claim: Any, member: Any, statement_id: Any, claim_id: Any
) -> list[ColumnElement[bool]]:
    """The other live claims of a statement: what "Also reported by" lists."""
    return [
        member.statement_id == statement_id,
        claim.id != claim_id,
        claim.status != ClaimStatus.REJECTED,
    ]


def _stamp_statement() -> Any:
    report, other = aliased(Claim), aliased(StatementMember)
    merged = aliased(Claim)
    reports = (
        select(
            func.max(report.updated_at).label("changed"),
            func.bool_and(other.confirmed).label("confirmed"),
            func.array_agg(aggregate_order_by(report.id, report.id)).label("ids"),
            func.array_agg(aggregate_order_by(report.version, report.id)).label("versions"),
        )
        .join_from(other, report, report.id == other.claim_id)
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
            Actor.slug,
            Actor.name_en,
            Actor.name_ar,
            Actor.affiliation,
            func.greatest(
                Claim.updated_at,
                Article.updated_at,
                Actor.updated_at,
                reports.c.changed,
                StatementMember.decided_at,
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


def _neighbours(
    row: Row[*tuple[Any, ...]], speaker: SpeakerRef
) -> tuple[Neighbour | None, Neighbour | None]:
    """The neighbours' columns at the end of `row` (`_PREVIOUS`'s, then `_NEXT`'s), each None
    when there is no such statement (an undated claim has neither)."""
    width = len(NEIGHBOUR_FIELDS)
    previous, following = row[-2 * width : -width], row[-width:]
    return (
        Neighbour._make((*previous, speaker)) if previous[0] else None,
        Neighbour._make((*following, speaker)) if following[0] else None,
    )


_STAMP = _stamp_statement()


def claim_stamp(session: Session, claim_id: int) -> ClaimStamp:
    row = read_rows(session, _STAMP, {"claim_id": claim_id}).one_or_none()
    if row is None:
        raise NotFound(N_("There is no claim %(id)s in the archive.", id=claim_id))
    id_, version, summary, stance, slug, name_en, name_ar, side, *rest = row
    return ClaimStamp(
        id_, version, summary, stance, SpeakerRef(slug, name_en, name_ar, side), *rest
    )


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    shown: ClaimVersion
    """The version on the page: the current one, or the one a citation names."""
    context: Context
    reports: list[Claim]
    """Other articles' claims that report the same statement, earliest publication first."""
    reach: Reach
    revisions: list[Revision]
    merged_into: Claim | None
    member: StatementMember | None
    stamp: ClaimStamp
    previous: Neighbour | None
    """The speaker's statement just before this one on its bases (the HTML page links it)."""
    following: Neighbour | None

    @property
    def is_current(self) -> bool:
        return self.shown.version == self.claim.version

    @property
    def last_modified(self) -> datetime:
        return self.stamp.last_modified

    @property
    def confirmed(self) -> bool:
        return self.stamp.confirmed


_CLAIM_WITH_ITS_PAGE = (
    select(Claim, StatementMember, *_PREVIOUS.c, *_NEXT.c)
    .outerjoin(StatementMember, StatementMember.claim_id == Claim.id)
    .outerjoin(_PREVIOUS, true())
    .outerjoin(_NEXT, true())
    .where(Claim.id == bindparam("claim_id"))
    .options(
        joinedload(Claim.speaker),
        joinedload(Claim.article).joinedload(Article.outlet),
        joinedload(Claim.tags),
    )
)
"""Built once: building it for each page cost a tenth of a claim page's Python time."""


def load_claim(session: Session, claim_id: int) -> Row[*tuple[Any, ...]]:
    """The claim with what its page reads (speaker, article and outlet, tags), its place in a
    statement, and the columns of its speaker's statements before and after it: one round trip,
    which is most of what a claim page costs the database (the neighbours had their own, which
    cost the page a tenth of its Python time)."""
    row = session.execute(_CLAIM_WITH_ITS_PAGE, {"claim_id": claim_id}).unique().one_or_none()
    if row is None:
        raise NotFound(N_("There is no claim %(id)s in the archive.", id=claim_id))
    return row


def claim_page(
    session: Session, claim_id: int, *, version: int | None = None, stamp: ClaimStamp | None = None
) -> ClaimPage:
    """The page; `stamp` if the caller has read it already."""
    stamp = stamp or claim_stamp(session, claim_id)
    row = load_claim(session, claim_id)
    claim, member = row[0], row[1]
    previous, following = _neighbours(row, stamp.speaker)
    # A claim never changed has only its creation revision: nothing to replay or log.
    revisions = _revisions(session, claim_id) if claim.version > 1 else []
    shown = current_version(claim)
    if version is not None and version != claim.version:
        shown = version_of(session, claim, revisions, version)
    reports = same_statement_reports(session, claim, member)
    merged_into = load_claim(session, claim.merged_into_id)[0] if claim.merged_into_id else None
    return ClaimPage(
        claim=claim,
        shown=shown,
        context=context_of(claim.article.text, shown.start, shown.end),
        reports=reports,
        reach=reach_among([claim, *reports]),
        revisions=revisions,
        merged_into=merged_into,
        member=member,
        stamp=stamp,
        previous=previous,
        following=following,
    )


def _revisions(session: Session, claim_id: int) -> list[Revision]:
    return list(
        session.scalars(select(Revision).where(Revision.claim_id == claim_id).order_by(Revision.id))
    )


def same_statement_reports(
    session: Session, claim: Claim, member: StatementMember | None
) -> list[Claim]:
    """The other live claims of the claim's statement, with their articles and outlets."""
    if member is None:
        return []
    reports = session.scalars(
        select(Claim)
        .join(StatementMember, StatementMember.claim_id == Claim.id)
        .join(Article, Article.id == Claim.article_id)
        .where(*_reports_of(Claim, StatementMember, member.statement_id, claim.id))
        .options(
            joinedload(Claim.article).joinedload(Article.outlet),
            joinedload(Claim.speaker),
        )
        .order_by(Article.published_on.nulls_last(), Claim.id)
    )
    return list(reports)


RECORD_FIELDS = (
    "speaker_name", "role", "affiliation", "via", "quote", "start", "end", "direct",
    "stated_on_precision", "bases", "stance", "summary_en", "status", "tags",
)  # fmt: skip
"""The record fields a version shows under the same names (`stated_on` is parsed apart)."""


def version_from_record(claim: Claim, speaker: Actor, record: Record, version: int) -> ClaimVersion:
    """The claim as `record` (a revision-history record) gives it; missing fields from now."""
    fields = record_of(claim) | record
    stated_on = fields["stated_on"]
    return ClaimVersion(
        id=claim.id,
        version=version,
        speaker=speaker,
        stated_on=date.fromisoformat(stated_on) if stated_on else None,
        **{name: fields[name] for name in RECORD_FIELDS},
    )


def current_version(claim: Claim) -> ClaimVersion:
    """Needs `speaker` and `tags` loaded."""
    return version_from_record(claim, claim.speaker, {}, claim.version)


def records_by_version(revisions: list[Revision]) -> dict[int, Record]:
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


def version_of(
    session: Session, claim: Claim, revisions: list[Revision], version: int
) -> ClaimVersion:
    records = records_by_version(revisions)
    if version not in records:
        raise NotFound(
            N_(
                "Claim %(id)s has versions 1 to %(last)s; there is no version %(version)s.",
                id=claim.id,
                last=claim.version,
                version=version,
            )
        )
    record = records[version]
    speaker = claim.speaker
    if record.get("speaker") not in (None, speaker.slug):
        speaker = session.scalars(select(Actor).where(Actor.slug == record["speaker"])).one()
    return version_from_record(claim, speaker, record, version)


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
