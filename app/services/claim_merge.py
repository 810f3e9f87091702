"""Merging a duplicate claim into the claim that records the same statement, and undoing it.

The duplicate is never deleted: it is withdrawn and points at the claim it was merged into, so
that its address keeps working and says where to go. Both changes go into the revision history,
from which an editor can undo the merge (app/services/claim_revert.py).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid, NotFound
from app.messages import MERGED_AS_DUPLICATE, N_, with_values
from app.models import Claim, User
from app.models.editor import RejectReason
from app.models.vocab import ClaimStatus
from app.services import review
from app.services.claim_edits import editor_revision


def merge_claim(
    session: Session, claim_id: int, *, into: int, editor: User, note: str | None = None
) -> Claim:
    claims = {
        c.id: c
        for c in session.scalars(
            select(Claim).where(Claim.id.in_([claim_id, into])).with_for_update()
        )
    }
    if claim_id not in claims:
        raise NotFound(N_("There is no claim %(claim)d in the archive.", claim=claim_id))
    claim = claims[claim_id]
    target = claims.get(into)
    if claim.merged_into_id is not None:  # first: no other claim's state changes that
        raise FieldsInvalid(
            {
                "into": N_(
                    "this claim is already merged into claim %(target)d",
                    target=claim.merged_into_id,
                )
            }
        )
    if into == claim_id:
        raise FieldsInvalid({"into": N_("a claim cannot be merged into itself")})
    if target is None:
        raise FieldsInvalid({"into": N_("there is no claim %(claim)d", claim=into)})
    if target.merged_into_id is not None:
        raise FieldsInvalid(
            {
                "into": N_(
                    "claim %(claim)d was itself merged into claim %(target)d",
                    claim=into,
                    target=target.merged_into_id,
                )
            }
        )
    if target.status == ClaimStatus.REJECTED:
        raise FieldsInvalid({"into": N_("claim %(claim)d was withdrawn", claim=into)})
    if target.status == ClaimStatus.EXTRACTED and claim.status == ClaimStatus.VERIFIED:
        # Readers of the published claim would be sent to a guess nobody checked.
        raise FieldsInvalid(
            {
                "into": N_(
                    "claim %(claim)d is not checked yet: approve it first, or merge it into this"
                    " one",
                    claim=into,
                )
            }
        )
    if target.speaker_id != claim.speaker_id:  # a duplicate records the same statement
        raise FieldsInvalid(
            {
                "into": N_(
                    "claim %(claim)d has another speaker: correct this claim's speaker first,"
                    " or reject it",
                    claim=into,
                )
            }
        )
    note = note or with_values(MERGED_AS_DUPLICATE, claim=into)
    proposed = review.is_verdict(session, claim.id, claim.status, ClaimStatus.REJECTED)
    _move(claim, into, ClaimStatus.REJECTED, session, editor, note=note)
    if proposed:  # the extractor proposed what the archive holds already: its report card says so
        review.record_decision(session, claim, editor=editor, reason=RejectReason.DUPLICATE)
    return claim


def unmerge_claim(session: Session, claim: Claim, *, status: str, editor: User, note: str) -> Claim:
    """The merge undone: the claim is live again, with `status`, the one it had before. Needs
    `speaker` and `tags` loaded (an approval's verdict is graded by them)."""
    verdict = review.is_verdict(session, claim.id, claim.status, status)
    _move(claim, None, status, session, editor, note=note)
    if verdict:  # approved before it was merged: approved again, not still a duplicate
        review.record_decision(session, claim, editor=editor, reason=None)
    return claim


def _move(
    claim: Claim, into: int | None, status: str, session: Session, editor: User, *, note: str
) -> None:
    """Point the claim at `into` (None: at nothing) with `status`; both changes in its history."""
    old = {"merged_into_id": claim.merged_into_id, "status": claim.status}
    claim.merged_into_id = into
    claim.status = status
    claim.updated_at = func.clock_timestamp()
    session.flush()  # the version moves here
    for field, new in (("merged_into_id", into), ("status", status)):
        if old[field] != new:
            session.add(editor_revision(claim, editor, field, new, old=old[field], note=note))
    session.flush()
