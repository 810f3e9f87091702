"""The extractor's report card: each approve, correction or rejection of a proposed claim."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.ingest.records import Record, record_of
from app.models import Claim, ReviewDecision, Revision, User
from app.models.editor import Decision, RejectReason
from app.models.revision import CREATED
from app.models.vocab import ClaimStatus
from app.queries.actors import actor_merged_from

# A field as the report card counts it: the span and its quote are one thing to get right,
# and so are a date and its precision.
GRADED = {
    "speaker": "speaker",
    "role": "role",
    "affiliation": "affiliation",
    "via": "via",
    "start": "span",
    "end": "span",
    "direct": "direct",
    "stated_on": "date",
    "stated_on_precision": "date",
    "bases": "bases",
    "stance": "stance",
    "summary_en": "summary",
}


def is_verdict(session: Session, claim_id: int, old: str, new: str) -> bool:
    """Whether a claim's status moving from `old` to `new` is a verdict on what the extractor
    proposed, which the report card counts (by the latest): the claim leaves the queue, or a
    proposal decided already is decided again (approved, then withdrawn from the claim editor).
    A claim that was never proposed (stored as checked by the loader) has no verdict."""
    if new in (old, ClaimStatus.EXTRACTED):
        return False
    decided = select(ReviewDecision.id).where(ReviewDecision.claim_id == claim_id).limit(1)
    return old == ClaimStatus.EXTRACTED or session.scalar(decided) is not None


def record_decision(
    session: Session, claim: Claim, *, editor: User, reason: RejectReason | None
) -> ReviewDecision:
    """Record the verdict on a claim that just left the queue; needs `speaker` and `tags`."""
    if claim.status == ClaimStatus.REJECTED:
        decision, fields = Decision.REJECTED, []
        reason = reason or RejectReason.OTHER
    else:
        fields = corrected_fields(_proposal(session, claim), record_of(claim))
        decision = Decision.CORRECTED if fields else Decision.APPROVED
        reason = None
    row = ReviewDecision(
        claim_id=claim.id,
        user_id=editor.id,
        decision=decision,
        fields=fields,
        reason=reason,
        extractor=claim.extractor,
    )
    session.add(row)
    session.flush()
    return row


def _proposal(session: Session, claim: Claim) -> Record | None:
    """The claim as first stored, i.e. as the extractor proposed it. Its speaker is named by
    the claim's when the proposed address now redirects there: that actor was renamed, or merged
    into the claim's speaker as the same person registered twice, not the extractor's mistake."""
    value = session.scalar(
        select(Revision.new_value)
        .where(Revision.claim_id == claim.id, Revision.field == CREATED)
        .order_by(Revision.id)
        .limit(1)
    )
    if not isinstance(value, dict):
        return None
    moved_to = actor_merged_from(session, value["speaker"])
    if moved_to is not None and moved_to.id == claim.speaker_id:
        value["speaker"] = claim.speaker.slug
    return value


def corrected_fields(proposal: Record | None, final: Record) -> list[str]:
    if proposal is None:
        return []
    changed = {GRADED[f] for f in GRADED if proposal.get(f) != final.get(f)}
    return sorted(changed)
