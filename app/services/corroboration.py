"""Grouping the claims that report one statement: found automatically, decided by editors.

Two claims report the same statement when they have the same speaker, about the same date (the
statement's own date, or the article's when the statement's is unknown) and nearly the same
words once Arabic spelling variants are normalised. The matcher only places claims that are in
no statement yet, and joins a statement only while it stays within the date window of its
earliest report, so that a speaker repeating a line every week does not become one statement.
Editors confirm a group, split a report off it, or join a claim the matcher missed.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher
from functools import cached_property
from itertools import count

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    column,
    func,
    insert,
    select,
    update,
    values,
)
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid, NotFound
from app.extract.normalize import normalize
from app.messages import N_
from app.models import Article, Claim, Statement, StatementMember, User
from app.models.vocab import ClaimStatus
from app.queries.shifts import sort_date

WINDOW = timedelta(days=3)
SIMILAR = 0.6
"""The least similarity (0–1, over normalised words) for two quotes to be the same words."""

_PUNCTUATION = re.compile(r"[^\w\s]+")


def quote_words(quote: str) -> list[str]:
    """The quote as normalised words, punctuation and quotation marks dropped."""
    return _PUNCTUATION.sub(" ", normalize(quote)).casefold().split()


def similarity(a: str, b: str) -> float:
    return _word_similarity(quote_words(a), quote_words(b))


@dataclass
class Report:
    """What the matcher reads of a claim; the matcher sets `statement_id` as it places it."""

    claim_id: int
    article_id: int
    speaker_id: int
    day: date
    """The statement's date, or its article's when the statement's is unknown."""
    quote: str
    statement_id: int | None

    @cached_property
    def words(self) -> list[str]:
        """Worked out once, and only for the reports compared."""
        return quote_words(self.quote)


ReportQuery = Select[int, int, int, date, str, int]


def _reports(session: Session, query: ReportQuery) -> list[Report]:
    return [Report(*row) for row in session.execute(query)]


def _live(*conditions: ColumnElement[bool]) -> ReportQuery:
    """Live claims with a date to place them by (no date, no window: never matched)."""
    day = func.coalesce(Claim.stated_on, Article.published_on)
    return (
        select(
            Claim.id,
            Claim.article_id,
            Claim.speaker_id,
            day,
            Claim.quote,
            StatementMember.statement_id,
        )
        .join(Article, Article.id == Claim.article_id)
        .outerjoin(StatementMember, StatementMember.claim_id == Claim.id)
        .where(
            Claim.status != ClaimStatus.REJECTED,
            Claim.merged_into_id.is_(None),
            day.is_not(None),
            *conditions,
        )
    )


def _windows(reports: list[Report]) -> list[tuple[int, date, date]]:
    """(speaker, first day, last day): the dates a report's statement may reach, merged per
    speaker. A statement's reports lie within WINDOW of its earliest, which must lie within WINDOW
    of the new report: twice WINDOW either side."""
    days: dict[int, set[date]] = defaultdict(set)
    for report in reports:
        days[report.speaker_id].add(report.day)
    windows: list[tuple[int, date, date]] = []
    for speaker, dates in days.items():
        for day in sorted(dates):
            lo, hi = day - 2 * WINDOW, day + 2 * WINDOW
            if windows and windows[-1][0] == speaker and lo <= windows[-1][2]:
                windows[-1] = (speaker, windows[-1][1], hi)
            else:
                windows.append((speaker, lo, hi))
    return windows


def _candidates(session: Session, new: list[Report]) -> list[Report]:
    """Stored claims by the same speakers, dated within the window of a new one: dated claims by
    ix_claims_speaker_timeline, undated ones by their article's date."""
    if not new:
        return []
    window = values(
        column("speaker_id", Integer), column("lo", Date), column("hi", Date), name="window"
    ).data(_windows(new))
    same_speaker = Claim.speaker_id == window.c.speaker_id
    dated = _live().join(window, and_(same_speaker, sort_date().between(window.c.lo, window.c.hi)))
    undated = _live(Claim.stated_on.is_(None)).join(
        window, and_(same_speaker, Article.published_on.between(window.c.lo, window.c.hi))
    )
    new_ids = {r.claim_id for r in new}
    return [
        r
        for r in _reports(session, dated) + _reports(session, undated)
        if r.claim_id not in new_ids
    ]


