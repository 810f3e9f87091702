"""The extractor's report card, from editors' decisions (each claim counted by its latest one)."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import Article, Claim, Outlet, ReviewDecision
from app.models.editor import Decision
from app.models.vocab import ClaimStatus

DIMENSIONS = ("extractor", "outlet", "language")


@dataclass
class Grade:
    """How one extractor version (or outlet, or language) did."""

    name: str
    approved: int = 0
    corrected: int = 0
    rejected: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def decided(self) -> int:
        return self.approved + self.corrected + self.rejected

    @property
    def precision(self) -> float:
        """Share of proposed claims that were real claims (approved, with or without fixes)."""
        return (self.approved + self.corrected) / self.decided if self.decided else 0.0

    @property
    def exact(self) -> float:
        """Share approved without a single correction."""
        return self.approved / self.decided if self.decided else 0.0


def report_card(session: Session) -> dict[str, list[Grade]]:
    """Grades by extractor version, outlet and language, most decisions first."""
    latest = (
        select(ReviewDecision)
        .ext(distinct_on(ReviewDecision.claim_id))
        .order_by(ReviewDecision.claim_id, ReviewDecision.id.desc())
        .subquery()
    )
    columns: dict[str, ColumnElement[str] | InstrumentedAttribute[str]] = {
        "extractor": func.coalesce(latest.c.extractor, "unversioned"),
        "outlet": Outlet.name,
        "language": Article.language,
    }
    rows = session.execute(
        select(latest.c.decision, latest.c.fields, latest.c.reason, *columns.values())
        .join(Claim, Claim.id == latest.c.claim_id)
        .join(Article, Article.id == Claim.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(Claim.status != ClaimStatus.EXTRACTED)  # back in the queue: its verdict undone
    ).all()
    grades: dict[str, dict[str, Grade]] = {d: {} for d in DIMENSIONS}
    for decision, fields, reason, *names in rows:
        for dimension, name in zip(DIMENSIONS, names, strict=True):
            grade = grades[dimension].setdefault(name, Grade(name))
            _count(grade, decision, fields, reason)
    return {d: sorted(g.values(), key=lambda g: (-g.decided, g.name)) for d, g in grades.items()}


def _count(grade: Grade, decision: str, fields: list[str], reason: str | None) -> None:
    if decision == Decision.APPROVED:
        grade.approved += 1
    elif decision == Decision.CORRECTED:
        grade.corrected += 1
        grade.fields.update(fields)
    else:
        grade.rejected += 1
        grade.reasons[reason or "other"] += 1
