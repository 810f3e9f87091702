"""Analysts: the timeline at `/`, its filters, facet counts and chart, paged by keyset."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import groupby
from typing import Annotated, Any, Generic, NamedTuple, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.messages import N_, Message
from app.models import Actor
from app.models.vocab import ARTICLE_LANGUAGES, ClaimStatus, Stance
from app.queries.facets import (
    CHART_BUDGET_MS,
    IN_BACKGROUND,
    ON_REQUEST,
    READER_FACETS,
    Facets,
    Value,
    facets,
    within_budget,
)
from app.queries.filters import BASE_VALUES, NO_SIDE, Scope, Selection, resolve
from app.queries.positions import Positions, positions
from app.queries.search import only_common_words
from app.queries.timeline import (
    PRECISIONS,
    Change,
    Cursor,
    Entry,
    Page,
    shown_last_precision,
    timeline_page,
)
from app.web.caching import Kept, etag, served, served_by_archive_state
from app.web.chart import Chart, positions_chart, waiting_chart
from app.web.deps import LastChange, ReadSession, read_archive_state, reading_sessionmaker
from app.web.htmx import htmx_target
from app.web.i18n import (
    actor_name,
    current_language,
    format_month,
    gettext,
    list_comma,
    refused_value,
    translate,
)
from app.web.templating import SIDE_NAMES, render, stated_date

router = APIRouter()
T = TypeVar("T")

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


DeclaredSelection = Annotated[Selection, Query()]
"""For a route's schema: the selection's parameters, which the route reads with `parse`."""


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
            name = FIELD_NAMES.get(name, name)
            errors[name] = refused_value(problem)
            if isinstance(raw.get(name), list):
                raw[name] = [value for value in raw[name] if _accepted(name, value)]
            else:
                raw.pop(name, None)
        selection = Selection.model_validate(raw)
    after = None
    if params.get("after"):
        try:
            after = Cursor.parse(params["after"])
        except ValueError:
            raise HTTPException(
                400, N_("after: %(after)r is not a page cursor", after=params["after"])
            ) from None
    return TimelineQuery(selection, after, is_editor(request), errors)


def _accepted(name: str, value: str) -> bool:
    """Whether the field `name`, of several values, takes `value`: one value refused leaves the
    others of its field in the selection."""
    try:
        Selection.model_validate({name: [value]})
    except ValidationError:
        return False
    return True


def refusals(parsed: TimelineQuery, scope: Scope) -> dict[str, str]:
    """Every value of the request that was refused, by field, in the interface language: those
    parsing refused, and speakers and tags the archive does not know (found once resolved)."""
    errors = dict(parsed.errors)
    if scope.unknown_speakers and "speaker" not in errors:
        errors["speaker"] = translate(_unknown_speaker(scope, scope.unknown_speakers[0]))
    if scope.unknown_tags and "tag" not in errors:
        unknown = N_("There is no tag %(name)r in the archive.", name=scope.unknown_tags[0])
        errors["tag"] = translate(unknown)
    return errors


_CHOICES_SHOWN = 6
"""How many of the speakers a refused value fits are offered (more are an ellipsis)."""


def speaker_choices(scope: Scope) -> list[tuple[Actor, str]]:
    """The speakers the refused `speaker` value fits, when it fits several, each with the
    address of this selection with that speaker in the value's place: one click chooses."""
    value = scope.unknown_speakers[0] if scope.unknown_speakers else None
    others = [v for v in scope.selection.speaker if v != value]
    return [
        (actor, link(scope.selection, speaker=[*others, actor.slug]))
        for actor in scope.speaker_choices.get(value or "", [])[:_CHOICES_SHOWN]
    ]


def _unknown_speaker(scope: Scope, value: str) -> Message:
    choices = scope.speaker_choices.get(value)
    if not choices:
        return N_("There is no speaker %(slug)r in the archive.", slug=value)
    shown = [actor_name(actor) for actor in choices[:_CHOICES_SHOWN]]
    names = list_comma(current_language()).join(shown + ["…"] * (len(choices) > _CHOICES_SHOWN))
    return N_("%(value)r fits several speakers: %(names)s. Choose one.", value=value, names=names)