def _anchors(session: Session, statement_ids: set[int]) -> dict[int, date]:
    """Each statement's earliest report date: the window is measured from it."""
    if not statement_ids:
        return {}
    rows = session.execute(
        select(
            StatementMember.statement_id,
            func.min(func.coalesce(Claim.stated_on, Article.published_on)),
        )
        .join(Claim, Claim.id == StatementMember.claim_id)
        .join(Article, Article.id == Claim.article_id)
        .where(StatementMember.statement_id.in_(statement_ids))
        .group_by(StatementMember.statement_id)
    )
    return {statement: day for statement, day in rows if day is not None}


def match_statements(session: Session, claim_ids: list[int]) -> int:
    """Place each of these claims that is in no statement yet beside the most similar report of
    the same words, if any; returns how many were placed. The claims are taken in id order, each
    against the stored reports and the claims before it, as if they had been loaded one by one."""
    new = sorted(
        (r for r in _reports(session, _live(Claim.id.in_(claim_ids))) if r.statement_id is None),
        key=lambda r: r.claim_id,
    )
    pool = _Pool(_candidates(session, new))
    anchors = _anchors(session, pool.statement_ids())
    placed: dict[int, int] = {}
    """Claim → statement; statements still to be made have provisional negative numbers."""
    provisional = count(-1, -1)
    for report in new:
        best = _best_match(report, pool.near(report), anchors)
        if best is not None:
            if best.statement_id is None:
                best.statement_id = placed[best.claim_id] = next(provisional)
            report.statement_id = placed[report.claim_id] = best.statement_id
            anchor = anchors.get(best.statement_id, best.day)
            anchors[best.statement_id] = min(anchor, best.day, report.day)
        pool.put(report)
    _store_members(session, placed)
    return len(placed.keys() & {r.claim_id for r in new})


class _Pool:
    """The reports a new one is compared with, by speaker and day."""

    def __init__(self, reports: list[Report]) -> None:
        self.reports: dict[tuple[int, date], dict[int, Report]] = defaultdict(dict)
        for report in reports:
            self.put(report)

    def put(self, report: Report) -> None:
        self.reports[report.speaker_id, report.day][report.claim_id] = report

    def near(self, report: Report) -> Iterator[Report]:
        """The same speaker's reports that could share a statement with this one (_windows)."""
        reach = 2 * WINDOW.days
        for offset in range(-reach, reach + 1):
            day = report.day + timedelta(days=offset)
            yield from self.reports.get((report.speaker_id, day), {}).values()

    def statement_ids(self) -> set[int]:
        return {
            r.statement_id
            for same in self.reports.values()
            for r in same.values()
            if r.statement_id
        }


def _best_match(report: Report, pool: Iterable[Report], anchors: dict[int, date]) -> Report | None:
    scored = []
    for other in pool:
        if other.article_id == report.article_id:
            continue
        anchor = anchors.get(other.statement_id) if other.statement_id else other.day
        if anchor is None or abs(report.day - anchor) > WINDOW:
            continue
        score = _word_similarity(report.words, other.words, at_least=SIMILAR)
        if score >= SIMILAR:
            scored.append((score, other.claim_id, other))
    return max(scored, key=lambda s: (s[0], -s[1]))[2] if scored else None


