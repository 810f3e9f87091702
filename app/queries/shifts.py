"""Position shifts: a claim against the same speaker's previous claim on the same base.

"The same base" means a base in common, or both about the presence in general (no base named).
Only dated, verified claims count as the record a new statement is compared with.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    and_,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import Date

from app.models import Claim
from app.models.vocab import ClaimStatus

NO_DATE = literal_column("'-infinity'::date", Date)
"""Written as ix_claims_timeline's expression spells it, so the planner matches the index."""


def sort_date(claim: Any = Claim) -> ColumnElement[Any]:
    """The timeline's order key: the statement date, undated claims as -infinity (last)."""
    return func.coalesce(claim.stated_on, NO_DATE)


_EARLIER = aliased(Claim, name="earlier")
"""Made once: a fresh alias per request cost a fifth of a timeline page's time (SQLAlchemy
builds the alias's column collection on first use)."""


def same_speaker_and_base(other: Any, claim: Any) -> list[ColumnElement[bool]]:
    """`other` is a dated public statement of the dated `claim`'s speaker on one of its bases
    (or, like it, on none): what a shift is measured against, and a claim page links to."""
    return [
        other.speaker_id == claim.speaker_id,
        other.status == ClaimStatus.VERIFIED,
        other.merged_into_id.is_(None),
        claim.stated_on.is_not(None),
        sort_date(other) > NO_DATE,
        or_(
            other.bases.op("&&")(claim.bases),
            and_(func.cardinality(other.bases) == 0, func.cardinality(claim.bases) == 0),
        ),
    ]


@cache
def previous_stance(claim: Any = Claim) -> ScalarSelect[str]:
    """The stance of the speaker's previous statement on the same base(s), or NULL if none.

    Walks ix_claims_speaker_timeline backwards from the claim: a few index rows per claim.
    Built once: making it took 7% of a timeline page's time (statements are immutable, so one
    object serves every query).
    """
    p = _EARLIER
    return (
        select(p.stance)
        .where(
            *same_speaker_and_base(p, claim),
            tuple_(sort_date(p), p.id) < tuple_(claim.stated_on, claim.id),
        )
        .order_by(sort_date(p).desc(), p.id.desc())
        .limit(1)
        .correlate(claim)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Point:
    claim_id: int
    stated_on: date
    stated_on_precision: str
    """`day`, `month` or `year`: a statement known only as "Feb 2025" is not one of 1 Feb."""
    stance: str
    lane: str
    """The base (`hmeimim`, `tartus`) or `general`."""
    summary_en: str
    """For the claim's address (`claim_url`), with the speaker's name and the stance."""


LANES = ["hmeimim", "tartus", "general"]

# For each month and base, the last statement of it: an index probe each, from the month's end
# backwards along ix_claims_speaker_timeline, so the most quoted speaker costs no more to draw
# than a quiet one (reading all 200,000 of their statements took two seconds).
_MONTHLY_LAST = text("""
SELECT said.id, said.stated_on, said.stated_on_precision, said.stance, lanes.lane,
       said.summary_en
FROM unnest(CAST(:starts AS date[]), CAST(:stops AS date[])) AS months(start, stop)
CROSS JOIN unnest(CAST(:lanes AS text[])) AS lanes(lane)
CROSS JOIN LATERAL (
    SELECT c.id, c.stated_on, c.stated_on_precision, c.stance, c.summary_en FROM claims c
    WHERE c.speaker_id = :speaker AND c.status = 'verified' AND c.merged_into_id IS NULL
      AND coalesce(c.stated_on, '-infinity'::date) >= months.start
      AND coalesce(c.stated_on, '-infinity'::date) < months.stop
      AND CASE WHEN lanes.lane = 'general' THEN cardinality(c.bases) = 0
               ELSE c.bases @> ARRAY[lanes.lane] END
    ORDER BY coalesce(c.stated_on, '-infinity'::date) DESC, c.id DESC
    LIMIT 1
) said
ORDER BY said.stated_on, said.id
""")


def stance_line(session: Session, speaker_id: int) -> list[Point]:
    """The speaker's stance through time: for each base they spoke of (or `general`) and each
    month, their last dated, verified statement of that month. A point per month, not per
    statement: the most quoted speaker has 200,000 statements, which no chart can draw."""
    said = (
        Claim.speaker_id == speaker_id,
        Claim.status == ClaimStatus.VERIFIED,
        Claim.merged_into_id.is_(None),
        sort_date() > NO_DATE,
    )
    first = session.scalar(select(sort_date()).where(*said).order_by(sort_date()).limit(1))
    last = session.scalar(select(sort_date()).where(*said).order_by(sort_date().desc()).limit(1))
    if first is None or last is None:
        return []
    starts = _months(first, last)
    stops = [*starts[1:], _next_month(starts[-1])]
    rows = session.execute(
        _MONTHLY_LAST,
        {"starts": starts, "stops": stops, "lanes": LANES, "speaker": speaker_id},
    )
    return [
        Point(claim_id, stated_on, precision, stance, lane, summary)
        for claim_id, stated_on, precision, stance, lane, summary in rows
    ]


def _months(first: date, last: date) -> list[date]:
    months = [first.replace(day=1)]
    while months[-1] < last.replace(day=1):
        months.append(_next_month(months[-1]))
    return months


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
