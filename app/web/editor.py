"""Editors: the review queue, editing claims in place, new claims from a selection, revision
history and revert, actors, the extractor's report card, and importing articles.

Every route needs an editor's session; every POST also needs the CSRF token. An htmx request
gets back the fragment it swaps (named by HX-Target); a plain form post is redirected after a
save, or shown the page again with the messages beside the fields.
"""

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.errors import Conflict, FieldsInvalid, Invalid, NotFound
from app.extract.rawtext import storable
from app.ingest.export import registry_aliases
from app.messages import N_, as_written
from app.models import Claim, Revision
from app.models.editor import RejectReason
from app.models.vocab import ActorKind, ClaimStatus, MilitaryBase, Precision, Stance
from app.queries import editor as queries
from app.queries.corrections import LABELS
from app.queries.quality import report_card
from app.queries.revisions import claim_revisions
from app.services import actors as actor_service
from app.services import article_import, claim_create
from app.services.claim_create import REQUIRED
from app.services.claim_edits import (
    EditConflict,
    apply_edit,
    one_of,
    parse_edit,
    snapshot,
)
from app.services.claim_revert import can_revert, revert
from app.web import article_text
from app.web.deps import CsrfChecked, CurrentEditor, ReadSession, WriteSession
from app.web.htmx import htmx_target, is_htmx, page_of
from app.web.i18n import REASON_NAMES, gettext, translate, translate_all, translate_error
from app.web.templating import render

router = APIRouter()

FormFields = dict[str, list[str]]

VOCAB = {
    "stances": [s.value for s in Stance],
    "bases": [b.value for b in MilitaryBase],
    "precisions": [p.value for p in Precision],
    "statuses": [s.value for s in ClaimStatus],
    "kinds": [k.value for k in ActorKind],
    "reasons": list(REASON_NAMES),
}

FIELD_LABELS = LABELS | {
    "*": N_("Created"),
    "speaker": N_("Speaker"),
    "speaker_name": N_("Name as the article writes it"),
    "start": N_("Quote start"),
    "end": N_("Quote end"),
    "stated_on_precision": N_("Date precision"),
    "summary_machine": N_("Machine summary"),
    "tags": N_("Tags"),
    "note": N_("Editor's note"),
    "status": N_("Status"),
    "reason": N_("Reason"),
    "extractor": N_("Extractor"),
    "merged_into_id": N_("Merged into claim"),
}
"""A claim's fields as the history and the conflict notice name them, in the words of the
public corrections log (app/queries/corrections.py) where it names them too."""


def field_label(field: str) -> str:
    """`summary_en` → English summary (الملخص بالإنجليزية); an unknown field as it is."""
    label = FIELD_LABELS.get(field)
    return gettext(label) if label else field


async def form_fields(request: Request) -> FormFields:
    """The posted form as lists of strings (files left out), for the sync routes below. Without
    NUL (`storable`): text copied from a PDF brings it, invisible, and PostgreSQL cannot store it;
    a claim's save was answered with the database's error page, in the editor's place."""
    # As FastAPI's own parsing of a route's form (create_app's form_limits): a field may be as
    # large as the request, or a long paste is refused whole with a bare 400.
    form = await request.form(max_part_size=request.app.state.settings.max_request_bytes)
    return {key: [storable(v) for v in form.getlist(key) if isinstance(v, str)] for key in form}


Posted = Annotated[FormFields, Depends(form_fields)]


# The review queue ------------------------------------------------------------------------------


@router.get("/review", name="review")
def review_page(
    request: Request,
    session: ReadSession,
    editor: CurrentEditor,
    filters: Annotated[queries.QueueFilters, Query()],
    imported: Annotated[
        str | None, Query(description="the key of an article just imported")
    ] = None,
) -> Response:
    queue = queries.review_queue(session, filters)
    block = _block(request, "queue", "left")
    context = {
        "queue": queue,
        "filters": filters,
        "contexts": {c.id: article_text.paragraph_of(c) for c in queue.claims},
        **VOCAB,
    }
    if block is None:  # the filters' choices are outside both blocks
        context["choices"] = queries.queue_choices(session)
        context["imported"] = queries.imported_article(session, imported) if imported else None
    # A narrowed list brings its count along, swapped out of band over the page's.
    context["count_too"] = block == "queue"
    return render(request, "editor/queue.html", context, block=block)


def _block(request: Request, *names: str) -> str | None:
    target = htmx_target(request)
    return target if target in names else None


@router.get("/review/quality", name="review_quality")
def quality_page(request: Request, session: ReadSession, editor: CurrentEditor) -> Response:
    return render(request, "editor/quality.html", {"card": report_card(session)})


