"""Analysts: an actor's page (who, aliases, their claims in time, their stance over time) and the
speaker type-ahead's suggestions."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.ingest.export import registry_aliases
from app.messages import N_
from app.models import Actor
from app.queries.actors import actor_by_slug, actor_merged_from, search_actors
from app.queries.filters import Selection
from app.queries.shifts import stance_line
from app.queries.timeline import last_change
from app.web.caching import Kept, served_by_archive_state
from app.web.chart import stance_line_chart
from app.web.deps import ReadSession
from app.web.templating import kept_fragment, render
from app.web.timeline import TimelineQuery, is_editor, timeline_context
from app.web.urls import actor_url, keeping_query

router = APIRouter()

_lines = Kept[Markup](8 * 2**20, weigh=len)
"""Speakers' stance lines as drawn, until a claim or speaker changes: the chart of a speaker
with a decade of statements was half its page's cost (three queries, 350 dots)."""


@router.get("/actors/suggest", name="actor_suggestions")
def actor_suggestions(
    request: Request, session: ReadSession, speaker: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    """`<option>`s for the speaker box's datalist (whose field is named `speaker`)."""
    suggestions = search_actors(session, speaker)
    return render(request, "actors/_suggestions.html", {"suggestions": suggestions})


@router.get("/actors/{slug}", name="actor")
async def actor_page(request: Request, session: ReadSession, slug: str) -> Response:
    build = partial(_actor_page, request, session, slug)
    return await served_by_archive_state(request, build, editor=is_editor(request))


def _actor_page(request: Request, session: Session, slug: str) -> Response:
    actor = actor_by_slug(session, slug)
    if actor is None:
        return _former_address(request, session, slug)
    parsed = TimelineQuery(Selection(speaker=[actor.slug]), None, is_editor(request), {})
    context = timeline_context(session, parsed)
    context["actor"] = actor
    context["also_written"] = _also_written(actor)
    # A dot links to its claim's row when the page lists it (the newest claims only, and an
    # editor's list holds claims a reader's does not): the line is kept per list.
    listed = frozenset(entry.claim.id for entry in context["page"].entries)
    context["line"] = kept_fragment(
        _lines,
        (actor.id, last_change(session), listed),
        "actors/_line.html",
        lambda: {"line": stance_line_chart(stance_line(session, actor.id), actor, listed)},
    )
    return render(request, "actors/page.html", context)


def _also_written(actor: Actor) -> list[str]:
    """The names the heading does not show: the Russian one, then the registry's aliases. Not the
    titles that name the actor by office ("President of Russia"): no spelling of the name, and
    the role says it."""
    russian = [actor.name_ru] if actor.name_ru not in (None, actor.name_ar, actor.name_en) else []
    return russian + registry_aliases(actor)


def _former_address(request: Request, session: Session, slug: str) -> Response:
    """The address of an actor since merged into another redirects there for good; 404 if no
    actor ever had it."""
    merged_into = actor_merged_from(session, slug)
    if merged_into is None:
        raise HTTPException(404, N_("No speaker has the address %(slug)r.", slug=slug))
    address = keeping_query(actor_url(merged_into), request.url.query)
    return RedirectResponse(address, status_code=301)
