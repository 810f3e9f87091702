"""Analysts: the timeline at `/`, its filters, facet counts and chart, paged by keyset."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.models.vocab import ARTICLE_LANGUAGES, ClaimStatus, Stance
from app.queries.facets import CHART_BUDGET_MS, Facets, Value, facets, within_budget
from app.queries.filters import BASE_VALUES, NO_SIDE, Scope, Selection, resolve
from app.queries.positions import positions
from app.queries.timeline import Cursor, Entry, Page, timeline_page
from app.web.caching import REVALIDATE, Kept, etag, served
from app.web.chart import positions_chart, waiting_chart
from app.web.deps import LastChange, ReadSession, read_archive_state
from app.web.htmx import htmx_target
from app.web.i18n import current_language, format_month, gettext
from app.web.templating import SIDE_NAMES, render, stated_date

router = APIRouter()

FIELD_NAMES = {"from_": "from"}


@dataclass(frozen=True)
class TimelineQuery:
    """A timeline request, parsed: the selection, where to start, and who is asking."""

    selection: Selection
    after: Cursor | None
    editor: bool
    errors: dict[str, str]


def is_editor(request: Request) -> bool:
    """Signed-in editors (set by the sign-in middleware) see claims of every status."""
    return getattr(request.state, "user", None) is not None


def parse(request: Request) -> TimelineQuery:
    """The query string as a selection; each bad value gets a message under its field's name."""
    params = request.query_params
    raw: dict[str, Any] = {key: params.getlist(key) for key in params}
    for single in ("from", "to", "q", "shift", "firsthand"):
        if single in raw:
            raw[single] = raw[single][-1]
    errors: dict[str, str] = {}
    try:
        selection = Selection.model_validate(raw)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "query"
            errors[FIELD_NAMES.get(name, name)] = problem["msg"].removeprefix("Value error, ")
            raw.pop(FIELD_NAMES.get(name, name), None)
        selection = Selection.model_validate(raw)
    after = None
    if params.get("after"):
        try:
            after = Cursor.parse(params["after"])
        except ValueError:
            raise HTTPException(400, f"after: {params['after']!r} is not a page cursor") from None
    return TimelineQuery(selection, after, is_editor(request), errors)


def link(selection: Selection, **changes: Any) -> str:
    """This selection's address with `changes` (None removes a parameter)."""
    params = [(k, v) for k, v in selection.params(**changes)]
    return "/?" + urlencode(params) if params else "/"


def timeline_context(session: Session, parsed: TimelineQuery) -> dict[str, Any]:
    scope = resolve(session, parsed.selection, editor=parsed.editor)
    page = timeline_page(session, scope, after=parsed.after)
    return {
        "selection": parsed.selection,
        "scope": scope,
        "editor": parsed.editor,
        "errors": parsed.errors,
        "page": page,
        "rows": with_headings(page),
        "link": lambda **changes: link(parsed.selection, **changes),
    }


def overview(
    session: Session,
    scope: Scope,
    editor: bool,
    changed: datetime,
    parts: tuple[str, ...] = ("facets", "chart"),
) -> dict[str, Any]:
    """What sits above the list: the facet counts and the positions-over-time chart, each kept
    per selection until a claim changes (`changed`, the last change)."""
    key = (scope.key, editor, changed)
    found: dict[str, Any] = {"lazy": False}
    if "facets" in parts:
        counts = _overviews.get_or_compute(
            (*key, "facets"), lambda: facets(session, scope, editor=editor)
        )
        found |= facet_context(counts)
    if "chart" in parts:
        months = _overviews.get_or_compute(
            (*key, "chart"), lambda: within_budget(session, scope, positions, CHART_BUDGET_MS)
        )
        found["chart"] = positions_chart(months, scope.selection)
    return found


def facet_context(counts: Facets) -> dict[str, Any]:
    return {"facets": counts, "hand_counts": {v.value: v.count for v in counts["firsthand"] or []}}


