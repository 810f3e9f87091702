"""A value the selection cannot use is refused the same way wherever the selection is read: the
timeline, its htmx fragments, the overview, the exports and the API; said in the page's language,
and naming the field it came in."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.web import exports
from tests.factories import article_doc
from tests.web.test_timeline import load_doc

REFUSED = {
    "stance=bogus": ("stance", "'bogus' is not one of stay, leave"),
    "base=mars": ("base", "'mars' is not one of hmeimim, tartus"),
    "from=2025-13-01": ("from", "'2025-13-01' is not a date"),
    "from=2025-03-01&to=2025-02-01": ("to", "2025-02-01 is before the start of the range"),
    "language=english": ("language", "'english' is not a two-letter language code"),
    "language=عر": ("language", "'عر' is not a two-letter language code"),
    "speaker=nobody-at-all": ("speaker", "There is no speaker 'nobody-at-all' in the archive."),
}
PAGES = ["/", "/timeline/overview"]
FRAGMENTS = [("/", "more"), ("/timeline/overview", "facets"), ("/timeline/overview", "chart")]


@pytest.fixture
def archive(maker: sessionmaker[Session], tmp_path: Path) -> None:
    load_doc(maker, tmp_path, article_doc())


@pytest.mark.parametrize("query", REFUSED)
@pytest.mark.parametrize("path", PAGES)
def test_pages_show_the_refusal_beside_its_field(
    client: TestClient, archive: None, path: str, query: str
) -> None:
    field, message = REFUSED[query]
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#{field}-error")
    assert error is not None and message in error.text


@pytest.mark.parametrize("query", ["stance=bogus", "speaker=nobody-at-all"])
@pytest.mark.parametrize(("path", "target"), FRAGMENTS)
def test_htmx_fragments_are_refused_too(
    client: TestClient, archive: None, path: str, target: str, query: str
) -> None:
    """422, which htmx swaps: the fragment itself comes, the facets with the message beside
    the field."""
    field, message = REFUSED[query]
    headers = {"HX-Request": "true", "HX-Target": target}
    response = client.get(f"{path}?{query}", headers=headers)
    assert response.status_code == 422
    fragment = BeautifulSoup(response.text, "html.parser")
    assert fragment.find("html") is None
    if target == "facets":
        assert message in fragment.select_one(f"#{field}-error").text


@pytest.mark.parametrize("query", REFUSED)
def test_exports_and_the_api_refuse_the_whole_request(
    client: TestClient, archive: None, query: str
) -> None:
    field, message = REFUSED[query]
    for path in ["/export.csv", "/export.articles.zip"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
        assert f"{field}: {message}".replace("'", "&#39;") in response.text
    for path in ["/export.json", "/api/claims"]:  # as the schema says: HTTPValidationError
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
        [problem] = response.json()["detail"]
        assert problem["loc"] == ["query", field] and message in problem["msg"], path


def test_the_overview_speaks_the_page_s_language(client: TestClient, archive: None) -> None:
    client.cookies.set("lang", "ar")
    for query, field in [("stance=maybe", "stance"), ("speaker=nobody", "speaker")]:
        response = client.get(f"/timeline/overview?{query}", headers={"HX-Request": "true"})
        assert response.status_code == 422
        error = BeautifulSoup(response.text, "html.parser").select_one(f"#{field}-error")
        assert error is not None
        assert error.text.startswith(("القيمة", "لا متحدث")), error.text


GOOD_AND_BAD = {
    "stance=conditional&stance=bogus": ("stance", "'bogus' is not one of stay, leave", 1),
    "side=SY&side=xyz1": ("side", "'xyz1' is not an affiliation code", 1),
    "base=general&base=mars": ("base", "'mars' is not one of hmeimim, tartus", 0),
    "language=ar&language=english": ("language", "'english' is not a two-letter language", 3),
    "speaker=murhaf-abu-qasra&speaker=nobody": ("speaker", "no speaker 'nobody' in the", 1),
}


@pytest.mark.parametrize("query", GOOD_AND_BAD)
def test_a_refused_value_leaves_the_good_ones_of_its_field(
    client: TestClient, archive: None, query: str
) -> None:
    """`stance=conditional&stance=bogus` threw the field away, and with it the good value: the
    page showed every claim, its box unchecked, and its exports selected everything. The bad
    value is refused (422, beside its field, as typed); the others still select, stay checked,
    and are what the page's links carry on; the exports and the API refuse the bad one alone."""
    field, message, shown = GOOD_AND_BAD[query]
    good = query.split("&")[0].partition("=")[2]
    response = client.get(f"/?{query}")
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert message in page.select_one(f"#{field}-error").text
    assert len(page.select("article.claim")) == shown
    export = page.select_one("p.exports a")["href"]
    assert export == f"/export.csv?{field}={good}" and client.get(export).status_code == 200
    facets = BeautifulSoup(client.get(f"/timeline/overview?{query}").text, "html.parser")
    checked = [box["value"] for box in facets.select(f"input[name={field}][checked]")]
    assert checked == [good]
    for path in ["/export.json", "/api/claims"]:
        [problem] = client.get(f"{path}?{query}").json()["detail"]
        assert problem["loc"] == ["query", field] and message in problem["msg"], path


