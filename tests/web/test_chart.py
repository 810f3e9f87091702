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


def test_a_claim_known_only_by_its_year_is_in_no_month_and_said_under_the_chart(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """A claim of "2024" is stored as 1 January 2024: it was drawn, and tabled, as January's.
    It is in no month now, and the chart says it left it out: what it draws and what it says
    it left out add up to the dated claims the list holds."""
    dates = [
        ("2024-01-01", "year"),
        ("2024-01-01", "day"),
        ("2024-03-10", "day"),
        (None, "unknown"),
    ]
    load_doc(maker, tmp_path, many_claims_doc(dates))
    chart = fragment(client, "/timeline/overview", "chart")
    rows = {
        tr.th.text: [int(td.text) for td in tr.select("td")]
        for tr in chart.select(".chart-table tbody tr")
    }
    assert rows == {"January 2024": [1, 0, 0], "February 2024": [0, 0, 0], "March 2024": [1, 0, 0]}
    assert chart.select_one(".chart-note").text == "1 claim known only by its year is not drawn."
    listed = soup(client, "/").select("article.claim")
    assert sum(map(sum, rows.values())) + 1 == len(listed) - 1  # the undated one aside


def test_the_year_only_note_is_in_arabic_under_the_right_to_left_chart(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """The note is translated, with its number's plural form, below the mirrored chart."""
    dates = [("2024-01-01", "year"), ("2025-01-01", "year"), ("2025-02-10", "day")]
    load_doc(maker, tmp_path, many_claims_doc(dates))
    chart = fragment(client, "/timeline/overview?lang=ar", "chart")
    assert "rtl" in chart.select_one("figure svg")["class"]
    assert [a["aria-label"] for a in chart.select("a.month-link")] == [
        "فبراير 2025: روسيا: 1، سوريا: 0، آخرون: 0"
    ]
    note = chart.select_one("figure + .chart-note")
    assert note.text == "التصريحات التي لا تُعرف إلا سنتها لا تُرسم على المخطط: تصريحان."


def test_the_year_only_note_stands_without_a_chart(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """With every claim known only by its year there is no month to draw: the note still says
    they are there (the chart drew them all in January)."""
    load_doc(maker, tmp_path, many_claims_doc([("2024-01-01", "year"), ("2025-01-01", "year")]))
    chart = fragment(client, "/timeline/overview", "chart")
    assert chart.select_one("figure") is None
    assert chart.select_one(".chart-note").text == (
        "2 claims known only by their year are not drawn."
    )
