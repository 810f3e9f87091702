"""Merging a duplicate claim into the claim that records the same statement.

The duplicate is never deleted: it is withdrawn and points at the claim it was merged into, so
that its address keeps working and says where to go. Both changes go into the revision history.
"""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid, NotFound
from app.messages import N_
from app.models import Claim, User
from app.models.vocab import ClaimStatus
from app.services.claim_edits import editor_revision


def merge_claim(session: Session, claim_id: int, *, into: int, editor: User) -> Claim:
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
    if claim.merged_into_id is not None:
        raise FieldsInvalid(
            {
                "into": N_(
                    "this claim is already merged into claim %(target)d",
                    target=claim.merged_into_id,
                )
            }
        )
    old_status = claim.status
    claim.merged_into_id = into
    claim.status = ClaimStatus.REJECTED
    claim.updated_at = datetime.now(UTC)
    session.flush()  # the version moves here
    for field, old, new in (("merged_into_id", None, into), ("status", old_status, "rejected")):
        if old != new:
            session.add(
                editor_revision(
                    claim, editor, field, new, old=old, note=f"duplicate of claim {into}"
                )
            )
    session.flush()
    return claim