@router.get("/review/speakers")
def speaker_options(
    request: Request, session: ReadSession, editor: CurrentEditor, q: str = ""
) -> Response:
    """Type-ahead for the speaker field: actors whose names or aliases match."""
    context = {"actors": queries.suggest_actors(session, q[:100]), "q": q}
    return render(request, "editor/_speaker_options.html", context)


@router.get("/review/tags")
def tag_options(
    request: Request, session: ReadSession, editor: CurrentEditor, tags: str = ""
) -> Response:
    context = {"tags": queries.suggest_tags(session, tags[:100])}
    return render(request, "editor/_tag_options.html", context)


# Editing a claim -------------------------------------------------------------------------------


@router.get("/claims/{claim_id}/edit", name="edit_claim")
def edit_page(
    request: Request, session: ReadSession, editor: CurrentEditor, claim_id: int
) -> Response:
    return _claim_response(request, session, queries.claim_for_edit(session, claim_id))


@router.post("/claims/{claim_id}/edit")
def save_claim(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    claim_id: int,
    form: Posted,
) -> Response:
    refusable = session.begin_nested()  # a refused save leaves nothing, a new actor included
    try:
        base_version = _version(form)
        edit = parse_edit(_with_new_speaker(session, form))
        result = apply_edit(
            session,
            claim_id,
            edit,
            editor=editor,
            base_version=base_version,
            reason=_reason(form),
        )
    except FieldsInvalid as invalid:
        refusable.rollback()
        claim = queries.claim_for_edit(session, claim_id)
        return _claim_response(request, session, claim, errors=invalid.errors, values=form)
    if isinstance(result, EditConflict):
        refusable.rollback()
        response = _claim_response(request, session, result.claim, conflict=result, values=form)
        # Someone else's save: it may have taken the claim out of the queue, whose count follows.
        response.headers["HX-Trigger"] = json.dumps({"claim-changed": {"id": claim_id}})
        return response
    refusable.commit()
    if not is_htmx(request):
        return RedirectResponse(_after_plain_save(session, result, form), status_code=303)
    response = _claim_response(request, session, result)
    response.headers["HX-Trigger"] = json.dumps({"claim-saved": {"id": claim_id}})
    return response


def _after_plain_save(session: WriteSession, claim: Claim, form: FormFields) -> str:
    """Where a save from a plain form (no JavaScript) leads: a decision made in the review queue
    (its forms name the queue's filters in `queue`) back there, at the claim that comes next;
    anything else to the claim's editor, to see the change."""
    if "queue" not in form:
        return f"/claims/{claim.id}/edit"
    filters = queries.QueueFilters.model_validate(dict(parse_qsl(form["queue"][-1])))
    narrowed = urlencode(filters.active())
    queue = f"/review?{narrowed}" if narrowed else "/review"
    following = queries.next_in_queue(session, filters, claim)
    return f"{queue}#queue-item-{following}" if following else queue


def _version(form: FormFields) -> int:
    value = (form.get("version") or [""])[-1]
    if not value.isdecimal():
        raise FieldsInvalid({"version": N_("the form has no version: reload the page")})
    return int(value)


def _reason(form: FormFields) -> RejectReason | None:
    value = (form.get("reason") or [""])[-1]
    if not value:
        return None
    if value not in VOCAB["reasons"]:
        raise FieldsInvalid({"reason": one_of(VOCAB["reasons"])})
    return RejectReason(value)


def _with_new_speaker(session: WriteSession, form: FormFields) -> FormFields:
    """`speaker=new`: make the actor described by the `new_*` fields, then pick it."""
    if form.get("speaker") != ["new"]:
        return form
    actor = actor_service.create_actor(
        session,
        name_en=(form.get("new_name_en") or [""])[-1],
        name_ar=(form.get("new_name_ar") or [""])[-1],
        kind=(form.get("new_kind") or [""])[-1],
    )
    return form | {"speaker": [actor.slug]}


def _claim_response(
    request: Request,
    session: ReadSession | WriteSession,
    claim: Claim,
    *,
    errors: dict[str, str] | None = None,
    values: FormFields | None = None,
    conflict: EditConflict | None = None,
) -> Response:
    """The editor for `claim`, as the fragment htmx targets or as a page of its own."""
    status = 409 if conflict else 422 if errors else 200
    target = htmx_target(request) or f"editor-{claim.id}"
    context: dict[str, Any] = {
        "claim": claim,
        "record": snapshot(claim),
        "errors": translate_all(errors or {}),
        # Refused as invalid, the fields keep what the editor typed; refused as stale, they show
        # the claim as saved now, and the editor's own values wait in the notice (`mine`).
        "values": values if errors else {},
        "mine": values if conflict else {},
        "conflict": conflict,
        "decided_by": _decided_by(conflict),
        "target": target,
        "field_label": field_label,
        **VOCAB,
    }
    if target.startswith("queue-item-"):
        context["context_text"] = article_text.paragraph_of(claim)
        context["editing"] = True
        return render(request, "editor/_queue_item.html", context, status_code=status)
    if is_htmx(request):
        return render(request, "editor/_editor.html", context, status_code=status)
    context["text"] = article_text.whole_text_of(session, claim.article)
    return render(request, "editor/claim.html", context, status_code=status)


