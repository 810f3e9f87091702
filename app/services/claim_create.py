"""A claim the extractor missed, added by an editor from a selection in the article's text."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid
from app.ingest.load import TagCache
from app.ingest.records import COLUMNS, Record
from app.ingest.schema import stated_after_published
from app.messages import N_
from app.models import Article, Claim, User
from app.models.revision import CREATED
from app.models.vocab import ChangeSource, ClaimStatus
from app.queries.editor import actor_by_slug, claim_for_edit
from app.services.claim_edits import (
    Edit,
    check_span_now,
    editor_revision,
    no_actor,
    refuse_quoted,
    span_of,
)
from app.services.search_index import index_article

REQUIRED: dict[str, str] = {
    "speaker": N_("pick the speaker"),
    "start": N_("select the quote in the text"),
    "stance": N_("choose the stance"),
    "stated_on_precision": N_("say when it was said, or that the date is unknown"),
}


def add_claim_from_selection(
    session: Session, article_id: int, edit: Edit, *, editor: User
) -> Claim:
    """A verified claim on `edit`'s span, made by `editor`, with its creation in the history."""
    missing = {field: message for field, message in REQUIRED.items() if field not in edit}
    if missing:
        raise FieldsInvalid(missing)
    actor = actor_by_slug(session, edit["speaker"])
    if actor is None:
        raise FieldsInvalid({"speaker": no_actor(edit["speaker"])})
    span = span_of(session, article_id, edit["start"], edit["end"])
    refuse_quoted(session, article_id, span)
    language, published = session.execute(
        select(Article.language, Article.published_on).where(Article.id == article_id)
    ).one()
    stated = date.fromisoformat(edit["stated_on"]) if edit.get("stated_on") else None
    if problem := stated_after_published(stated, published):
        raise FieldsInvalid({"stated_on": problem})
    record: Record = {
        "speaker": actor.slug,
        "speaker_name": edit.get("speaker_name")
        or (actor.name_ar if language == "ar" else actor.name_en),
        "role": edit.get("role", actor.role),
        "affiliation": edit.get("affiliation", actor.affiliation),
        "via": edit.get("via", []),
        **span,
        "direct": edit.get("direct", False),
        "stated_on": edit.get("stated_on"),
        "stated_on_precision": edit["stated_on_precision"],
        "bases": edit.get("bases", []),
        "stance": edit["stance"],
        "summary_en": edit.get("summary_en", ""),
        "summary_machine": False,
        "status": ClaimStatus.VERIFIED.value,
        "extractor": None,
        "tags": edit.get("tags", []),
    }
    columns = {column: record[field] for field, column in COLUMNS.items()} | {"stated_on": stated}
    claim = Claim(
        article_id=article_id,
        speaker_id=actor.id,
        origin=ChangeSource.EDITOR,
        note=edit.get("note"),
        tags=TagCache(session).get(record["tags"]),
        **columns,
    )
    session.add(claim)
    session.flush()
    index_article(session, article_id)  # found by its words, as the loader's claims are
    session.add(editor_revision(claim, editor, CREATED, record))
    check_span_now(session)
    return claim_for_edit(session, claim.id)
