"""The positions chart: its axis (a year's label for each January, and for the first month when
there is room for it), its months' summaries and links, and what it counts against the list."""

from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.queries.filters import Selection
from app.queries.positions import Positions, month_range
from app.web.chart import positions_chart
from app.web.i18n import in_language
from app.web.templating import templates
from tests.web.test_actors_line import many_claims_doc
from tests.web.test_timeline import fragment, load_doc, soup


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


def test_a_month_s_link_lists_the_claims_its_column_counts(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """From the 15th, January's column counts the claims of 15-31 January: its link opened the
    whole month (from=2025-01-01), listing three claims under a column of one."""
    dates = ["2025-01-05", "2025-01-10", "2025-01-20", "2025-02-03", "2025-02-25"]
    load_doc(maker, tmp_path, many_claims_doc([(d, "day") for d in dates]))
    chart = fragment(client, "/timeline/overview?from=2025-01-15&to=2025-02-10", "chart")
    links = {a["href"]: a["aria-label"] for a in chart.select("a.month-link")}
    assert links == {
        "/?from=2025-01-15&to=2025-01-31": "January 2025: Russia: 1, Syria: 0, Others: 0",
        "/?from=2025-02-01&to=2025-02-10": "February 2025: Russia: 1, Syria: 0, Others: 0",
    }
    for href in links:
        assert len(soup(client, href).select("article.claim")) == 1, href
