"""Positions over time: claims per month, by side (Russia, Syria, others) and stance."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.models import Claim
from app.queries.filters import Scope, conditions, speaker_side_in

LANES = ("RU", "SY", "other")


@dataclass(frozen=True)
class Positions:
    months: list[date]
    """Every month from the first to the last dated claim of the selection."""
    counts: dict[tuple[str, date], dict[str, int]]
    """(lane, month) → stance → claims."""

    def total(self, lane: str, month: date) -> int:
        return sum(self.counts.get((lane, month), {}).values())


def positions(session: Session, scope: Scope) -> Positions:
    lane = case(*((speaker_side_in([side], False), side) for side in LANES[:2]), else_="other")
    month = func.date_trunc("month", Claim.stated_on).cast(Claim.stated_on.type)
    query = (
        select(lane, month, Claim.stance, func.count())
        .where(*conditions(scope), Claim.stated_on.is_not(None))
        .group_by(lane, month, Claim.stance)
    )
    counts: dict[tuple[str, date], dict[str, int]] = defaultdict(dict)
    for side, when, stance, n in session.execute(query):
        counts[(side, when)][stance] = n
    return Positions(month_range([when for _, when in counts]), dict(counts))


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