def _decided_by(conflict: EditConflict | None) -> Revision | None:
    """The revision that decided the claim (approved or rejected it) since the editor looked."""
    if conflict is None:
        return None
    decisions = [r for r in conflict.changes if r.field == "status"]
    return decisions[-1] if decisions else None


@router.get("/claims/{claim_id}/edit/closed")
def closed_editor(request: Request, editor: CurrentEditor, claim_id: int) -> Response:
    """An empty editor slot: what "Close" swaps in below a claim. On the editor's own page
    (or opened as a page) nothing would be left: Close leads to the claim instead."""
    claim_page = f"/claims/{claim_id}"
    if not is_htmx(request):
        return RedirectResponse(claim_page, 303)
    if (page_of(request) or "").partition("?")[0] == f"/claims/{claim_id}/edit":
        return Response(status_code=204, headers={"HX-Redirect": claim_page})
    return render(request, "editor/_editor_slot.html", {"claim_id": claim_id})


# History ---------------------------------------------------------------------------------------


@router.get("/claims/{claim_id}/history", name="claim_history")
def history_page(
    request: Request, session: ReadSession, editor: CurrentEditor, claim_id: int
) -> Response:
    return _history(request, session, claim_id)


@router.post("/claims/{claim_id}/history/{revision_id}/revert")
def revert_revision(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    claim_id: int,
    revision_id: int,
    version: Annotated[int, Form()],
) -> Response:
    try:
        result = revert(session, claim_id, revision_id, editor=editor, base_version=version)
    except FieldsInvalid as invalid:
        return _history(request, session, claim_id, message=translate_error(invalid), status=422)
    if isinstance(result, EditConflict):
        message = gettext(
            "Someone saved this claim since you opened its history: look again, then revert."
        )
        return _history(request, session, claim_id, message=message, status=409)
    if not is_htmx(request):
        return RedirectResponse(f"/claims/{claim_id}/history", status_code=303)
    return _history(request, session, claim_id)


def _history(
    request: Request,
    session: ReadSession | WriteSession,
    claim_id: int,
    *,
    message: str | None = None,
    status: int = 200,
) -> Response:
    claim = queries.claim_for_edit(session, claim_id)
    context = {
        "claim": claim,
        "revisions": claim_revisions(session, claim_id),
        "message": message,
        "field_label": field_label,
        "can_revert": can_revert,
        "revision_note": lambda note: translate(as_written(note)),
    }
    return render(request, "editor/history.html", context, block="history", status_code=status)


# New claims from a selection --------------------------------------------------------------------


@router.get("/articles/{key}/claims/new", name="new_claim")
def new_claim_page(
    request: Request,
    session: ReadSession,
    editor: CurrentEditor,
    key: str,
    start: int | None = None,
    end: int | None = None,
) -> Response:
    article = queries.article_by_key(session, key)
    values = {
        name: ["" if at is None else str(at)] for name, at in (("start", start), ("end", end))
    }
    return _new_claim(request, session, article, values=values)


@router.post("/articles/{key}/claims")
def create_claim(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    key: str,
    form: Posted,
) -> Response:
    article = queries.article_by_key(session, key)
    try:
        with session.begin_nested():  # a refused claim leaves no new actor behind either
            edit = parse_edit(_with_new_speaker(session, form))
            claim = claim_create.add_claim_from_selection(session, article.id, edit, editor=editor)
    except FieldsInvalid as invalid:
        # Every missing field at once: the service names what is missing only once the rest
        # parses, so a form with two problems would be refused twice. What is missing is said
        # as what to do ("choose the stance"); the quote's two ends, once.
        missing = _missing(form)
        errors = invalid.errors | missing
        if "start" in missing:
            errors.pop("end", None)
        return _new_claim(request, session, article, values=form, errors=errors)
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": f"/claims/{claim.id}/edit"})
    return RedirectResponse(f"/claims/{claim.id}/edit", status_code=303)


def _missing(form: FormFields) -> dict[str, str]:
    """The fields a new claim needs that the form leaves empty, with what to do about each."""
    return {
        field: message
        for field, message in REQUIRED.items()
        if not any(value.strip() for value in form.get(field, []))
    }


