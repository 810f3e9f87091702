"""Positions over time: claims per month, by side (Russia, Syria, others) and stance."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.models import Claim
from app.models.vocab import Precision
from app.queries.filters import Scope, conditions, speaker_side_in

LANES = ("RU", "SY", "other")


@dataclass(frozen=True)
class Positions:
    months: list[date]
    """Every month from the first to the last dated claim of the selection."""
    counts: dict[tuple[str, date], dict[str, int]]
    """(lane, month) → stance → claims."""
    year_only: int = 0
    """The selection's claims known only by their year: in no month's counts (a claim of "2024",
    stored as 1 January, is not one of January's), and said under the chart."""

    def total(self, lane: str, month: date) -> int:
        return sum(self.counts.get((lane, month), {}).values())


def positions(session: Session, scope: Scope) -> Positions:
    lane = case(*((speaker_side_in([side], False), side) for side in LANES[:2]), else_="other")
    # No month for a claim known only by its year: counted in the same scan, apart.
    month = case(
        (Claim.stated_on_precision == Precision.YEAR, None),
        else_=func.date_trunc("month", Claim.stated_on).cast(Claim.stated_on.type),
    )
    query = (
        select(lane, month, Claim.stance, func.count())
        .where(*conditions(scope), Claim.stated_on.is_not(None))
        .group_by(lane, month, Claim.stance)
    )
    counts: dict[tuple[str, date], dict[str, int]] = defaultdict(dict)
    year_only = 0
    for side, when, stance, n in session.execute(query):
        if when is None:
            year_only += n
        else:
            counts[(side, when)][stance] = n
    return Positions(month_range([when for _, when in counts]), dict(counts), year_only)


def month_range(months: list[date]) -> list[date]:
    """Every month from the first of `months` to the last."""
    if not months:
        return []
    first, last = min(months), max(months)
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
