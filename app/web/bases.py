"""Analysts: a base's page: what was said about Hmeimim or Tartus, over time."""

from functools import partial

from fastapi import APIRouter, HTTPException, Request
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.messages import N_
from app.models.vocab import MilitaryBase
from app.queries.filters import Selection
from app.queries.timeline import last_change
from app.web.caching import Kept, served_by_archive_state
from app.web.deps import ReadSession
from app.web.templating import kept_fragment, render
from app.web.timeline import (
    TimelineQuery,
    chart_months,
    drawn_chart,
    is_editor,
    timeline_context,
)

router = APIRouter()

_charts = Kept[Markup](8 * 2**20, weigh=len)
"""Bases' charts as drawn, until a claim changes: a decade of months is some 2,300 bars, over
half the page's cost when drawn for every request."""


@router.get("/bases/{base}", name="base")
async def base_page(request: Request, session: ReadSession, base: str) -> Response:
    build = partial(_base_page, request, session, base)
    counted = request.app.state.background_counts.version  # its chart may be waiting for it
    return await served_by_archive_state(request, build, counted, editor=is_editor(request))


def _base_page(request: Request, session: Session, base: str) -> Response:
    if base not in {b.value for b in MilitaryBase}:
        raise HTTPException(
            404, N_("%(base)r is not a base basewatch follows (hmeimim, tartus).", base=base)
        )
    parsed = TimelineQuery(Selection(base=[base]), None, is_editor(request), {})
    context = timeline_context(session, parsed)
    scope, changed = context["scope"], last_change(session)
    months, counting = chart_months(request, session, scope, parsed.editor, changed)
    context["chart_figure"] = kept_fragment(
        _charts,
        (scope.key, parsed.editor, changed, counting),
        "timeline/_chart.html",
        lambda: {
            "chart": drawn_chart(months, counting, scope.selection),
            "plain_links": True,
        },
    )
    context["chart_counting"] = counting
    context["base"] = base
    return render(request, "bases/page.html", context)