def _new_claim(
    request: Request,
    session: ReadSession | WriteSession,
    article: Any,
    *,
    values: FormFields,
    errors: dict[str, str] | None = None,
) -> Response:
    speaker = (values.get("speaker") or [""])[-1]
    picked = queries.actor_by_slug(session, speaker) if speaker and speaker != "new" else None
    context = {
        "article": article,
        "text": article_text.whole_text_of(session, article),
        "values": values,
        "picked": [picked] if picked else [],
        "errors": translate_all(errors or {}),
        **VOCAB,
    }
    status = 422 if errors else 200
    return render(request, "editor/new_claim.html", context, block="new_claim", status_code=status)


# Actors ----------------------------------------------------------------------------------------


@router.get("/actors/{slug}/edit", name="edit_actor")
def actor_page(
    request: Request, session: ReadSession, editor: CurrentEditor, slug: str
) -> Response:
    actor = queries.actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(N_("no actor %(name)r", name=slug))
    if actor.slug != slug:
        return RedirectResponse(f"/actors/{actor.slug}/edit", status_code=301)
    return _actor(request, session, actor.id)


@router.post("/actors/{slug}/edit")
def save_actor(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    slug: str,
    form: Posted,
) -> Response:
    actor = _actor_at(session, slug, lock=True)
    values = _singles(form)
    try:
        actor_service.edit_actor(
            session, actor, values, aliases=form.get("aliases", []), seen=values.get("seen", "")
        )
    except FieldsInvalid as invalid:
        return _actor(request, session, actor.id, errors=invalid.errors, values=form)
    except Conflict as conflict:  # the form again, with what is saved now
        return _actor(request, session, actor.id, errors={"form": conflict.message}, status=409)
    return RedirectResponse(f"/actors/{actor.slug}/edit", status_code=303)


@router.post("/actors/{slug}/merge")
def merge_actor(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    slug: str,
    into: Annotated[str, Form()],
) -> Response:
    actor = _actor_at(session, slug)
    survivor = queries.actor_by_slug(session, into.strip())
    if survivor is None:
        return _actor(
            request,
            session,
            actor.id,
            errors={"into": N_("no actor %(name)r", name=into)},
            values={"into": [into]},
        )
    try:
        actor_service.merge_actors(session, actor, survivor, editor=editor)
    except Invalid as invalid:  # on the actor the address leads to now: another, if merged since
        now = queries.actor_by_slug(session, slug)
        return _actor(request, session, (now or actor).id, errors={"into": invalid.message})
    return RedirectResponse(f"/actors/{survivor.slug}/edit", status_code=303)


def _actor_at(session: WriteSession, slug: str, *, lock: bool = False) -> Any:
    actor = queries.actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(N_("no actor %(name)r", name=slug))
    return queries.actor_for_edit(session, actor.id, lock=lock)


def _singles(form: FormFields) -> dict[str, str]:
    return {key: values[-1] for key, values in form.items() if values}


def _actor(
    request: Request,
    session: ReadSession | WriteSession,
    actor_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: FormFields | None = None,
    status: int = 422,
) -> Response:
    actor = queries.actor_for_edit(session, actor_id)
    context = {
        "actor": actor,
        "aliases": registry_aliases(actor),
        "claims": queries.claim_count_by_speaker(session, actor_id),
        "added_by": queries.actor_added_by(session, actor) if actor.needs_review else None,
        "errors": translate_all(errors or {}),
        "values": values or {},
        **VOCAB,
    }
    return render(request, "editor/actor.html", context, status_code=status if errors else 200)


# Import ----------------------------------------------------------------------------------------


@router.get("/import", name="import_article")
def import_page(request: Request, editor: CurrentEditor) -> Response:
    return render(request, "editor/import.html", {"values": {}, "errors": {}})


@router.post("/import")
def import_article(
    request: Request,
    session: WriteSession,
    editor: CurrentEditor,
    _: CsrfChecked,
    form: Posted,
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    name = upload.filename if upload is not None else None
    content = upload.file.read() if upload is not None and name else None
    try:
        form_in = article_import.ImportForm.from_form(
            _singles(form), upload=content, upload_name=name or ""
        )
        result = article_import.import_article(session, form_in)
    except FieldsInvalid as invalid:
        errors = invalid.errors
        if content is not None:  # a browser never fills a file field in again: say so beside it
            errors = {"upload": N_("choose the file again: a refused form cannot keep it")} | errors
        context = {"values": _singles(form), "errors": translate_all(errors)}
        return render(request, "editor/import.html", context, status_code=422)
    # Its own proposals: the outlet's older ones, first in the queue, may fill the page.
    where = urlencode({"article": result.key, "imported": result.key})
    return RedirectResponse(f"/review?{where}", status_code=303)