def checked_scope(session: Session, parsed: TimelineQuery) -> Scope:
    """The request's selection resolved, for what has no form to show refusals beside (exports,
    the API): any refused value refuses the whole request (422), field by field, shaped as
    FastAPI's own check of the selection they declare refuses one (the schema's
    HTTPValidationError)."""
    scope = resolve(session, parsed.selection, editor=parsed.editor)
    errors = refusals(parsed, scope)
    if errors:
        problems = [
            {"type": "value_error", "loc": ("query", name), "msg": message}
            for name, message in errors.items()
        ]
        raise RequestValidationError(problems)
    return scope


def link(selection: Selection, **changes: Any) -> str:
    """This selection's address with `changes` (None removes a parameter)."""
    query = selection.query_string(**changes)
    return "/?" + query if query else "/"


def timeline_context(session: Session, parsed: TimelineQuery) -> dict[str, Any]:
    scope = resolve(session, parsed.selection, editor=parsed.editor)
    page = timeline_page(session, scope, after=parsed.after)
    after = page.after
    before = (after.stated_on, shown_last_precision(session, scope, after)) if after else None
    common_words = (
        scope.tsquery is not None
        and not page.entries
        and after is None
        and only_common_words(session, scope.tsquery)
    )
    return {
        "selection": scope.selection,
        "scope": scope,
        "editor": parsed.editor,
        "errors": refusals(parsed, scope),
        "speaker_choices": speaker_choices(scope),
        "page": page,
        "rows": with_headings(page, before),
        "only_common_words": common_words,
        "link": lambda **changes: link(scope.selection, **changes),
    }


def overview(
    request: Request,
    session: Session,
    scope: Scope,
    editor: bool,
    changed: Change,
    parts: tuple[str, ...] = ("facets", "chart"),
) -> dict[str, Any]:
    """What sits above the list: the facet counts and the positions-over-time chart, each kept
    per selection until a claim changes (`changed`, the last change). `counting` names the
    parts being counted in the background meanwhile: the page asks for them again."""
    found: dict[str, Any] = {"lazy": False, "counting": set()}
    if "facets" in parts:
        counts, counting = facet_counts(request, session, scope, editor, changed)
        found |= facet_context(counts, counting)
    if "chart" in parts:
        months, counting = chart_months(request, session, scope, editor, changed)
        found["chart"] = drawn_chart(months, counting, scope.selection)
        found["counting"] |= {"chart"} if counting else set()
    return found


def facet_counts(
    request: Request, session: Session, scope: Scope, editor: bool, changed: Change
) -> tuple[Facets, bool]:
    """The selection's facet counts, and whether those left out are being counted meanwhile."""
    return _counted(
        request,
        (scope.key, editor, "facets"),
        changed,
        lambda: facets(session, scope, editor=editor, budget=ON_REQUEST),
        lambda own: facets(own, scope, editor=editor, budget=IN_BACKGROUND),
        lambda counts: all(v is not None for v in counts.values()),
    )


def chart_months(
    request: Request, session: Session, scope: Scope, editor: bool, changed: Change
) -> tuple[Positions | None, bool]:
    """The chart's months (None: left out), and whether they are being counted meanwhile."""
    return _counted(
        request,
        (scope.key, editor, "chart"),
        changed,
        lambda: within_budget(session, scope, positions, CHART_BUDGET_MS),
        lambda own: within_budget(own, scope, positions, IN_BACKGROUND.facet_ms),
        lambda months: months is not None,
    )


def drawn_chart(months: Positions | None, counting: bool, selection: Selection) -> Chart:
    """The chart of `months`; its empty frame while they are still being counted."""
    if months is None and counting:
        return waiting_chart()
    return positions_chart(months, selection)


