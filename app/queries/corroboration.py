"""How widely a statement was reported: outlets, and the independent sources behind them.

Claims in one `Statement` report the same words; a claim without one is reported once. A source
is who the outlet heard the statement from: the first `via` element, or the outlet itself when
it heard it directly. Ten outlets rewriting one TASS wire are ten outlets and one source.
"""

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from sqlalchemy import ColumnElement, CompoundSelect, func, select, union_all
from sqlalchemy.orm import Session, aliased

from app.db.session import read_rows
from app.models import Article, Claim, Outlet, StatementMember
from app.models.vocab import ClaimStatus


class Reach(NamedTuple):
    outlets: int
    sources: int


ALONE = Reach(outlets=1, sources=1)


def reported(claim: type[Claim] = Claim) -> ColumnElement[bool]:
    """Whether another claim of a statement counts as a report of it: one an editor checked. The
    matcher groups the extractor's proposals too, for editors to confirm in review; until then
    another outlet's proposal is no report of a published claim."""
    return claim.status == ClaimStatus.VERIFIED


def originator(claim: type[Claim] = Claim, outlet: type[Outlet] = Outlet) -> ColumnElement[str]:
    """The source key of a report, case-folded so that `TASS` and `Tass` are one source."""
    return func.lower(func.coalesce(claim.via[1], outlet.name))


class _Outlet(Protocol):
    @property
    def name(self) -> str: ...


class _Article(Protocol):
    @property
    def outlet(self) -> _Outlet: ...


class Reported(Protocol):
    """A report as counted in Python: a `Claim` with its article and outlet loaded, or a claim
    page's read model of one."""

    @property
    def via(self) -> Sequence[str]: ...
    @property
    def article(self) -> _Article: ...


def originator_of(report: Reported) -> str:
    """`originator()` for a report read already."""
    return (report.via[0] if report.via else report.article.outlet.name).lower()


def reach_among(reports: Sequence[Reported]) -> Reach:
    """The reach of a statement whose reports (a claim and its `reported` ones) are read
    already. Outlets are told apart by name, which is unique to each, as `reach_of` tells them
    by id."""
    return Reach(
        outlets=len({r.article.outlet.name for r in reports}),
        sources=len({originator_of(r) for r in reports}),
    )


def statement_reports(claim_ids: list[int]) -> CompoundSelect[tuple[int, int]]:
    """(claim, report) pairs: each claim with itself and every `reported` claim of its statement."""
    own, other = aliased(StatementMember), aliased(StatementMember)
    report = aliased(Claim)
    grouped = (
        select(own.claim_id.label("claim_id"), other.claim_id.label("report_id"))
        .join(other, other.statement_id == own.statement_id)
        .join(report, report.id == other.claim_id)
        .where(
            own.claim_id.in_(claim_ids),
            other.claim_id != own.claim_id,
            reported(report),
        )
    )
    alone = select(Claim.id.label("claim_id"), Claim.id.label("report_id")).where(
        Claim.id.in_(claim_ids)
    )
    return union_all(alone, grouped)


def reach_of(session: Session, claim_ids: list[int]) -> dict[int, Reach]:
    """Outlets and independent sources for each claim, in one query (for a page of claims).

    Claims that do not exist are left out; the caller can show `ALONE` for those.
    """
    if not claim_ids:
        return {}
    pairs = statement_reports(claim_ids).subquery()
    query = (
        select(
            pairs.c.claim_id,
            func.count(func.distinct(Article.outlet_id)),
            func.count(func.distinct(originator())),
        )
        .select_from(pairs)
        .join(Claim, Claim.id == pairs.c.report_id)
        .join(Article, Article.id == Claim.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .group_by(pairs.c.claim_id)
    )
    return {
        claim_id: Reach(outlets, sources)
        for claim_id, outlets, sources in read_rows(session, query).all()
    }
