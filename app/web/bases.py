"""Analysts: a base's page: what was said about Hmeimim or Tartus, over time."""

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from app.models.vocab import MilitaryBase
from app.queries.filters import Selection
from app.queries.timeline import last_change
from app.web.deps import ReadSession
from app.web.templating import render
from app.web.timeline import TimelineQuery, is_editor, overview, timeline_context

router = APIRouter()


@router.get("/bases/{base}", name="base")
def base_page(request: Request, session: ReadSession, base: str) -> Response:
    if base not in {b.value for b in MilitaryBase}:
        raise HTTPException(404, f"{base!r} is not a base basewatch follows (hmeimim, tartus).")
    parsed = TimelineQuery(Selection(base=[base]), None, is_editor(request), {})
    context = timeline_context(session, parsed)
    context |= overview(session, context["scope"], parsed.editor, last_change(session))
    context["base"] = base
    return render(request, "bases/page.html", context)