@dataclass(frozen=True)
class Counted(Generic[T]):
    """What a part of the overview found, and whether the background has tried it since (then
    nothing more is tried until a claim changes)."""

    found: T
    in_background: bool = False


@dataclass
class Overviews:
    """What an app keeps of the overviews it counted (`app.state.overviews`): one per app, not
    per process, so that an app made for a test against another database never shows another's
    counts."""

    counted: Kept[Counted[Any]] = field(default_factory=lambda: Kept(1024))
    """Per part of a selection's overview and last change. What a request's time budget left
    out is tried once more, in the background (`_counted`), then stays as it is until a claim
    changes: asking again would only spend the same budget again."""
    complete: Kept[Any] = field(default_factory=lambda: Kept(256))
    """Per part, the last complete one, whatever the change: shown while the next is counted."""


def _counted(
    request: Request,
    part: tuple[Any, ...],
    changed: Change,
    on_request: Callable[[], T],
    in_background: Callable[[Session], T],
    complete: Callable[[T], bool],
) -> tuple[T, bool]:
    """The `part` of a selection's overview as of the last change: what is kept for it, else
    what `on_request` finds within a request's budget; and, when that is not `complete`, whether
    `in_background` is working out the rest meanwhile, on a session of its own, for the next
    request to find. Meanwhile the part as it was before the change is shown, if it was known:
    after an editor's save, readers see the counts of a moment ago, not none."""
    kept: Overviews = request.app.state.overviews
    key = (*part, changed)
    counted = kept.counted.get_or_compute(key, lambda: Counted(on_request()))
    if complete(counted.found):
        kept.complete.put(part, counted.found)
        return counted.found, False
    if counted.in_background:
        return counted.found, False
    maker = reading_sessionmaker(request)

    def count() -> None:
        found = counted.found  # should counting fail, the page stops waiting for it
        try:
            with maker() as own:
                found = in_background(own)
        finally:
            kept.counted.put(key, Counted(found, in_background=True))

    counting = request.app.state.background_counts.start(key, count)
    before = kept.complete.get(part) if counting else None
    return (counted.found if before is None else before), counting


FACET_VALUES = {
    "stance": [v.value for v in Stance],
    "side": [*SIDE_NAMES, NO_SIDE],
    "base": BASE_VALUES,
    "speaker": [],  # only the selection's top speakers are offered, once counted
    "language": ARTICLE_LANGUAGES,
    "firsthand": [],  # radio buttons of their own (`hand_counts`)
    "status": [v.value for v in ClaimStatus],
    "tag": [],  # only the selection's most used tags are offered, once counted
}
"""What each facet offers before its counts are known, so that every filter can be chosen."""


def facet_context(counts: Facets, counting: bool = False) -> dict[str, Any]:
    """The facets as the page shows them: a facet left out of counting still offers its values,
    without counts, under a note that says why (`uncounted`) or that they are coming."""
    shown = {
        name: values if values is not None else [Value(v, None) for v in FACET_VALUES[name]]
        for name, values in counts.items()
    }
    return {
        "facets": shown,
        "uncounted": {name for name, values in counts.items() if values is None},
        "counting": {"facets"} if counting else set(),
        "hand_counts": {v.value: v.count for v in counts["firsthand"] or []},
    }


def waiting_overview(editor: bool) -> dict[str, Any]:
    """The facets' values without counts and the chart's empty frame (the counts follow by
    htmx), so that the form works at once and nothing moves when they arrive."""
    names = [*READER_FACETS, "status"] if editor else READER_FACETS
    waiting: Facets = {name: [Value(v, None) for v in FACET_VALUES[name]] for name in names}
    return {**facet_context(waiting), "chart": waiting_chart(), "lazy": True}


@router.get("/", name="timeline")
async def timeline(request: Request, session: ReadSession) -> Response:
    """The list first: the facet counts and the chart follow (`timeline_overview`). A reader's
    page is sent again until a write commits (`served_by_archive_state`)."""
    parsed = parse(request)
    build = partial(_timeline, request, session, parsed)
    return await served_by_archive_state(request, build, editor=parsed.editor)


