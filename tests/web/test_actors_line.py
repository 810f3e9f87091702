"""An actor's stance line: where its dots lead, and how their titles write a statement's date."""

import copy
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.web.templating import templates
from tests.editors import sign_in
from tests.factories import BASE_DOC
from tests.web.test_claims import load_docs

AFRESH = {"Cache-Control": "no-cache"}
"""Built again, not sent again from what the app kept."""


def many_claims_doc(
    dates: list[tuple[str | None, str]], statuses: dict[int, str] | None = None
) -> dict[str, Any]:
    """One article, one Peskov claim per (stated_on, precision), on both bases; ids in list
    order, the `i`th summarised "Statement i."; verified unless `statuses` says otherwise."""
    sentences = [f"قال المتحدث في البيان رقم {i} إن القوات باقية." for i in range(len(dates))]
    text = " ".join(sentences)
    doc = copy.deepcopy(BASE_DOC)
    doc["article"].update(key="many", text=text, published_on="2025-03-01")
    template, doc["claims"], at = doc["claims"][0], [], 0
    for i, (stated_on, precision) in enumerate(dates):
        start = text.index(sentences[i], at)
        at = start + len(sentences[i])
        claim = copy.deepcopy(template)
        claim.update(
            quote=sentences[i],
            start=start,
            end=at,
            stated_on=stated_on,
            stated_on_precision=precision,
            summary_en=f"Statement {i}.",
        )
        if statuses and i in statuses:
            claim["status"] = statuses[i]
        doc["claims"].append(claim)
    return doc


def page(client: TestClient, url: str = "/actors/dmitry-peskov") -> BeautifulSoup:
    response = client.get(url, headers=AFRESH)
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def dot_links(soup: BeautifulSoup) -> list[str]:
    return [str(a["href"]) for a in soup.select("figure.stance-line a")]


def listed(soup: BeautifulSoup) -> set[str]:
    return {f"#{row['id']}" for row in soup.select("article.claim")}


def quote_of(client: TestClient, address: str) -> str:
    """The quote on the claim page at `address`, which must answer without a redirect."""
    response = client.get(address, follow_redirects=False)
    assert response.status_code == 200, (address, response.status_code)
    return BeautifulSoup(response.text, "html.parser").select_one("blockquote").get_text()


@pytest.fixture
def keeping(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendered fragments kept between requests, as in production (development keeps none);
    set once the app is made, which sets it for development."""
    monkeypatch.setattr(templates.env, "auto_reload", False)


FEBRUARY = [(f"2025-02-{(i % 20) + 1:02d}", "day") for i in range(50)]
"""Fifty statements of February 2025: a whole page of the actor's list."""


def test_a_dot_links_to_its_row_when_listed_else_to_its_claim_page(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """The actor page lists only the newest 50 claims. A dot of a listed claim leads to its row
    on the page; the dot of an older one (15 Jan, the 51st) to the claim's own page, not to an
    anchor that is not there."""
    load_docs(maker, tmp_path, many_claims_doc([("2025-01-15", "day"), *FEBRUARY]))
    soup = page(client)
    links = dot_links(soup)
    anchors = [href for href in links if href.startswith("#")]
    elsewhere = [href for href in links if not href.startswith("#")]
    assert anchors and set(anchors) <= listed(soup)
    # January's statement on each base: both dots lead to its page, at its slugged address.
    assert len(elsewhere) == 2 and len(set(elsewhere)) == 1
    [address] = set(elsewhere)
    assert address.startswith("/claims/") and address.endswith("-dmitry-peskov-statement-0")
    assert "البيان رقم 0 " in quote_of(client, address)


@pytest.mark.usefixtures("keeping")
def test_a_kept_line_links_to_the_rows_its_reader_is_shown(
    client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """The drawn line is kept between requests, but its links follow the list it is drawn
    above. A visitor's list holds the verified claims, so 15 Jan is among its newest 50; an
    editor's also holds a claim waiting for review, which pushes 15 Jan off the list: there its
    dots lead to the claim's page, whichever of the two asked first."""
    doc = many_claims_doc([("2025-01-15", "day"), *FEBRUARY], statuses={50: "extracted"})
    load_docs(maker, tmp_path, doc)
    visitor = page(client)
    editors = TestClient(client.app)  # the same app and kept lines, its own cookies
    sign_in(editors, session)
    editor = page(editors)
    again = page(client)
    for soup in (visitor, again):
        assert "#claim-" in " ".join(dot_links(soup))
        assert all(href in listed(soup) for href in dot_links(soup))
    january = [href for href in dot_links(editor) if not href.startswith("#")]
    assert len(january) == 2 and january[0].endswith("-dmitry-peskov-statement-0")
    assert all(href in listed(editor) for href in dot_links(editor) if href.startswith("#"))


@pytest.mark.parametrize(
    ("lang", "month", "year"),
    [("en", "Feb 2025", "2024"), ("ar", "فبراير 2025", "2024")],
)
def test_a_dot_s_title_writes_the_date_as_the_list_does(
    client: TestClient,
    maker: sessionmaker[Session],
    tmp_path: Path,
    lang: str,
    month: str,
    year: str,
) -> None:
    """A statement known only as "Feb 2025" (stored as 1 Feb) or "2024" is not one of the 1st:
    the dot's title writes its date to its precision, in the words of the list below it, in
    either interface language."""
    dates = [("2024-01-01", "year"), ("2025-02-01", "month")]
    load_docs(maker, tmp_path, many_claims_doc(dates))
    soup = page(client, f"/actors/dmitry-peskov?lang={lang}")
    stated = [t.text for t in soup.select("article.claim .stated")]
    assert stated == [month, year]
    titles = [t.text for t in soup.select("figure.stance-line circle title")]
    assert len(titles) == 4  # each statement on both bases
    assert sorted(title.split(" · ")[0] for title in titles) == sorted([month, month, year, year])