def test_a_known_speaker_beside_an_unknown_one_is_still_shown(
    client: TestClient, archive: None
) -> None:
    response = client.get("/?speaker=murhaf-abu-qasra&speaker=nobody-at-all")
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert len(page.select("article.claim")) == 1
    assert "nobody-at-all" in page.select_one("#speaker-error").text


@pytest.mark.parametrize("path", ["/", "/timeline/overview", "/export.csv", "/api/claims"])
def test_a_bad_page_cursor_is_refused_alike_everywhere(
    client: TestClient, archive: None, path: str
) -> None:
    response = client.get(f"{path}?after=garbage")
    assert response.status_code == 400
    assert "after: &#39;garbage&#39; is not a page cursor" in response.text or (
        response.json() == {"detail": "after: 'garbage' is not a page cursor"}
    )


def test_too_many_articles_for_the_zip_is_said_in_the_page_s_language(
    client: TestClient, archive: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "MAX_ARTICLES", 0)
    client.cookies.set("lang", "ar")
    response = client.get("/export.articles.zip")
    assert response.status_code == 422
    message = BeautifulSoup(response.text, "html.parser").select_one("main p[dir=auto]").text
    assert message.startswith("يتجاوز"), message


def test_the_csv_ends_every_line_alike(client: TestClient, archive: None) -> None:
    """PostgreSQL writes the rows (COPY) with LF: a header ending in CRLF above them made a file
    of mixed line ends, which tools that learn the line end from the first line misread."""
    text = client.get("/export.csv").content.decode("utf-8")
    assert text.count("\n") == 4  # the header and three claims
    assert text.count("\r\n") in (0, 4)


@pytest.mark.parametrize("query", ["stance=bogus", "from=2025-13-01", "speaker=nobody-at-all"])
def test_the_api_refuses_in_the_page_s_language_like_the_exports(
    client: TestClient, archive: None, query: str
) -> None:
    """The API's parameters are checked by FastAPI before the timeline's own checks run: a value
    its validators refuse was said in English while the unknown speaker, and the same refusal
    from /export.json, were said in the reader's language."""
    client.cookies.set("lang", "ar")
    [problem] = client.get(f"/api/claims?{query}").json()["detail"]
    assert client.get(f"/export.json?{query}").json()["detail"] == [problem]
    assert problem["msg"].startswith(("القيمة", "لا متحدث")), problem["msg"]


@pytest.mark.parametrize(
    ("address", "status"),
    [("/api/claims?after=x", 400), ("/claims/999999.json", 404), ("/api/nothing-here", 404)],
)
def test_every_json_refusal_is_in_the_reader_s_language(
    client: TestClient, archive: None, address: str, status: int
) -> None:
    """As the field refusals are: a cursor, a claim or an address refused answered in English
    under an Arabic interface."""
    client.cookies.set("lang", "ar")
    response = client.get(address)
    assert response.status_code == status
    detail = response.json()["detail"]
    assert any("\u0600" <= letter <= "\u06ff" for letter in detail), detail