def _timeline(request: Request, session: Session, parsed: TimelineQuery) -> Response:
    context = timeline_context(session, parsed)
    status = 422 if context["errors"] else 200
    if htmx_target(request) == "more":
        return render(request, "timeline/_entries.html", context, status_code=status)
    context |= waiting_overview(parsed.editor)
    return render(request, "timeline/page.html", context, block="timeline", status_code=status)


@router.get("/timeline/overview", name="timeline_overview")
async def timeline_overview(
    request: Request, session: ReadSession, changed: LastChange
) -> Response:
    """The facet counts (HX-Target `facets`) or the chart (`chart`) for a selection, kept per
    selection until a claim changes; without htmx, the whole page with both in place. An
    editor's is personal, as on the timeline: built every time, and stored nowhere. On the
    event loop, like the timeline: only counting and rendering go to the threadpool."""
    parsed = parse(request)
    part = htmx_target(request)
    build = partial(_overview, request, session, parsed, part, changed)
    if parsed.editor:
        return await run_in_threadpool(build)
    counted = request.app.state.background_counts.version
    # The whole page holds the timeline's rows too, which follow every commit, as on /.
    rows = None if part in ("facets", "chart") else await read_archive_state(request)
    tag = etag(str(request.url.query), current_language(), changed, part, counted, rows)
    return await served(request, tag, changed.modified if rows is None else None, build)


def _overview(
    request: Request, session: Session, parsed: TimelineQuery, part: str | None, changed: Change
) -> Response:
    """Refused values are shown beside their fields with a 422, as on the timeline itself."""
    scope = resolve(session, parsed.selection, editor=parsed.editor)
    errors = refusals(parsed, scope)
    status = 422 if errors else 200
    parts = (part,) if part in ("facets", "chart") else ("facets", "chart")
    found = overview(request, session, scope, parsed.editor, changed, parts)
    if part in parts:
        context = {
            "selection": scope.selection,
            "errors": errors,
            "speaker_choices": speaker_choices(scope),
            "editor": parsed.editor,
        }
        return render(
            request, "timeline/page.html", context | found, block=part, status_code=status
        )
    context = timeline_context(session, parsed) | found
    return render(request, "timeline/page.html", context, status_code=status)


class Row(NamedTuple):
    """An entry with the headings that open before it (month, then day) when they change."""

    month: str | None
    day: str | None
    entry: Entry


def with_headings(page: Page, before: tuple[date | None, str] | None) -> list[Row]:
    """The page's entries under the headings that change before them, each heading once: the
    claims of one stored date are shown finest first (a first of the month holds claims of that
    day, then of the month, then of the year), not by id, which mixed "2025", "January 2025"
    and "2025" again. A later page continues the headings of the claim the page before ended
    on as shown, of which `before` is the date and its precision (`shown_last_precision`),
    keyed as an entry's: after a page that ended on a claim of "2025", one of 1 Jan 2025 opens
    January 2025 and its 1st."""
    previous: tuple[Any, ...] = ()
    previous_day: tuple[date | None, str] | None = None
    if before is not None:
        previous, previous_day = _keys(*before)
    rows = []
    for entry in _finest_first(page.entries):
        claim = entry.claim
        month, day = _keys(claim.stated_on, claim.stated_on_precision)
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


def _finest_first(entries: list[Entry]) -> list[Entry]:
    """`entries`, in the page's order of dates, each date's claims by their date's precision,
    finest first (a stable sort: by id within one)."""
    dates = groupby(entries, key=lambda entry: entry.claim.stated_on)
    return [
        entry
        for _, same in dates
        for entry in sorted(
            same, key=lambda entry: PRECISIONS.index(entry.claim.stated_on_precision)
        )
    ]


def _keys(value: date | None, precision: str) -> tuple[tuple[Any, ...], tuple[date | None, str]]:
    """The keys of a date's month heading and of its day heading."""
    return _month_key(value, precision), (value, precision)


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
