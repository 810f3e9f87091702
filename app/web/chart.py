"""Positions over time, drawn on the server as SVG: months across, one lane per side, bars
stacked by stance. Each month is a link that narrows the timeline to it. The template gives
the SVG a title and a description, and a table with the same numbers for screen readers."""

import calendar
from collections.abc import Container
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple
from urllib.parse import urlencode

from app.models import Actor
from app.models.vocab import Stance
from app.queries.filters import Selection
from app.queries.positions import LANES, Positions
from app.queries.shifts import Point
from app.web.i18n import (
    N_,
    current_language,
    format_month,
    format_stated_date,
    gettext,
    language_context,
    stance_name,
    text_direction,
)
from app.web.urls import claim_url

WIDTH = 1100
LABEL = 70
LANE_HEIGHT = 48
GAP = 14
AXIS = 22
YEAR_SPACE = 36
"""Room a year's label needs on the axis (four digits at the ticks' size, and a gap)."""
LANE_NAMES = {"RU": N_("Russia"), "SY": N_("Syria"), "other": N_("Others")}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    stance: str
    title: str


@dataclass(frozen=True)
class Column:
    """One month across all lanes: the click target."""

    x: float
    width: float
    month: date
    label: str
    href: str
    summary: str
    claims: int
    """A month without claims is drawn, but is no link: it would open an empty list."""


@dataclass(frozen=True)
class Lane:
    code: str
    name: str
    y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lanes: list[Lane]
    columns: list[Column]
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    rows: list[tuple[str, list[int]]]
    """The table fallback: month label, then claims per lane."""
    label_x: float
    rtl: bool
    year_only: int = 0
    """Claims known only by their year, in no month: said under the chart, never dropped unsaid."""
    left_out: bool = False
    """The selection's months could not be counted within the time budget."""
    waiting: bool = False
    """The frame alone, holding the chart's place on the page until its counts arrive."""

    @property
    def empty(self) -> bool:
        return not self.columns


def waiting_chart() -> Chart:
    """The chart's frame (its lanes, no months), drawn with the list while the counts are on
    their way: in the chart's place and of its size, so that the list does not jump down when
    the chart arrives."""
    return replace(positions_chart(Positions([], {}), Selection()), waiting=True)


def month_link(selection: Selection, month: date) -> str:
    """The selection narrowed to `month`: the part of the month its range covers, which is what
    the month's column counts (from the 15th, January's link starts on the 15th, not the 1st)."""
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    start = max(month, selection.from_ or month)
    end = min(last, selection.to or last)
    params = selection.params(**{"from": start.isoformat(), "to": end.isoformat()})
    return "/?" + urlencode(params)


def positions_chart(data: Positions | None, selection: Selection) -> Chart:
    """The chart of `data`; None (counting ran out of time) gives an empty chart that says so."""
    rtl = text_direction() == "rtl"
    left_out = data is None
    data = data or Positions([], {})
    months = data.months
    plot = WIDTH - LABEL
    step = plot / max(len(months), 1)
    peak = max((data.total(lane, m) for lane in LANES for m in months), default=0) or 1
    lanes = [
        Lane(code, gettext(LANE_NAMES[code]), AXIS + i * (LANE_HEIGHT + GAP))
        for i, code in enumerate(LANES)
    ]

    def x_of(index: int) -> float:
        left = LABEL + index * step
        return WIDTH - left - step if rtl else left

    comma = language_context(current_language())["list_comma"]
    columns, bars, ticks, rows = [], [], [], []
    for i, month in enumerate(months):
        x = x_of(i)
        label = format_month(month)
        totals = [data.total(lane.code, month) for lane in lanes]
        summary = comma.join(f"{lane.name}: {n}" for lane, n in zip(lanes, totals, strict=True))
        href = month_link(selection, month)
        columns.append(Column(x, step, month, label, href, summary, sum(totals)))
        rows.append((label, totals))
        if month.month == 1 or (i == 0 and _year_fits_before_january(month, step)):
            ticks.append((x + step / 2, str(month.year)))
        for lane in lanes:
            bottom = lane.y + LANE_HEIGHT
            for stance in Stance:
                n = data.counts.get((lane.code, month), {}).get(stance.value, 0)
                if not n:
                    continue
                height = max(n / peak * LANE_HEIGHT, 1.5)
                bottom -= height
                title = f"{label} · {lane.name} · {stance_name(stance.value)}: {n}"
                bars.append(Bar(x + step * 0.12, bottom, step * 0.76, height, stance.value, title))
    height = AXIS + len(lanes) * (LANE_HEIGHT + GAP)
    label_x = WIDTH - 4 if rtl else 4
    return Chart(
        WIDTH, height, lanes, columns, bars, ticks, rows, label_x, rtl, data.year_only, left_out
    )