def _word_similarity(a: Sequence[str], b: Sequence[str], *, at_least: float = 0.0) -> float:
    """The similarity of two word lists, or 0.0 when it is surely below `at_least`: the quick
    upper bounds rule out most pairs before the full comparison."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def _store_members(session: Session, placed: dict[int, int]) -> None:
    """Make the new statements and write every placement, one statement each."""
    provisional = sorted({s for s in placed.values() if s < 0})
    made = dict(zip(provisional, _new_statement_ids(session, len(provisional)), strict=True))
    _regrouped(session, *{s for s in placed.values() if s > 0})
    if placed:
        session.execute(
            insert(StatementMember),
            [{"claim_id": c, "statement_id": made.get(s, s)} for c, s in placed.items()],
        )


def _new_statement_ids(session: Session, n: int) -> list[int]:
    if not n:
        return []
    rows = select(func.now()).select_from(func.generate_series(1, n))
    return list(
        session.scalars(
            insert(Statement).from_select([Statement.created_at], rows).returning(Statement.id)
        )
    )


def _regrouped(session: Session, *statement_ids: int) -> None:
    """A claim joined or left these statements: their `updated_at` says when. The clock's time,
    not now() (the transaction's start), which may be older than what others committed since."""
    if statement_ids:
        session.execute(
            update(Statement)
            .where(Statement.id.in_(statement_ids))
            .values(updated_at=func.clock_timestamp())
        )


# Editors' decisions -------------------------------------------------------------------------


def _member(session: Session, claim_id: int) -> StatementMember:
    member = session.get(StatementMember, claim_id)
    if member is None:
        raise NotFound(N_("Claim %(claim)d is not grouped with any other report.", claim=claim_id))
    return member


def _decide(member: StatementMember, editor: User) -> None:
    member.confirmed = True
    member.decided_by = editor.id
    member.decided_at = datetime.now(UTC)


def confirm_statement(session: Session, claim_id: int, *, editor: User) -> None:
    """The editor checked the reports grouped with this claim: all are the same statement."""
    statement_id = _member(session, claim_id).statement_id
    for member in session.scalars(
        select(StatementMember).where(StatementMember.statement_id == statement_id)
    ):
        _decide(member, editor)
    session.flush()


def split_report(session: Session, claim_id: int, *, report_id: int, editor: User) -> None:
    """The report is not the same statement as this claim: it leaves the group, and stands
    alone as decided, so the matcher never puts it back."""
    member, report = _member(session, claim_id), _member(session, report_id)
    if report.statement_id != member.statement_id:
        raise FieldsInvalid(
            {
                "report": N_(
                    "claim %(report)d is not grouped with claim %(claim)d",
                    report=report_id,
                    claim=claim_id,
                )
            }
        )
    _regrouped(session, report.statement_id)
    report.statement_id = _new_statement_ids(session, 1)[0]
    _decide(report, editor)
    session.flush()


def change_of_speaker(session: Session, claim_id: int) -> None:
    """The claim is now attributed to someone else: it leaves the statement it was grouped in
    (another speaker's words are another statement) and is placed anew among its new speaker's."""
    member = session.get(StatementMember, claim_id)
    if member is not None:
        _regrouped(session, member.statement_id)
        session.delete(member)
        session.flush()
    match_statements(session, [claim_id])


def join_statement(session: Session, claim_id: int, *, other_id: int, editor: User) -> None:
    """This claim reports the same statement as another (a paraphrase the matcher missed)."""
    if other_id == claim_id:
        raise FieldsInvalid({"other": N_("a claim is always the same statement as itself")})
    claims = {
        c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_([claim_id, other_id])))
    }
    if other_id not in claims:
        raise FieldsInvalid({"other": N_("there is no claim %(claim)d", claim=other_id)})
    if claims[other_id].speaker_id != claims[claim_id].speaker_id:
        raise FieldsInvalid({"other": N_("claim %(claim)d has another speaker", claim=other_id)})
    other = session.get(StatementMember, other_id)
    if other is None:
        other = StatementMember(claim_id=other_id, statement_id=_new_statement_ids(session, 1)[0])
        session.add(other)
    member = session.get(StatementMember, claim_id)
    if member is None:
        member = StatementMember(claim_id=claim_id, statement_id=other.statement_id)
        session.add(member)
    _regrouped(session, member.statement_id, other.statement_id)
    member.statement_id = other.statement_id
    _decide(member, editor)
    _decide(other, editor)
    session.flush()


def match_articles(session: Session, article_keys: list[str]) -> int:
    """Match the claims of the articles just loaded (the loader calls this per transaction)."""
    ids = session.scalars(select(Claim.id).join(Article).where(Article.key.in_(article_keys)))
    return match_statements(session, list(ids))
