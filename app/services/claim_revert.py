"""Putting back what a revision changed, as a new revision of its own: a field's earlier value,
or a merge undone (and an undone merge done again)."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.errors import FieldsInvalid, NotFound
from app.messages import ACTOR_MERGED, N_, REVERTED, Message, as_written, with_values
from app.models import Claim, Revision, User
from app.queries.editor import claim_for_edit
from app.services.claim_edits import (
    EDITABLE,
    Edit,
    EditConflict,
    apply_edit,
    edit_conflict,
    snapshot,
)
from app.services.claim_merge import merge_claim, unmerge_claim

REVERTED_TOGETHER = {
    "start": ("start", "end"),
    "end": ("start", "end"),
    "quote": ("start", "end"),
    "stated_on": ("stated_on", "stated_on_precision"),
    "stated_on_precision": ("stated_on", "stated_on_precision"),
    "speaker": ("speaker", "speaker_name", "role", "affiliation"),
    "summary_en": ("summary_en", "summary_machine"),
}
"""What reverting a row of each field puts back. A speaker's name, role or side changed along
with the speaker is the speaker's change (`_reverted_together`); corrected alone, it is its own.
A summary comes back labelled the machine's or not, as it was then."""
SPEAKER = REVERTED_TOGETHER["speaker"]
MERGE = "merged_into_id"
NOTHING_TO_REVERT = N_("nothing to revert: the claim already has the values this change replaced")


def can_revert(revision: Revision) -> bool:
    """Whether the history offers to revert `revision`."""
    return revert_refusal(revision) is None


def revert_refusal(revision: Revision) -> Message | None:
    """Why `revision` cannot be reverted, or None when it can: a claim's creation has nothing
    before it, what only follows from another change is reverted with that change, and an actor
    merged into another is gone."""
    if revision.field == MERGE:
        return None
    if revision.field not in EDITABLE and revision.field not in REVERTED_TOGETHER:
        return N_("a change to %(field)r cannot be reverted", field=revision.field)
    return _actor_merged(revision)


def revert(
    session: Session, claim_id: int, revision_id: int, *, editor: User, base_version: int
) -> Claim | EditConflict:
    """Put back the value a revision replaced (with the span's or date's other half, or the
    speaker's name, role and side, as they were right before it), or undo the merge it belongs
    to. Raises FieldsInvalid when it cannot be put back, or when the claim has it back already."""
    revision = session.get(Revision, revision_id)
    if revision is None or revision.claim_id != claim_id:
        raise NotFound(
            N_("claim %(claim)d has no revision %(revision)d", claim=claim_id, revision=revision_id)
        )
    note = with_values(REVERTED, version=revision.version)
    merge = _merge_change(session, revision)
    if merge is not None:
        return _revert_merge(session, merge, editor=editor, base_version=base_version, note=note)
    if (refusal := revert_refusal(revision)) is not None:
        raise FieldsInvalid({"revision": refusal})
    same_change = {
        r.field: r
        for r in session.scalars(
            select(Revision).where(
                Revision.claim_id == claim_id, Revision.version == revision.version
            )
        )
    }
    fields = _reverted_together(revision, same_change)
    for reverted_too in (same_change[f] for f in fields if f in same_change):
        if (refusal := _actor_merged(reverted_too)) is not None:
            raise FieldsInvalid({"revision": refusal})
    edit = _as_it_stood_before(session, revision, fields)
    result = apply_edit(
        session, claim_id, edit, editor=editor, base_version=base_version, note=note
    )
    if isinstance(result, Claim) and result.version == base_version:  # apply_edit saved nothing
        raise FieldsInvalid({"revision": NOTHING_TO_REVERT})
    return result


def _reverted_together(revision: Revision, same_change: dict[str, Revision]) -> tuple[str, ...]:
    """The fields reverting `revision` puts back, given the revisions of its version by field."""
    if revision.field in SPEAKER and "speaker" in same_change:
        return SPEAKER
    return REVERTED_TOGETHER.get(revision.field, (revision.field,))


def _as_it_stood_before(session: Session, revision: Revision, fields: tuple[str, ...]) -> Edit:
    """The claim's `fields` as they were right before `revision`'s version: each one as the
    first change to it since (in that version or later) found it; one never changed since, as
    it is now. (The history read backwards needs no record of the claim's creation, which a
    bulk-copied claim lacks.)"""
    changes = session.execute(
        select(Revision.field, Revision.old_value)
        .where(
            Revision.claim_id == revision.claim_id,
            Revision.version >= revision.version,
            Revision.field.in_(fields),
        )
        .order_by(Revision.version.desc(), Revision.id.desc())
    )
    found: Edit = dict(changes.all())  # read last: the earliest change of each field
    current = snapshot(claim_for_edit(session, revision.claim_id))
    return {field: found[field] if field in found else current[field] for field in fields}


def _actor_merged(revision: Revision) -> Message | None:
    """Why a merge of actors (app/services/actors.py) cannot be reverted: the merged actor is
    deleted, and its address now leads to the one it was merged into."""
    note = as_written(revision.note or "")
    if getattr(note, "template", None) != ACTOR_MERGED.template:
        return None
    assert isinstance(note, Message)
    return N_(
        "the actor %(source)s was merged into %(target)s: it cannot be put back",
        source=note.params["source"],
        target=note.params["target"],
    )


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
