"""An editor's change to a claim: checked field by field, refused when someone saved first, and
written to the revision history in the loader's record vocabulary (app/ingest/records.py).

Form fields are named as in the annotated-article format; `start`/`end` set the quote span (the
quote is the article's text between them), `note` is the editor's private note.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.errors import FieldsInvalid
from app.ingest.load import TagCache
from app.ingest.records import COLUMNS, Record, changed_fields, record_of
from app.ingest.schema import (
    KNOWN_SIDES,
    NAME_MAX_LENGTH,
    date_problem,
    stated_after_published,
)
from app.messages import N_, PRECISION_NAMES
from app.models import Actor, Article, Claim, Revision, User
from app.models.editor import RejectReason
from app.models.vocab import ChangeSource, ClaimStatus, MilitaryBase, Precision, Stance
from app.queries.editor import actor_by_slug, claim_for_edit
from app.services import corroboration, review
from app.services.search_index import index_article

Edit = dict[str, Any]
"""Record field → new value, already parsed: what `parse_edit` returns and `apply_edit` takes."""

EDITABLE = (
    "speaker",
    "speaker_name",
    "role",
    "affiliation",
    "stance",
    "bases",
    "stated_on",
    "stated_on_precision",
    "direct",
    "via",
    "start",
    "end",
    "summary_en",
    "tags",
    "note",
    "status",
)
TOGETHER = (("start", "end"), ("stated_on", "stated_on_precision"))
"""Fields that only make sense as a pair: a form sends both or neither."""
MAX_TEXT = 2000
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
TWO_LETTER_SIDE = N_("a country's two-letter code such as RU, SY or US, or UN or EU, or nothing")
NEEDED = {"day": N_("a day needs a full date"), "month": N_("a month needs year and month")}
"""What a date written too briefly for its precision lacks (a year needs only the year)."""


def one_of(values: Iterable[str]) -> str:
    return N_("choose one of %(choices)s", choices=", ".join(values))


def too_long(limit: int) -> str:
    return N_("keep it under %(limit)d characters", limit=limit)


def no_actor(slug: str) -> str:
    return N_("no actor %(name)r: pick one from the list", name=slug)


def editor_revision(
    claim: Claim, editor: User, field: str, new: Any, *, old: Any = None, note: str | None = None
) -> Revision:
    """An editor's change to one field, recorded at the claim's version after it, and dated as
    the claim is (flush first): a version's page dates it so whether it is current or past."""
    return Revision(
        claim_id=claim.id,
        version=claim.version,
        at=claim.updated_at,
        source=ChangeSource.EDITOR,
        user_id=editor.id,
        field=field,
        old_value=old,
        new_value=new,
        note=note,
    )


@dataclass(frozen=True)
class EditConflict:
    """Someone saved the claim after `base_version`: the claim as it is now, and their changes."""

    claim: Claim
    changes: list[Revision]


# Parsing: form strings → typed values, one message per field ------------------------------------


def parse_edit(form: Mapping[str, Sequence[str]]) -> Edit:
    """The edit a form carries. `fields` names what the form edits (so that an unticked box or an
    emptied list still counts); without it, every editable field present is edited."""
    named = [f for value in form.get("fields", []) for f in value.split()]
    fields = [f for f in EDITABLE if f in (named or form)]
    unknown = sorted(set(named) - set(EDITABLE))
    errors: dict[str, str] = dict.fromkeys(unknown, N_("not a field a claim has"))
    for pair in TOGETHER:
        if any(f in fields for f in pair) and not all(f in fields for f in pair):
            errors[pair[0]] = N_(
                "send %(first)s and %(second)s together", first=pair[0], second=pair[1]
            )
    edit: Edit = {}
    for field in fields:
        try:
            edit[field] = PARSERS[field](list(form.get(field, [])))
        except ValueError as error:
            errors[field] = error.args[0]  # the Message itself: str() would lose its template
    if "stated_on" in edit and "stated_on_precision" in edit and "stated_on" not in errors:
        try:
            edit["stated_on"] = _date_to_precision(edit["stated_on"], edit["stated_on_precision"])
        except ValueError as error:
            errors["stated_on"] = error.args[0]
    if "start" in edit and "end" in edit and edit["end"] <= edit["start"]:
        errors["start"] = N_("the quote must end after it starts")
    if errors:
        raise FieldsInvalid(errors)
    return edit


