"""/articles/{key}: the article's text with each claim's quote marked by stance and linked."""

from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.batch import load_paths
from tests.editors import sign_in
from tests.factories import TEXT, article_doc, write_json

KEY = "test-2025-02-07-peskov"


def load(maker: sessionmaker[Session], tmp_path: Path, **claim_fields: str) -> None:
    doc = article_doc()
    doc["claims"][2] |= claim_fields
    report = load_paths(maker, [write_json(tmp_path / "a.json", doc)], max_bytes=10**7)
    assert report.refused == []


def test_marks_each_claim_in_its_stance_and_links_it(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    load(maker, tmp_path)
    page = BeautifulSoup(client.get(f"/articles/{KEY}").text, "html.parser")
    text = page.select_one(".article-page .article-text")
    assert (text["lang"], text["dir"]) == ("ar", "rtl")
    # The pieces put back together are the article, newlines aside.
    assert "".join(p.text for p in text.select("[data-start]")) == TEXT
    marks = text.select("mark.span")
    assert [m.select_one("a").text for m in marks] == [
        "القوات الروسية باقية في قاعدتي حميميم وطرطوس",
        "لا نخطط لسحب قواتنا",
        "دمشق منفتحة على بقاء القاعدتين إذا خدمتا مصالح سوريا",
    ]
    assert [m["class"][1] for m in marks] == [
        "stance-span-stay",
        "stance-span-stay",
        "stance-span-conditional",
    ]
    # Colour is never alone: each quote ends with its stance's word.
    assert [s.text for s in text.select("sup.span-stance")] == ["stay", "stay", "conditional"]
    first = marks[0].select_one("a")
    assert first["href"].startswith("/claims/") and first["id"].startswith("claim-")
    assert page.select_one("#article-title")["lang"] == "ar"
    assert "Test Outlet" in page.select_one(".article-meta").text
    assert page.select_one(".article-meta a")["href"] == "https://example.org/news/1"
    listed = page.select(".article-claims li")
    assert [li.select_one("a[href^='#claim-']")["href"] for li in listed] == [
        f"#{m.select_one('a')['id']}" for m in marks
    ]
    # Visitors get no selection tools.
    assert page.select_one("[data-selectable]") is None
    assert page.select_one("[data-selection-bar]") is None


def test_visitors_see_only_verified_claims_editors_all(
    client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    load(maker, tmp_path, status="extracted", extractor="rules-0.1")
    visitor = BeautifulSoup(client.get(f"/articles/{KEY}").text, "html.parser")
    assert len(visitor.select("mark.span")) == 2
    sign_in(client, session)
    editor = BeautifulSoup(client.get(f"/articles/{KEY}").text, "html.parser")
    assert len(editor.select("mark.span")) == 3
    text = editor.select_one("[data-selectable]")
    assert text["data-article"] == KEY
    bar = text.find_next_sibling()
    assert bar.has_attr("data-selection-bar")
    assert bar.select_one("[data-new-claim]")["href"] == f"/articles/{KEY}/claims/new"


def test_an_unknown_article_is_a_404_page(client: TestClient) -> None:
    response = client.get("/articles/no-such-article")
    assert response.status_code == 404
    assert "no-such-article" in response.text


def test_every_claim_listed_has_its_place_in_the_text_even_inside_another(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """A quote inside another's: the list's "in the text" link still finds it."""
    inner = "باقية في قاعدتي"
    start = TEXT.index(inner)
    load(maker, tmp_path, quote=inner, start=start, end=start + len(inner))  # type: ignore[arg-type]
    page = BeautifulSoup(client.get(f"/articles/{KEY}").text, "html.parser")
    anchors = [a["href"] for a in page.select(".article-claims a[href^='#claim-']")]
    assert len(anchors) == 3
    assert [href for href in anchors if page.select_one(href) is None] == []
