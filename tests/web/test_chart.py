"""The positions chart's axis: a year's label for each January, and for the first month when
there is room for it."""

from datetime import date

from app.queries.filters import Selection
from app.queries.positions import Positions, month_range
from app.web.chart import positions_chart


def _years(first: date, last: date) -> list[str]:
    months = month_range([first, last])
    counts = {("RU", month): {"stay": 1} for month in months}
    return [year for _, year in positions_chart(Positions(months, counts), Selection()).ticks]


def test_a_decade_from_december_labels_each_january_only() -> None:
    # One December before the first January: its year would sit on top of the next one's.
    assert _years(date(2015, 12, 1), date(2025, 12, 1)) == [str(y) for y in range(2016, 2026)]


def test_the_first_year_is_labelled_when_it_has_room() -> None:
    # Seven months before 2016; two months, each half the plot wide; no January at all.
    assert _years(date(2015, 6, 1), date(2025, 6, 1))[:2] == ["2015", "2016"]
    assert _years(date(2024, 12, 1), date(2025, 1, 1)) == ["2024", "2025"]
    assert _years(date(2025, 3, 1), date(2025, 6, 1)) == ["2025"]
