"""The positions chart's axis: a year's label for each January, and for the first month when
there is room for it."""

from datetime import date

from bs4 import BeautifulSoup

from app.queries.filters import Selection
from app.queries.positions import Positions, month_range
from app.web.chart import positions_chart
from app.web.i18n import in_language
from app.web.templating import templates


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


def test_a_month_s_summary_lists_the_sides_with_the_interface_s_comma() -> None:
    month = date(2025, 2, 1)
    data = Positions([month], {("RU", month): {"stay": 2}, ("SY", month): {"leave": 1}})
    with in_language("ar"):
        [column] = positions_chart(data, Selection()).columns
    assert column.summary == "روسيا: 2، سوريا: 1، آخرون: 0"
    [column] = positions_chart(data, Selection()).columns
    assert column.summary == "Russia: 2, Syria: 1, Others: 0"


def test_a_month_without_claims_is_drawn_but_is_no_link() -> None:
    """A link to a month with nothing in it opened an empty list (and cost a stop for Tab)."""
    first, last = date(2025, 1, 1), date(2025, 3, 1)
    data = Positions(month_range([first, last]), {("RU", first): {"stay": 1}, ("SY", last): {}})
    chart = positions_chart(data, Selection())
    drawn = templates.env.get_template("timeline/_chart.html").render(chart=chart, plain_links=True)
    links = BeautifulSoup(drawn, "html.parser").select("a.month-link")
    assert [a["href"] for a in links] == ["/?from=2025-01-01&to=2025-01-31"]
    assert len(BeautifulSoup(drawn, "html.parser").select("rect.month-hit")) == 3