def waiting_overview(editor: bool) -> dict[str, Any]:
    """The facets' values without counts and the chart's empty frame (the counts follow by
    htmx), so that the form works at once and nothing moves when they arrive."""
    values = {
        "stance": [v.value for v in Stance],
        "side": [*SIDE_NAMES, NO_SIDE],
        "base": BASE_VALUES,
        "speaker": [],
        "language": ARTICLE_LANGUAGES,
        "firsthand": [],
    }
    if editor:
        values["status"] = [v.value for v in ClaimStatus]
    waiting = {name: [Value(v, None) for v in vs] for name, vs in values.items()}
    return {"facets": waiting, "hand_counts": {}, "chart": waiting_chart(), "lazy": True}


@router.get("/", name="timeline")
async def timeline(request: Request, session: ReadSession) -> Response:
    """The list first: the facet counts and the chart follow (`timeline_overview`). A reader's
    page is validated by the archive's state, and one asked for again is sent again until a
    write commits (an editor's is personal, and made every time). On the event loop, so that
    a page sent again costs no thread: only building one goes to the threadpool."""
    parsed = parse(request)
    if parsed.editor:
        return await run_in_threadpool(_timeline, request, session, parsed)
    state = await read_archive_state(request)
    tag = etag(state, str(request.url.query), current_language(), htmx_target(request))
    return await served(request, tag, None, lambda: _timeline(request, session, parsed))


def _timeline(request: Request, session: Session, parsed: TimelineQuery) -> Response:
    context = timeline_context(session, parsed)
    status = 422 if parsed.errors else 200
    if htmx_target(request) == "more":
        return render(request, "timeline/_entries.html", context, status_code=status)
    context |= waiting_overview(parsed.editor)
    return render(request, "timeline/page.html", context, block="timeline", status_code=status)


@router.get("/timeline/overview", name="timeline_overview")
async def timeline_overview(
    request: Request, session: ReadSession, changed: LastChange
) -> Response:
    """The facet counts (HX-Target `facets`) or the chart (`chart`) for a selection, kept per
    selection until a claim changes; without htmx, the whole page with both in place. On the
    event loop, like the timeline: only counting and rendering go to the threadpool."""
    parsed = parse(request)
    part = htmx_target(request)
    tag = etag(str(request.url.query), current_language(), parsed.editor, changed, part)
    cache = "private, max-age=0, must-revalidate" if parsed.editor else REVALIDATE
    return await served(
        request,
        tag,
        changed,
        lambda: _overview(request, session, parsed, part, changed),
        cache_control=cache,
    )


def _overview(
    request: Request, session: Session, parsed: TimelineQuery, part: str | None, changed: datetime
) -> Response:
    scope = resolve(session, parsed.selection, editor=parsed.editor)
    parts = (part,) if part in ("facets", "chart") else ("facets", "chart")
    found = overview(session, scope, parsed.editor, changed, parts)
    if part in parts:
        context = {"selection": parsed.selection, "errors": parsed.errors, "editor": parsed.editor}
        return render(request, "timeline/page.html", context | found, block=part)
    return render(request, "timeline/page.html", timeline_context(session, parsed) | found)


_overviews: Kept[Any] = Kept(1024)
"""One computation per key (a selection, who sees it, the last change, the part). What a time
budget left out stays out until a claim changes: asking again would only spend the same budget
again."""


class Row(NamedTuple):
    """An entry with the headings that open before it (month, then day) when they change."""

    month: str | None
    day: str | None
    entry: Entry


def with_headings(page: Page) -> list[Row]:
    previous: tuple[Any, ...] = _month_key(page.after.stated_on, "day") if page.after else ()
    previous_day = (page.after.stated_on, "day") if page.after else None
    rows = []
    for entry in page.entries:
        claim = entry.claim
        month = _month_key(claim.stated_on, claim.stated_on_precision)
        day = (claim.stated_on, claim.stated_on_precision)
        rows.append(
            Row(
                _month_label(month) if month != previous else None,
                stated_date(claim.stated_on, claim.stated_on_precision)
                if day != previous_day and claim.stated_on_precision == "day"
                else None,
                entry,
            )
        )
        previous, previous_day = month, day
    return rows


def _month_key(value: date | None, precision: str) -> tuple[Any, ...]:
    if value is None or precision == "unknown":
        return ("unknown",)
    if precision == "year":
        return ("year", value.year)
    return ("month", value.year, value.month)


def _month_label(key: tuple[Any, ...]) -> str:
    if key[0] == "unknown":
        return gettext("Date unknown")
    if key[0] == "year":
        return str(key[1])
    return format_month(date(key[1], key[2], 1))