def _one(values: list[str]) -> str:
    return values[-1].strip() if values else ""


def _text(values: list[str], *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = _one(values)
    if required and not value:
        raise ValueError(N_("cannot be empty"))
    if len(value) > limit:
        raise ValueError(too_long(limit))
    return value


def _choice(values: list[str], allowed: type[StrEnum]) -> str:
    value = _one(values)
    if value not in {a.value for a in allowed}:
        raise ValueError(one_of(a.value for a in allowed))
    return value


def _bases(values: list[str]) -> list[str]:
    chosen = {v.strip() for v in values if v.strip()}
    known = [base.value for base in MilitaryBase]
    if chosen - set(known):
        raise ValueError(N_("bases are %(first)s and %(second)s", first=known[0], second=known[1]))
    return [base for base in known if base in chosen]


def _names(values: list[str]) -> list[str]:
    names = [v.strip() for v in values if v.strip()]
    if any(len(name) > NAME_MAX_LENGTH for name in names):
        raise ValueError(N_("keep each name under %(most)d characters", most=NAME_MAX_LENGTH))
    return list(dict.fromkeys(names))


def _offset(values: list[str]) -> int:
    if not _one(values):
        raise ValueError(N_("select the quote's words in the text first"))
    try:
        value = int(_one(values))
    except ValueError:
        raise ValueError(N_("must be a character offset (a whole number)")) from None
    if value < 0:
        raise ValueError(N_("must not be negative"))
    return value


def _flag(values: list[str]) -> bool:
    value = _one(values).lower()
    if value not in ("true", "false", "on", ""):
        raise ValueError(N_("must be true or false"))
    return value in ("true", "on")


def side_code(typed: str) -> str | None:
    """A side as an editor types it (`ru` is RU), for a claim or an actor; None if left empty."""
    value = typed.strip()
    value = value.upper() if value.isascii() else value  # "ß".upper() is "SS", South Sudan
    if value and value not in KNOWN_SIDES:
        raise ValueError(TWO_LETTER_SIDE)
    return value or None


def _partial_date(values: list[str]) -> str | None:
    value = _one(values)
    if value and not PARTIAL_DATE.match(value):
        raise ValueError(N_("write the date as 2025-02-12, 2025-02 or 2025"))
    return value or None


def typed_date(typed: str, precision: str) -> str | None:
    """A date an editor typed, to `precision`, as stored (ISO); None for an unknown one. The one
    rule, and the one set of messages (in ValueError), for a date typed in any form."""
    return _date_to_precision(_partial_date([typed]), precision)


def _date_to_precision(value: str | None, precision: str) -> str | None:
    """`2025-02` with `month` → `2025-02-01`: a month or year is stored as its first day."""
    if precision == Precision.UNKNOWN:
        if value:
            raise ValueError(N_("leave the date empty when it is unknown"))
        return None
    if not value:
        raise ValueError(
            N_(
                "give the date, or set the precision to unknown (not %(precision)s)",
                precision=PRECISION_NAMES.get(precision, precision),
            )
        )
    match = PARTIAL_DATE.match(value)
    assert match is not None
    year, month, day = match.groups()
    needed = {"day": (month, day), "month": (month,), "year": ()}[precision]
    if not all(needed):
        raise ValueError(NEEDED[precision])
    try:
        parsed = date(int(year), int(month or 1), int(day or 1) if precision == "day" else 1)
    except ValueError:
        raise ValueError(N_("%(date)s is not a day of the calendar", date=value)) from None
    if precision == Precision.YEAR:
        parsed = parsed.replace(month=1)
    if problem := date_problem(parsed):
        raise ValueError(problem)
    return parsed.isoformat()


PARSERS: dict[str, Callable[[list[str]], Any]] = {
    "speaker": lambda v: _text(v, required=True, limit=120),
    "speaker_name": lambda v: _text(v, required=True, limit=300),
    "role": lambda v: _text(v, limit=300) or None,
    "affiliation": lambda v: side_code(_one(v)),
    "stance": lambda v: _choice(v, Stance),
    "bases": _bases,
    "stated_on": _partial_date,
    "stated_on_precision": lambda v: _choice(v, Precision),
    "direct": _flag,
    "via": _names,
    "start": _offset,
    "end": _offset,
    "summary_en": _text,
    "tags": lambda v: sorted(_names(v)),
    "note": lambda v: _text(v) or None,
    "status": lambda v: _choice(v, ClaimStatus),
}


# Applying ------------------------------------------------------------------------------------


def snapshot(claim: Claim) -> Record:
    """The claim's record plus the editor's note: every field an edit can change."""
    return record_of(claim) | {"note": claim.note}


def apply_edit(
    session: Session,
    claim_id: int,
    edit: Edit,
    *,
    editor: User,
    base_version: int,
    reason: RejectReason | None = None,
    note: str | None = None,
    follow_speaker: bool = True,
) -> Claim | EditConflict:
    """Apply `edit` to the claim as the editor saw it at `base_version`.

    Returns the saved claim, or an EditConflict when someone saved since (checked here, and again
    by the version column at write time). Raises FieldsInvalid for a value the claim cannot take.
    `reason` says why an extracted claim is rejected; `note` annotates the revisions (a revert).
    A new speaker brings their name, role and side unless the edit changes them, or
    `follow_speaker` is False (a merge: the same speaker under another entry).
    """
    claim = claim_for_edit(session, claim_id)
    if claim.version != base_version:
        return edit_conflict(session, claim_id, base_version)
    old = snapshot(claim)
    new = old | _resolve(session, claim, edit, follow_speaker=follow_speaker)
    fields = [f for f in changed_fields(old, new) if f in edit or f in _DERIVED]
    if not fields:
        return claim
    if new["status"] == ClaimStatus.REJECTED and old["status"] == ClaimStatus.EXTRACTED:
        if reason is None:
            raise FieldsInvalid({"reason": N_("say why the extractor's claim is rejected")})
    try:
        with session.begin_nested():  # a lost race rolls back to here, leaving the session usable
            _write(session, claim, old, new, fields, editor=editor, note=note)
    except StaleDataError:
        return edit_conflict(session, claim_id, base_version)
    except IntegrityError as error:
        raise FieldsInvalid({_field_of(error): _message_of(error)}) from None
    if "speaker" in fields and follow_speaker:
        corroboration.change_of_speaker(session, claim_id)
    saved = claim_for_edit(session, claim_id)
    if review.is_verdict(session, claim_id, old["status"], new["status"]):
        review.record_decision(session, saved, editor=editor, reason=reason)
    return saved


_DERIVED = ("quote", "speaker_name", "role", "affiliation", "summary_machine")
"""Fields an edit of another field changes too: the quote follows the span, the speaker's
name as written, role and side follow the speaker, and a rewritten summary is no longer the
machine's."""


def _resolve(session: Session, claim: Claim, edit: Edit, *, follow_speaker: bool) -> Edit:
    """Check the edit against the database; fill in what follows from it."""
    resolved = dict(edit)
    if claim.merged_into_id is not None and edit.get("status", claim.status) != claim.status:
        # Live again but still pointing at another claim: its page would say both.
        raise FieldsInvalid(
            {
                "status": N_(
                    "this claim is merged into claim %(target)d: undo the merge in its history",
                    target=claim.merged_into_id,
                )
            }
        )
    if "speaker" in edit:
        actor = actor_by_slug(session, edit["speaker"])
        if actor is None:
            raise FieldsInvalid({"speaker": no_actor(edit["speaker"])})
        resolved["speaker"] = actor.slug
        if actor.id != claim.speaker_id and follow_speaker:
            # What the editor left as it was belonged to the old speaker: take the new one's.
            given = {"speaker_name": claim.speaker_name, "role": claim.speaker_role}
            given["affiliation"] = claim.speaker_affiliation
            new = {"speaker_name": _name_in(session, claim, actor), "role": actor.role}
            new["affiliation"] = actor.affiliation
            for field, old in given.items():
                if resolved.get(field, old) == old:
                    resolved[field] = new[field]
    if "start" in edit:
        resolved.update(span_of(session, claim.article_id, edit["start"], edit["end"]))
        refuse_quoted(session, claim.article_id, resolved, besides=claim.id)
    if "summary_en" in edit and edit["summary_en"] != claim.summary_en:
        # The editor's words now, not the extractor's; a revert says whose words it puts back.
        resolved.setdefault("summary_machine", False)
    if edit.get("stated_on"):
        published = session.scalar(
            select(Article.published_on).where(Article.id == claim.article_id)
        )
        if problem := stated_after_published(date.fromisoformat(edit["stated_on"]), published):
            raise FieldsInvalid({"stated_on": problem})
    return resolved


def _name_in(session: Session, claim: Claim, actor: Actor) -> str:
    language = session.scalar(select(Article.language).where(Article.id == claim.article_id))
    return actor.name_ar if language == "ar" else actor.name_en


def refuse_quoted(session: Session, article_id: int, span: Edit, *, besides: int = 0) -> None:
    """Refuse words another claim of the article quotes exactly, withdrawn ones too: an
    article's file holds one claim per words and speaker (the loader pairs claims by their
    words), and a backup writes every claim to that file. A withdrawn claim is put back from
    its history instead."""
    taken = session.execute(
        select(Claim.id, Claim.status).where(
            Claim.article_id == article_id,
            Claim.span_start == span["start"],
            Claim.span_end == span["end"],
            Claim.id != besides,
        )
    ).first()
    if taken is None:
        return
    if taken.status == ClaimStatus.REJECTED:
        message = N_(
            "claim %(claim)d, withdrawn, quotes exactly these words: put it back from its history",
            claim=taken.id,
        )
    else:
        message = N_("claim %(claim)d already quotes exactly these words", claim=taken.id)
    raise FieldsInvalid({"start": message})


def span_of(session: Session, article_id: int, start: int, end: int) -> Edit:
    """The span trimmed of surrounding spaces, and its quote."""
    body = session.scalar(select(Article.text).where(Article.id == article_id)) or ""
    if end > len(body):
        raise FieldsInvalid(
            {
                "start": N_(
                    "the article has only %(length)d characters (end %(end)d)",
                    length=len(body),
                    end=end,
                )
            }
        )
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise FieldsInvalid({"start": N_("the selection holds only spaces")})
    return {"start": start, "end": end, "quote": body[start:end]}


def _write(
    session: Session,
    claim: Claim,
    old: Record,
    new: Record,
    fields: list[str],
    *,
    editor: User,
    note: str | None,
) -> None:
    # Look up everything first: a query after the first change would flush it as an UPDATE of its own.
    speaker = actor_by_slug(session, new["speaker"]) if "speaker" in fields else None
    speaker_id = speaker.id if speaker else claim.speaker_id
    tags = TagCache(session).get(new["tags"]) if "tags" in fields else []
    columns = {**COLUMNS, "note": "note"}
    for field in fields:
        if field in columns:
            value = new[field]
            if field == "stated_on" and value is not None:
                value = date.fromisoformat(value)
            setattr(claim, columns[field], value)
    if "speaker" in fields:
        claim.speaker_id = speaker_id
    if "tags" in fields:
        claim.tags = tags
    claim.updated_at = func.clock_timestamp()  # an UPDATE even for tags alone: the version moves
    session.flush()
    if "quote" in fields:  # search finds a claim by the words it quotes now
        index_article(session, claim.article_id)
    session.add_all(
        editor_revision(claim, editor, field, new[field], old=old.get(field), note=note)
        for field in fields
    )
    check_span_now(session)


def check_span_now(session: Session) -> None:
    """Run the database's span check now: deferred to commit, it would come too late for a 422."""
    session.flush()
    session.execute(text("SET CONSTRAINTS claims_span_matches IMMEDIATE"))
    session.execute(text("SET CONSTRAINTS claims_span_matches DEFERRED"))


def _field_of(error: IntegrityError) -> str:
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", "") or ""
    if "stated_on" in constraint:
        return "stated_on"
    if "span" in str(error.orig):
        return "start"
    return "claim"


def _message_of(error: IntegrityError) -> str:
    """What the editor reads: never the database's own words, which name its tables and checks."""
    field = _field_of(error)
    if field == "start":
        return N_("the span does not match the article's text")
    if field == "stated_on":
        return N_("the date does not fit its precision")
    return N_("the claim cannot take these values")


def edit_conflict(session: Session, claim_id: int, base_version: int) -> EditConflict:
    """The claim now, with the changes saved since `base_version`."""
    claim = claim_for_edit(session, claim_id)
    changes = list(
        session.scalars(
            select(Revision)
            .where(Revision.claim_id == claim_id, Revision.version > base_version)
            .options(selectinload(Revision.user))
            .order_by(Revision.id)
        )
    )
    return EditConflict(claim, changes)
