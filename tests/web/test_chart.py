"""The positions chart's axis: a year's label for each January, and for the first month when
there is room for it."""

from datetime import date

from app.queries.filters import Selection
from app.queries.positions import Positions
from app.web.chart import positions_chart


def _months(first: date, count: int) -> list[date]:
    return [
        date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def _years(first: date, count: int) -> list[str]:
    months = _months(first, count)
    counts = {("RU", month): {"stay": 1} for month in months}
    return [year for _, year in positions_chart(Positions(months, counts), Selection()).ticks]


def test_a_decade_from_december_labels_each_january_only() -> None:
    # One December before the first January: its year would sit on top of the next one's.
    assert _years(date(2015, 12, 1), 121) == [str(y) for y in range(2016, 2026)]


def test_the_first_year_is_labelled_when_it_has_room() -> None:
    assert _years(date(2015, 6, 1), 121)[:2] == ["2015", "2016"]  # seven months before 2016
    assert _years(date(2024, 12, 1), 2) == ["2024", "2025"]  # few months: wide columns
    assert _years(date(2025, 3, 1), 4) == ["2025"]  # no January follows