def _year_fits_before_january(first: date, step: float) -> bool:
    """Whether the first month's year can be labelled without running into the next January's
    (a decade from December 2015 put "2015" on top of "2016"). With no January on the chart
    it always fits: the months before it then span the whole plot."""
    return (13 - first.month) * step >= YEAR_SPACE


STANCE_ROWS = [s.value for s in Stance]
LINE_ROW = 26
LINE_LABEL = 110
LINE_NAMES = {
    "hmeimim": N_("Hmeimim"),
    "tartus": N_("Tartus"),
    "general": N_("Presence in general"),
}


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    stance: str
    title: str
    claim_id: int
    href: str
    """The claim's row on the page when it is listed there, else the claim's own page."""


@dataclass(frozen=True)
class Line:
    lane: str
    name: str
    points: str
    """The SVG polyline's points."""
    dots: list[Dot]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    rows: list[tuple[str, int]]
    """Stance name and its y."""
    lines: list[Line]
    label_x: float
    rtl: bool


class _Linked(NamedTuple):
    """What `claim_url` needs of a point's claim."""

    id: int
    summary_en: str
    stance: str
    speaker: Actor


def _dot_link(point: Point, speaker: Actor, listed: Container[int]) -> str:
    """The claim's row below the chart if it is listed there (the page lists only the newest
    claims), else its permanent address: an older claim's anchor would lead nowhere."""
    if point.claim_id in listed:
        return f"#claim-{point.claim_id}"
    return claim_url(_Linked(point.claim_id, point.summary_en, point.stance, speaker))


def stance_line_chart(points: list[Point], speaker: Actor, listed: Container[int]) -> LineChart:
    """The speaker's stance through time: stances down the side, time across, a line per base.
    `listed` holds the ids of the claims the page lists, whose dots link to their rows."""
    rtl = text_direction() == "rtl"
    height = LINE_ROW * len(STANCE_ROWS) + 10
    rows = [(stance_name(s), 14 + i * LINE_ROW) for i, s in enumerate(STANCE_ROWS)]
    if not points:
        return LineChart(WIDTH, height, rows, [], WIDTH - 4 if rtl else 4, rtl)
    first, last = points[0].stated_on.toordinal(), points[-1].stated_on.toordinal()
    span = max(last - first, 1)
    plot = WIDTH - LINE_LABEL - 20

    def x_of(day: date) -> float:
        offset = LINE_LABEL + 10 + (day.toordinal() - first) / span * plot
        return WIDTH - offset if rtl else offset

    lines = []
    for lane in LINE_NAMES:
        dots = [
            Dot(
                x_of(p.stated_on),
                14 + STANCE_ROWS.index(p.stance) * LINE_ROW,
                p.stance,
                # To the date's precision, as the list writes it: "Feb 2025", not "1 Feb 2025".
                f"{format_stated_date(p.stated_on, p.stated_on_precision)}"
                f" · {gettext(LINE_NAMES[lane])} · {stance_name(p.stance)}",
                p.claim_id,
                _dot_link(p, speaker, listed),
            )
            for p in points
            if p.lane == lane
        ]
        if dots:
            path = " ".join(f"{d.x:.1f},{d.y:.1f}" for d in dots)
            lines.append(Line(lane, gettext(LINE_NAMES[lane]), path, dots))
    return LineChart(WIDTH, height, rows, lines, WIDTH - 4 if rtl else 4, rtl)
