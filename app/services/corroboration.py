"""Grouping the claims that report one statement: found automatically, decided by editors.

Two claims report the same statement when they have the same speaker, about the same date (the
statement's own date, or the article's when the statement's is unknown) and nearly the same
words once Arabic spelling variants are normalised. The matcher only places claims that are in
no statement yet, and joins a statement only while it stays within the date window of its
earliest report, so that a speaker repeating a line every week does not become one statement.
Editors confirm a group, split a report off it, or join a claim the matcher missed.
"""

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid, NotFound
from app.extract.normalize import normalize
from app.messages import N_
from app.models import Article, Claim, Statement, StatementMember, User
from app.models.vocab import ClaimStatus

WINDOW = timedelta(days=3)
SIMILAR = 0.6
"""The least similarity (0–1, over normalised words) for two quotes to be the same words."""

_PUNCTUATION = re.compile(r"[^\w\s]+")


def quote_words(quote: str) -> list[str]:
    """The quote as normalised words, punctuation and quotation marks dropped."""
    return _PUNCTUATION.sub(" ", normalize(quote)).casefold().split()


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, quote_words(a), quote_words(b), autojunk=False).ratio()


@dataclass(frozen=True)
class Report:
    """What the matcher reads of a claim."""

    claim_id: int
    article_id: int
    speaker_id: int
    day: date
    """The statement's date, or its article's when the statement's is unknown."""
    quote: str
    statement_id: int | None


def _reports(session: Session, *conditions: ColumnElement[bool]) -> list[Report]:
    """Live claims with a date to place them by (no date, no window: never matched)."""
    day = func.coalesce(Claim.stated_on, Article.published_on)
    rows = session.execute(
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
    return [Report(*row) for row in rows]


def _candidates(session: Session, new: list[Report]) -> list[Report]:
    """Claims by the same speakers, in other articles, dated within the window of a new one."""
    if not new:
        return []
    lo, hi = min(r.day for r in new) - WINDOW, max(r.day for r in new) + WINDOW
    in_window = or_(
        Claim.stated_on.between(lo, hi),
        and_(Claim.stated_on.is_(None), Article.published_on.between(lo, hi)),
    )
    return _reports(
        session,
        Claim.speaker_id.in_({r.speaker_id for r in new}),
        in_window,
        Claim.id.not_in([r.claim_id for r in new]),
    )


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
    the same words, if any; returns how many were placed."""
    new = [r for r in _reports(session, Claim.id.in_(claim_ids)) if r.statement_id is None]
    pool = _candidates(session, new)
    anchors = _anchors(session, {r.statement_id for r in pool if r.statement_id is not None})
    placed = 0
    for report in new:
        best = _best_match(report, pool, anchors)
        if best is None:
            continue
        statement_id = best.statement_id or _new_statement(session, best)
        session.add(StatementMember(claim_id=report.claim_id, statement_id=statement_id))
        anchors.setdefault(statement_id, min(best.day, report.day))
        pool = [replace(r, statement_id=statement_id) if r == best else r for r in pool]
        pool.append(replace(report, statement_id=statement_id))
        placed += 1
    session.flush()
    return placed


def _best_match(report: Report, pool: list[Report], anchors: dict[int, date]) -> Report | None:
    scored = []
    for other in pool:
        if other.speaker_id != report.speaker_id or other.article_id == report.article_id:
            continue
        anchor = anchors.get(other.statement_id) if other.statement_id else other.day
        if anchor is None or abs(report.day - anchor) > WINDOW:
            continue
        score = similarity(report.quote, other.quote)
        if score >= SIMILAR:
            scored.append((score, other.claim_id, other))
    return max(scored, key=lambda s: (s[0], -s[1]))[2] if scored else None


def _new_statement(session: Session, first: Report) -> int:
    statement_id = _new_statement_id(session)
    session.add(StatementMember(claim_id=first.claim_id, statement_id=statement_id))
    return statement_id


def _new_statement_id(session: Session) -> int:
    statement = Statement()
    session.add(statement)
    session.flush()
    return statement.id


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
    report.statement_id = _new_statement_id(session)
    _decide(report, editor)
    session.flush()


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
        other = StatementMember(claim_id=other_id, statement_id=_new_statement_id(session))
        session.add(other)
    member = session.get(StatementMember, claim_id)
    if member is None:
        member = StatementMember(claim_id=claim_id, statement_id=other.statement_id)
        session.add(member)
    member.statement_id = other.statement_id
    _decide(member, editor)
    _decide(other, editor)
    session.flush()


def match_article(session: Session, article_key: str) -> int:
    """Match the claims of one article just loaded (the loader calls this per file)."""
    ids = session.scalars(select(Claim.id).join(Article).where(Article.key == article_key))
    return match_statements(session, list(ids))
