"""Putting back what a revision changed, as a new revision of its own: a field's earlier value,
or a merge undone (and an undone merge done again)."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.errors import FieldsInvalid, NotFound
from app.messages import N_, REVERTED, with_values
from app.models import Claim, Revision, User
from app.queries.editor import claim_for_edit
from app.services.claim_edits import EDITABLE, EditConflict, apply_edit, edit_conflict, snapshot
from app.services.claim_merge import merge_claim, unmerge_claim

REVERTED_TOGETHER = {
    "start": ("start", "end"),
    "end": ("start", "end"),
    "quote": ("start", "end"),
    "stated_on": ("stated_on", "stated_on_precision"),
    "stated_on_precision": ("stated_on", "stated_on_precision"),
    "speaker": ("speaker", "speaker_name", "role", "affiliation"),
}
MERGE = "merged_into_id"


def can_revert(revision: Revision) -> bool:
    """Whether the history offers to revert `revision` (a claim's creation has nothing before
    it; what only follows from another change is reverted with that change)."""
    fields = REVERTED_TOGETHER.get(revision.field, (revision.field,))
    return revision.field == MERGE or set(fields) <= set(EDITABLE)


def revert(
    session: Session, claim_id: int, revision_id: int, *, editor: User, base_version: int
) -> Claim | EditConflict:
    """Put back the value a revision replaced (with the span's or date's other half, or the
    speaker's name, role and side as they were), or undo the merge it belongs to."""
    revision = session.get(Revision, revision_id)
    if revision is None or revision.claim_id != claim_id:
        raise NotFound(
            N_("claim %(claim)d has no revision %(revision)d", claim=claim_id, revision=revision_id)
        )
    note = with_values(REVERTED, revision=revision_id)
    merge = _merge_change(session, revision)
    if merge is not None:
        return _revert_merge(session, merge, editor=editor, base_version=base_version, note=note)
    if not can_revert(revision):
        raise FieldsInvalid(
            {"revision": N_("a change to %(field)r cannot be reverted", field=revision.field)}
        )
    fields = REVERTED_TOGETHER.get(revision.field, (revision.field,))
    same_change = session.scalars(
        select(Revision).where(
            Revision.claim_id == claim_id,
            Revision.version == revision.version,
            Revision.field.in_(fields),
        )
    )
    before = {r.field: r.old_value for r in same_change}
    current = snapshot(claim_for_edit(session, claim_id))
    edit = {field: before.get(field, current[field]) for field in fields}
    return apply_edit(session, claim_id, edit, editor=editor, base_version=base_version, note=note)


def _merge_change(session: Session, revision: Revision) -> Revision | None:
    """The merge (or its undoing) that `revision` is part of, as its `merged_into_id` revision:
    a merge also withdraws the claim, and reverting either half reverts both."""
    if revision.field == MERGE:
        return revision
    return session.scalar(
        select(Revision).where(
            Revision.claim_id == revision.claim_id,
            Revision.version == revision.version,
            Revision.field == MERGE,
        )
    )


def _revert_merge(
    session: Session, merge: Revision, *, editor: User, base_version: int, note: str
) -> Claim | EditConflict:
    claim = claim_for_edit(session, merge.claim_id)
    if claim.version != base_version:
        return edit_conflict(session, claim.id, base_version)
    if claim.merged_into_id != merge.new_value:  # a later change moved it: revert that one
        raise FieldsInvalid({"revision": N_("a later change undid or changed this merge")})
    try:
        with session.begin_nested():  # a lost race rolls back to here, leaving the session usable
            if merge.new_value is None:  # undone: merge again, with every check a merge makes
                merge_claim(session, claim.id, into=merge.old_value, editor=editor, note=note)
            else:
                status = _status_before(session, merge) or claim.status
                unmerge_claim(session, claim, status=status, editor=editor, note=note)
    except StaleDataError:
        return edit_conflict(session, claim.id, base_version)
    return claim_for_edit(session, claim.id)


def _status_before(session: Session, merge: Revision) -> str | None:
    """The status the merge withdrew the claim from (none recorded: it was withdrawn already)."""
    return session.scalar(
        select(Revision.old_value).where(
            Revision.claim_id == merge.claim_id,
            Revision.version == merge.version,
            Revision.field == "status",
        )
    )
