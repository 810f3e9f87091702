import csv
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from app.ingest.load import Outcome
from app.main import create_app
from app.models.vocab import Stance
from app.queries.facets import IN_BACKGROUND, ON_REQUEST
from app.queries.filters import Scope, Selection, resolve
from app.queries.positions import Positions, positions
from app.queries.timeline import timeline_page
from app.settings import Settings
from app.web import timeline
from app.web.counting import BackgroundCounts
from app.web.deps import EXPORTS_AT_ONCE
from app.web.templating import templates
from tests.editors import sign_in
from tests.factories import TEXT, article_doc, statements_sent, write_json

FACETS_SWAP = {"HX-Request": "true", "HX-Target": "facets"}
"""How htmx asks for the facet counts beside the filters."""
AFRESH = {"Cache-Control": "no-cache"}
"""Built again, not sent again from what the app kept."""


@pytest.fixture
def keeping(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendered fragments kept between requests, as in production (development keeps none);
    set once the app is made, which sets it for development."""
    monkeypatch.setattr(templates.env, "auto_reload", False)


def load_doc(maker: sessionmaker[Session], tmp_path: Path, doc: dict[str, object]) -> None:
    report = load_paths(maker, [write_json(tmp_path / "a.json", doc)], max_bytes=10**7)
    assert report.refused == []


def test_lists_claims_newest_statement_first(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    load_doc(maker, tmp_path, article_doc())
    response = client.get("/")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    claims = page.select("article.claim")
    # Two dated claims (6 Feb 2025) first, newest id first; the undated one last.
    assert [c.select_one(".stated").text for c in claims] == [
        "6 Feb 2025",
        "6 Feb 2025",
        "date unknown",
    ]
    first = claims[0]
    assert first.select_one(".stance").text == "stay"
    assert first.select_one(".side")["aria-label"] == "Russia"
    assert [b.text for b in first.select(".base")] == ["Hmeimim", "Tartus"]
    assert (
        first.select_one(".quote")["lang"] == "ar" and first.select_one(".quote")["dir"] == "auto"
    )
    assert "Test Outlet" in first.select_one(".source").text
    assert page.html["dir"] == "ltr"


def test_article_text_is_escaped(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    payload = "<script>alert(1)</script>"
    doc = article_doc(outlet=payload)
    doc["claims"][0]["summary_en"] = '<img src=x onerror="alert(2)">'
    load_doc(maker, tmp_path, doc)
    body = client.get("/").text
    assert payload not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_htmx_swap_gets_only_the_results(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    load_doc(maker, tmp_path, article_doc())
    response = client.get("/", headers={"HX-Request": "true", "HX-Target": "timeline"})
    assert response.text.lstrip().startswith('<div id="timeline"')
    assert "<html" not in response.text
    assert response.headers["Vary"] == "HX-Request, HX-Target, Cookie, Accept-Language"


def test_kept_rows_show_edit_controls_to_editors_only(
    client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """A timeline row is rendered once and kept: the visitor's copy, asked for first, must not
    be the one an editor gets, nor the editor's the one the next visitor gets."""
    load_doc(maker, tmp_path, article_doc())
    visitor = BeautifulSoup(client.get("/").text, "html.parser").select("article.claim")
    editors = TestClient(client.app)  # the same app and kept rows, its own cookies
    sign_in(editors, session)
    editor = BeautifulSoup(editors.get("/").text, "html.parser").select("article.claim")
    again = BeautifulSoup(client.get("/").text, "html.parser").select("article.claim")
    assert len(visitor) == len(editor) == 3
    assert not any(row.select(".edit-controls") for row in visitor + again)
    for row in editor:
        claim_id = row["id"].removeprefix("claim-")
        assert row.select_one(".edit")["href"] == f"/claims/{claim_id}/edit"
        assert row.select_one(f"#editor-{claim_id}") is not None


def test_a_readers_page_is_sent_again_until_any_write_commits(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Validated by the archive's state, not by one table's dates: an outlet has none, and its
    rename must still reach the next reader; the facet counts, by the last change to a claim.
    Real commits, in a database of the test's own: the other tests' writes commit only to
    savepoints, which leave that state as it was."""
    engine = create_engine(fresh_database_url)
    committing = sessionmaker(engine, expire_on_commit=False)
    load_doc(committing, tmp_path, article_doc())
    with TestClient(create_app(Settings(DATABASE_URL=fresh_database_url))) as client:
        first, kept = sent_again(client, "/?base=tartus")
        tag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
        assert kept.content == first.content
        assert "render;dur=0.00;" in kept.headers["server-timing"]
        afresh = client.get("/?base=tartus", headers={"Cache-Control": "no-cache"})
        assert afresh.content == first.content
        assert "render;dur=0.00;" not in afresh.headers["server-timing"]
        swap = client.get("/?base=tartus", headers={"HX-Request": "true", "HX-Target": "more"})
        assert swap.headers["etag"] != tag and "<html" not in swap.text
        counts = settled_counts(client, "/timeline/overview?base=tartus")
        with committing.begin() as writing:
            writing.execute(text("UPDATE outlets SET name = 'Renamed Outlet'"))
        renewed = client.get("/?base=tartus", headers={"If-None-Match": tag})
        assert renewed.status_code == 200 and "Renamed Outlet" in renewed.text
        # The counts depend on claims and speakers only: the rename leaves them as they were.
        same = {"If-None-Match": counts.headers["etag"]}
        assert (
            client.get("/timeline/overview?base=tartus", headers=FACETS_SWAP | same).status_code
            == 304
        )
        with committing.begin() as writing:
            writing.execute(
                text("UPDATE claims SET stance = 'leave', updated_at = updated_at + interval '1 s'")
            )
        recounted = client.get("/timeline/overview?base=tartus", headers=FACETS_SWAP | same)
        assert recounted.status_code == 200
        renewed_counts = settled_counts(client, "/timeline/overview?base=tartus")
        stances = BeautifulSoup(renewed_counts.text, "html.parser").select(".facet-stance input")
        assert [s["value"] for s in stances][:1] == ["leave"]
        editors = TestClient(client.app)
        with committing() as session:
            sign_in(editors, session)
        editor = editors.get("/?base=tartus")
        assert "etag" not in editor.headers and "edit-controls" in editor.text
    engine.dispose()


def sent_again(client: TestClient, url: str) -> tuple[Response, Response]:
    """A reader's first response to `url`, and the same sent again (after a 304 for its tag).
    The state is the server's snapshot, which a commit to another database moves too (another
    test's, on a shared server): the first requests are asked again until none came between."""
    for _ in range(10):
        first = client.get(url)
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        kept = client.get(url)
        if again.status_code == 304 and kept.headers["etag"] == first.headers["etag"]:
            return first, kept
    raise AssertionError(f"{url} was never sent again under the same state")


def settled_counts(client: TestClient, url: str) -> Response:
    """The facet counts of `url` once none is left to the background: on a busy machine a count
    can run past a request's budget, and its arrival from the background renews the counts'
    validator (with every count sent there, the test failed so without this)."""
    answers: list[Response] = []

    def ask() -> BeautifulSoup:
        answers.append(client.get(url, headers=FACETS_SWAP))
        return BeautifulSoup(answers[-1].text, "html.parser")

    settled(ask, "#facets")
    return answers[-1]


@pytest.mark.parametrize(
    "url", ["/actors/dmitry-peskov", "/bases/tartus", "/articles/test-2025-02-07-peskov"]
)
def test_speaker_base_and_article_pages_are_sent_again_until_a_write_commits(
    fresh_database_url: str, tmp_path: Path, url: str
) -> None:
    """As the timeline is: a link read again costs a 304, or a copy kept, not a page built."""
    engine = create_engine(fresh_database_url)
    committing = sessionmaker(engine, expire_on_commit=False)
    load_doc(committing, tmp_path, article_doc())
    with TestClient(create_app(Settings(DATABASE_URL=fresh_database_url))) as client:
        first, kept = sent_again(client, url)
        assert kept.content == first.content and "Test Outlet" in first.text
        assert "render;dur=0.00;" in kept.headers["server-timing"]
        with committing.begin() as writing:
            writing.execute(text("UPDATE outlets SET name = 'Renamed Outlet'"))
        renewed = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert renewed.status_code == 200 and "Renamed Outlet" in renewed.text
        editors = TestClient(client.app)
        with committing() as session:
            sign_in(editors, session)
        assert "etag" not in editors.get(url).headers
    engine.dispose()


def test_pages_by_keyset(
    client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    load_doc(maker, tmp_path, article_doc())
    first = timeline_page(session, resolve(session, Selection(), editor=False), size=2)
    assert len(first.entries) == 2 and first.next is not None
    page = BeautifulSoup(client.get(f"/?after={first.next}").text, "html.parser")
    [undated] = page.select("article.claim .stated")
    assert undated.text == "date unknown" and undated.name == "span"  # no <time datetime="">
    assert client.get("/?after=garbage").status_code == 400
    for beyond in ("2025-02-01.99999999999999999999", "2025-02-06.٣", "2025-02-06.-4"):
        assert client.get(f"/?after={beyond}").status_code == 400, beyond
        assert client.get(f"/api/claims?after={beyond}").status_code == 400, beyond


def test_a_later_page_with_nothing_left_says_so_and_leads_back_to_the_first(
    client: TestClient, maker: sessionmaker[Session], tmp_path: Path
) -> None:
    """A shared address of a later page, after whose claim nothing is left (the claims have
    since been corrected or withdrawn), is not a blank list: it says so and links to the
    selection's first page, in the interface language."""
    load_doc(maker, tmp_path, article_doc())
    for target in ({}, {"HX-Request": "true", "HX-Target": "more"}):
        page = soup(client, "/?stance=stay&after=none.1", target)
        empty = page.select_one("p.empty")
        assert empty is not None and "Nothing follows" in empty.text
        assert empty.select_one("a")["href"] == "/?stance=stay"
    arabic = soup(client, "/?stance=stay&after=none.1&lang=ar").select_one("p.empty")
    assert "Nothing" not in arabic.text


def fragment(client: TestClient, url: str, target: str) -> BeautifulSoup:
    """What htmx swaps into the element `target` after the page has loaded."""
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": target})
    assert response.status_code == 200, response.text[:500]
    assert response.text.lstrip().startswith(f'<div id="{target}"')
    return BeautifulSoup(response.text, "html.parser")


def soup(client: TestClient, url: str, headers: dict[str, str] | None = None) -> BeautifulSoup:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def quotes(page: BeautifulSoup) -> list[str]:
    return [q.get_text() for q in page.select("article.claim .quote")]


class TestFilters:
    def test_speaker_by_slug_or_name_in_any_script(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        by_slug = quotes(soup(client, "/?speaker=murhaf-abu-qasra"))
        assert by_slug == ["دمشق منفتحة على بقاء القاعدتين إذا خدمتا مصالح سوريا"]
        # A name typed without JavaScript, with a different hamza form: أبو → ابو.
        assert quotes(soup(client, "/?speaker=مرهف ابو قصرة")) == by_slug
        nobody = client.get("/?speaker=nobody-at-all")  # refused beside the field (test_refusals)
        assert nobody.status_code == 422 and quotes(BeautifulSoup(nobody.text, "html.parser")) == []

    def test_a_typed_name_checks_the_speaker_it_names(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """Not a box of its own beside the speaker's, unchecked: once counted, the facet shows the
        filter where it is (before the counts come, the name as typed stands checked)."""
        load_doc(maker, tmp_path, article_doc())
        boxes = soup(client, "/timeline/overview?speaker=مرهف ابو قصرة").select(
            ".facet-speaker input[name=speaker]"
        )
        assert [b["value"] for b in boxes if b.has_attr("checked")] == ["murhaf-abu-qasra"]
        assert "مرهف ابو قصرة" not in [b["value"] for b in boxes]

    def test_a_part_of_a_name_names_the_one_speaker_it_fits(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """Typed without choosing a suggestion, Peskov (whole words of a name, in any script and
        spelling) names the speaker it fits, on the page and in the API; a part that fits several
        is refused, naming them in the page's language; a part of a word names no one."""
        doc = article_doc()
        ivanov = {"name": "ديمتري إيفانوف", "name_en": "Dmitry Ivanov"}
        doc["claims"][1]["speaker"] = doc["claims"][1]["speaker"] | ivanov
        load_doc(maker, tmp_path, doc)
        peskov = quotes(soup(client, "/?speaker=dmitry-peskov"))
        assert len(peskov) == 1
        for part in ("Peskov", "بيسكوف", "بيسكوف ", "PESKOV"):
            assert quotes(soup(client, f"/?speaker={part}")) == peskov, part
        minister = quotes(soup(client, "/?speaker=murhaf-abu-qasra"))
        assert quotes(soup(client, "/?speaker=Abu Qasra")) == minister
        assert quotes(soup(client, "/?speaker=ابو قصرة")) == minister  # أبو typed as ابو
        [item] = client.get("/api/claims?speaker=Peskov").json()["items"]
        assert item["speaker"]["slug"] == "dmitry-peskov"
        assert (
            "fits several speakers: Dmitry Ivanov, Dmitry Peskov"
            in client.get("/api/claims?speaker=Dmitry").json()["detail"][0]["msg"]
        )
        for lang, names in (
            ("en", "Dmitry Ivanov, Dmitry Peskov"),
            ("ar", "ديمتري إيفانوف، ديمتري بيسكوف"),
        ):
            response = client.get(f"/?speaker=Dmitry&lang={lang}")
            assert response.status_code == 422
            error = BeautifulSoup(response.text, "html.parser").select_one("#speaker-error")
            assert "'Dmitry'" in error.text and names in error.text, error.text
        client.cookies.clear()  # ?lang= keeps the language in a cookie
        # Each speaker it fits is a link to the selection with that speaker in its place.
        for path in ("/", "/timeline/overview"):
            page = BeautifulSoup(
                client.get(f"{path}?speaker=Dmitry&base=hmeimim").text, "html.parser"
            )
            choices = page.select(".facet-speaker .speaker-choices a")
            assert [a.text for a in choices] == ["Dmitry Ivanov", "Dmitry Peskov"], path
            assert quotes(soup(client, choices[1]["href"])) == peskov
            assert "base=hmeimim" in choices[1]["href"]
        for typed in ("Pesk", "%", "_", "Dmitry%Peskov"):  # a part of a word; LIKE's wildcards
            assert client.get("/", params={"speaker": typed}).status_code == 422, typed

    def test_side_base_stance_dates_and_language(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        assert len(quotes(soup(client, "/?side=RU"))) == 2
        assert len(quotes(soup(client, "/?side=SY&side=RU"))) == 3
        assert len(quotes(soup(client, "/?base=tartus&stance=conditional"))) == 1
        assert len(quotes(soup(client, "/?base=Khmeimim"))) == 3  # a transliteration
        assert quotes(soup(client, "/?base=general")) == []
        assert len(quotes(soup(client, "/?from=2025-02-01&to=2025-02-28"))) == 2
        # An undated claim was not said on or before a date, any more than on or after it.
        assert len(quotes(soup(client, "/?to=2025-12-31"))) == 2
        assert quotes(soup(client, "/?to=2020-01-01")) == []
        assert len(quotes(soup(client, "/?language=ar"))) == 3
        assert len(quotes(soup(client, "/?language=AR"))) == 3  # ISO 639: either case
        assert quotes(soup(client, "/?language=en")) == []

    def test_tags_select_claims_with_any_of_them_counted_beside_each(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """Editors' tags choose claims as the other facets do: in the address, several meaning
        any of them, each with its count beside it, and in the API and the exports."""
        doc = article_doc()
        doc["claims"][0]["tags"] = ["talks", "Tartus port"]
        doc["claims"][2]["tags"] = ["talks"]
        load_doc(maker, tmp_path, doc)
        assert len(quotes(soup(client, "/?tag=talks"))) == 2
        assert len(quotes(soup(client, "/?tag=Tartus+port"))) == 1
        both = soup(client, "/?tag=Tartus+port&tag=talks")
        assert len(quotes(both)) == 2
        # Before its counts come, a chosen tag stands checked, with no count yet.
        waiting = both.select(".facet-tag input")
        assert [(b["value"], b.has_attr("checked")) for b in waiting] == [
            ("Tartus port", True),
            ("talks", True),
        ]
        assert not both.select(".facet-tag .count")
        facet = fragment(client, "/timeline/overview?tag=Tartus+port&stance=stay", "facets")
        counted = {
            box["value"]: (
                box.has_attr("checked"),
                box.find_parent("label").select_one(".count").text,
            )
            for box in facet.select(".facet-tag input")
        }
        assert counted == {"Tartus port": (True, "1"), "talks": (False, "1")}  # within stay
        api = client.get("/api/claims", params={"tag": ["Tartus port", "talks"]}).json()
        assert len(api["items"]) == 2
        exported = client.get("/export.csv", params={"tag": "Tartus port"}).text
        assert len(list(csv.DictReader(io.StringIO(exported)))) == 1
        assert len(client.get("/export.json", params={"tag": "talks"}).json()) == 2

    def test_an_unknown_tag_is_refused_beside_its_facet(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """As an unknown stance is: said beside the facet, left out of the selection and of the
        links that take it away, and a 422 for the API and the exports. Claims without tags are
        no error: the facet says it has none to offer."""
        doc = article_doc()
        doc["claims"][0]["tags"] = ["talks"]
        load_doc(maker, tmp_path, doc)
        response = client.get("/?tag=talks&tag=nope")
        assert response.status_code == 422
        page = BeautifulSoup(response.text, "html.parser")
        assert page.select_one(".facet-tag #tag-error").text == (
            "There is no tag 'nope' in the archive."
        )
        assert len(quotes(page)) == 1
        assert [b["value"] for b in page.select(".facet-tag input")] == ["talks"]
        assert page.select_one("a[href^='/export.csv']")["href"] == "/export.csv?tag=talks"
        for url in ("/api/claims", "/export.csv", "/export.json"):
            refused = client.get(
                url, params={"tag": "nope"}, headers={"Accept": "application/json"}
            )
            assert refused.status_code == 422, url
            assert [(p["loc"], p["msg"]) for p in refused.json()["detail"]] == [
                (["query", "tag"], "There is no tag 'nope' in the archive.")
            ], url
        # Where the selection's claims have no tags, the facet says so, not an empty box.
        untagged = fragment(client, "/timeline/overview?speaker=murhaf-abu-qasra", "facets")
        assert untagged.select_one(".facet-tag .facet-none").text == "None in this selection."
        assert not untagged.select(".facet-stance .facet-none")
        client.cookies.set("lang", "ar")
        arabic = BeautifulSoup(client.get("/?tag=nope").text, "html.parser")
        assert arabic.select_one("#tag-error").text == "لا يوجد وسم 'nope' في الأرشيف."

    def test_a_date_range_holds_a_claim_of_a_month_or_year_only_when_it_holds_all_of_it(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """A claim known only as "2024" or "March 2024" is stored as its first day: a range
        must hold the whole period to hold it, as the chart's January column, which leaves the
        year's claims out, says when clicked."""
        from tests.web.test_actors_line import many_claims_doc

        dates = [("2024-01-01", "year"), ("2024-03-01", "month"), ("2024-01-10", "day")]
        load_doc(maker, tmp_path, many_claims_doc(dates))

        def summaries(url: str) -> list[str]:
            return [s.text for s in soup(client, url).select(".summary")]

        assert summaries("/?from=2024-01-01&to=2024-01-31") == ["Statement 2."]
        assert summaries("/?to=2024-03-15") == ["Statement 2."]
        assert summaries("/?from=2024-03-01&to=2024-03-31") == ["Statement 1."]
        assert summaries("/?from=2024-01-01&to=2024-12-31") == [
            "Statement 1.",
            "Statement 2.",
            "Statement 0.",
        ]
        chart = fragment(client, "/timeline/overview", "chart")
        january = chart.select_one("a.month-link[href*='from=2024-01-01']")
        assert january["aria-label"] == "January 2024: Russia: 1, Syria: 0, Others: 0"
        assert summaries(january["href"]) == ["Statement 2."]

    def test_a_claim_without_a_side_of_its_own_has_its_speaker_s_everywhere(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A later article leaves Peskov's side out: the timeline shows the registry's, Russia,
        so the side filter, its counts, the chart, the API and the export say Russia too."""
        load_doc(maker, tmp_path, article_doc())
        later = article_doc(key="later", url="https://example.org/later")
        later["claims"] = [later["claims"][0]]
        del later["claims"][0]["speaker"]["affiliation"]
        load_doc(maker, tmp_path, later)
        shown = soup(client, "/?side=RU").select("article.claim .side")
        assert [side["aria-label"] for side in shown] == ["Russia"] * 3
        assert quotes(soup(client, "/?side=none")) == []
        facets = fragment(client, "/timeline/overview", "facets")
        counts = {
            box["value"]: box.find_parent("label").select_one(".count").text
            for box in facets.select(".facet-side input")
        }
        assert counts == {"RU": "3", "SY": "1"}
        lanes = positions(session, resolve(session, Selection(), editor=False)).counts
        assert (
            sum(n for (lane, _), stances in lanes.items() if lane == "RU" for n in stances.values())
            == 3
        )
        api = client.get("/api/claims", params={"speaker": "dmitry-peskov"}).json()["items"]
        assert [item["side"] for item in api] == ["RU"] * 3
        exported = client.get("/export.csv", params={"speaker": "dmitry-peskov"}).text
        assert [row["side"] for row in csv.DictReader(io.StringIO(exported))] == ["RU"] * 3

    def test_a_date_typed_in_arabic_indic_digits_is_the_date(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """An Arabic keyboard types ٢٠٢٥-٠٢-٠٦ (or Persian ۲۰۲۵), the same date in other digits,
        in the page's from/to fields or in an address: it was refused as "not a date"."""
        load_doc(maker, tmp_path, article_doc())
        arabic = client.get("/", params={"from": "٢٠٢٥-٠٢-٠١", "to": "۲۰۲۵-۰۲-۲۸"})
        latin = client.get("/", params={"from": "2025-02-01", "to": "2025-02-28"})
        assert arabic.status_code == latin.status_code == 200
        listed = [quotes(BeautifulSoup(r.text, "html.parser")) for r in (arabic, latin)]
        assert listed[0] == listed[1] != []
        api = client.get("/api/claims", params={"from": "٢٠٢٥-٠٢-٠١"})
        assert api.status_code == 200 and api.json()["items"]

    def test_bad_values_are_refused_beside_their_field(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        response = client.get("/?from=last-week&stance=maybe")
        assert response.status_code == 422
        page = BeautifulSoup(response.text, "html.parser")
        assert page.select_one("#from-error").text == (
            "'last-week' is not a date: write it as YYYY-MM-DD, e.g. 2025-02-06"
        )
        assert page.select_one("#from")["aria-invalid"] == "true"
        # Beside its own facet, and left out of the links that take the selection away.
        assert "'maybe' is not one of" in page.select_one(".facet-stance #stance-error").text
        assert page.select_one("a[href^='/export.csv']")["href"] == "/export.csv?"
        refused = client.get("/api/claims?stance=maybe&from=last-week")
        assert refused.status_code == 422
        assert [(p["loc"], p["msg"]) for p in refused.json()["detail"]] == [
            (["query", "stance"], "'maybe' is not one of " + ", ".join(Stance)),
            (
                ["query", "from"],
                "'last-week' is not a date: write it as YYYY-MM-DD, e.g. 2025-02-06",
            ),
        ]
        reversed_range = client.get("/?from=2025-03-01&to=2025-02-01")
        assert reversed_range.status_code == 422
        assert BeautifulSoup(reversed_range.text, "html.parser").select_one("#to-error").text == (
            "2025-02-01 is before the start of the range, 2025-03-01"
        )
        assert client.get("/?from_=2025-03-01").status_code == 200  # the field's own name: unknown
        assert client.get("/api/claims?from_=2025-03-01").status_code == 200
        client.cookies.set("lang", "ar")  # the messages speak the interface's language
        arabic = BeautifulSoup(client.get("/?stance=maybe").text, "html.parser")
        assert arabic.select_one("#stance-error").text.startswith("القيمة 'maybe' ليست من")
        for query, field, words in [
            ("shift=abc", "shift", "ليست 1 ولا 0"),
            ("firsthand=2", "firsthand", "ليست 1 ولا 0"),
            ("q=" + "ق" * 201, "q", "201 حرفًا"),
        ]:
            response = client.get(f"/?{query}")
            assert response.status_code == 422, query
            refusal = BeautifulSoup(response.text, "html.parser").select_one(f"#{field}-error").text
            assert words in refusal, (query, refusal)

    def test_visitors_see_verified_claims_only(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        doc = article_doc()
        doc["claims"][0]["status"] = "extracted"
        load_doc(maker, tmp_path, doc)
        assert len(quotes(soup(client, "/"))) == 2
        assert len(quotes(soup(client, "/?status=extracted"))) == 2  # not theirs to choose

    def test_filters_are_links_with_counts(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        first = soup(client, "/?side=RU")
        form = first.select_one("form#filters")
        assert form["method"] == "get" and form["hx-push-url"] == "true"
        # The page comes with the values at once and their counts after it (htmx, on load).
        waiting = first.select_one("#facets")
        assert waiting["hx-trigger"] == "load" and not waiting.select(".count")
        assert waiting.select_one(".facet-stance input[value=leave]") is not None
        page = fragment(client, waiting["hx-get"], "facets")
        counts = {
            box["value"]: box.find_parent("label").select_one(".count").text
            for box in page.select(".facet-stance input")
        }
        assert counts == {"stay": "2"}  # within the side filter
        sides = {b["value"]: b.has_attr("checked") for b in page.select(".facet-side input")}
        assert sides == {"RU": True, "SY": False}  # the side facet ignores its own filter

    def test_a_chosen_value_that_counts_nothing_stays_chosen(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """No Russian claim says leave: the box stays, checked, at 0, so that the next Apply
        keeps the filter and the reader can see it and take it off."""
        load_doc(maker, tmp_path, article_doc())
        page = fragment(client, "/timeline/overview?side=RU&stance=leave", "facets")
        boxes = {
            box["value"]: (box.has_attr("checked"), box.find_parent("label").select_one(".count"))
            for box in page.select(".facet-stance input")
        }
        assert {value: (checked, count.text) for value, (checked, count) in boxes.items()} == {
            "stay": (False, "2"),
            "leave": (True, "0"),
        }


class TestSearch:
    def test_hamza_taa_marbuta_diacritics_and_clitics(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        for q in [
            "اذا",
            "إذا",
            "قاعدة",
            "القاعدتان",
            "قاعدتي",
            "طرطوس",
            "Tartous",
            "Хмеймим",
            "لسوريا",
        ]:
            assert quotes(soup(client, f"/?q={q}")), q
        assert len(quotes(soup(client, "/?q=منفتحه"))) == 1
        assert len(quotes(soup(client, "/?q=بيسكوف"))) == 3  # in the article's title

    def test_syria_in_either_spelling_and_words_in_presentation_forms(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """سورية is SANA's spelling of سوريا; ﻗﺎﻋﺪﺓ is قاعدة as text copied from a PDF comes."""
        doc = article_doc(text=TEXT.replace("سوريا", "سورية"))
        doc["claims"][2]["quote"] = doc["claims"][2]["quote"].replace("سوريا", "سورية")
        load_doc(maker, tmp_path, doc)
        abu_qasra = "دمشق منفتحة على بقاء القاعدتين إذا خدمتا مصالح سورية"
        for q in ("سوريا", "سورية", "Syria", "Сирия"):
            assert quotes(soup(client, f"/?q={q}")) == [abu_qasra], q
        plain = quotes(soup(client, "/?q=قاعدة"))
        assert plain and quotes(soup(client, "/?q=ﻗﺎﻋﺪﺓ")) == plain

    def test_numbers_in_any_digits(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """Numbers are written in Western (2254), Arabic-Indic (٢٢٥٤) or Persian digits (۲۲۵۴, as
        a Persian keyboard types them): the stemmer reads the first two alike, not the third, so
        a number typed in Persian digits found nothing."""
        peskov = "القوات الروسية باقية في قاعدتي حميميم وطرطوس"
        said = f"{peskov} وفق القرار ٢٢٥٤"
        doc = article_doc(text=TEXT.replace(peskov, said))
        doc["claims"][0] |= {"quote": said, "end": doc["claims"][0]["start"] + len(said)}
        for later in doc["claims"][1:]:
            later["start"] += len(said) - len(peskov)
            later["end"] += len(said) - len(peskov)
        load_doc(maker, tmp_path, doc)
        for q in ("2254", "٢٢٥٤", "۲۲۵۴"):
            page = soup(client, f"/?q={q}")
            assert quotes(page) == [said], q
            assert [m.text for m in page.select(".quote mark")] == ["٢٢٥٤"], q

    def test_an_abbreviation_written_with_dots_is_one_word(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """PostgreSQL reads "U.S." as one word (u.s); the search read it as "u" (looked for as
        a prefix) and "s": it found every statement with a word starting with u, and marked
        none of its U.S."""
        doc = article_doc()
        doc["claims"][0]["summary_en"] = "Peskov says U.S. pressure will not move the bases."
        doc["claims"][1]["summary_en"] = "Peskov: it is unclear who asked us to withdraw."
        load_doc(maker, tmp_path, doc)
        for q in ("U.S.", "u.s", "U.S. pressure"):
            page = soup(client, f"/?q={q}")
            assert [s.text for s in page.select(".summary")] == [doc["claims"][0]["summary_en"]], q
            assert [m.text for m in page.select(".summary mark")][:1] == ["U.S"], q

    def test_a_word_too_short_to_be_a_prefix_is_looked_for_whole(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """A Latin word is looked for as a prefix (withdraw finds withdrawal): UN found every
        statement with a word starting with "un" (unclear), and al-Sharaa marked "also"."""
        doc = article_doc()
        doc["claims"][0]["summary_en"] = "The UN envoy says al-Sharaa wants the bases to stay."
        doc["claims"][1]["summary_en"] = "Peskov: it is unclear who also asked us to withdraw."
        load_doc(maker, tmp_path, doc)
        un = soup(client, "/?q=UN")
        assert [s.text for s in un.select(".summary")] == [doc["claims"][0]["summary_en"]]
        sharaa = soup(client, "/?q=al-Sharaa")
        assert {m.text for m in sharaa.select(".summary mark")} == {"al", "Sharaa"}
        assert len(quotes(soup(client, "/?q=withdraw"))) == 1

    def test_english_words_stem_in_summaries(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        page = soup(client, "/?q=withdrawing")
        assert [m.text for m in page.select(".summary mark")] == ["withdraw"]

    def test_a_search_of_only_common_words_says_so(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The word "the" is in every English text, so it is not indexed: alone, it finds
        nothing, for want of a word to look for; the page says that, not that no claim
        matches."""
        load_doc(maker, tmp_path, article_doc())
        empty = soup(client, "/?q=the&stance=stay").select_one(".empty")
        assert " ".join(empty.text.split()) == (
            "The words searched for, “the”, are all too common to look for: add a rarer one."
            " Remove the search"
        )
        assert empty.select_one("a")["href"] == "/?stance=stay"
        assert len(quotes(soup(client, "/?q=the withdrawing"))) == 1
        unmatched = soup(client, "/?q=submarine").select_one(".empty").text
        assert unmatched.startswith("No claims match these filters.")

    def test_matched_words_are_marked(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        page = soup(client, "/?q=Khmeimim")
        assert {m.text for m in page.select(".quote mark")} == {"حميميم"}
        assert {m.text for m in page.select(".summary mark")} == {"Hmeimim"}


class TestShiftsAndSources:
    def test_a_changed_stance_is_marked_and_filterable(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        doc = article_doc()
        doc["claims"][1].update(stance="leave", stated_on="2025-02-07")
        load_doc(maker, tmp_path, doc)
        page = soup(client, "/?shift=1")
        assert quotes(page) == ["«لا نخطط لسحب قواتنا»"]
        assert "stay" in page.select_one(".shift").text

    def test_first_hand_against_relayed(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        doc = article_doc()
        doc["claims"][0]["via"] = ["TASS"]
        load_doc(maker, tmp_path, doc)
        assert len(quotes(soup(client, "/?firsthand=1"))) == 2
        assert len(quotes(soup(client, "/?firsthand=0"))) == 1

    def test_a_relayed_statement_reads_with_the_interface_s_comma(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The row's source line is a kept fragment: it writes the Arabic comma in Arabic too,
        and the relay chain's arrow (TASS heard RTVI) points at RTVI in either direction."""
        doc = article_doc()
        doc["claims"][0]["via"] = ["TASS", "RTVI"]
        load_doc(maker, tmp_path, doc)
        english = [p.text for p in soup(client, "/").select("p.source") if "TASS" in p.text]
        arabic = [p.text for p in soup(client, "/?lang=ar").select("p.source") if "TASS" in p.text]
        assert english[0].startswith("Test Outlet, via TASS ← RTVI")
        assert arabic[0].startswith("Test Outlet، عبر TASS → RTVI")  # read right to left


class TestExportsAndApi:
    def test_the_articles_zip_holds_only_the_claims_its_reader_may_see(
        self, client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """A visitor's files carry the verified claims alone; an editor's, every claim."""
        doc = article_doc()
        doc["claims"][1]["status"] = "extracted"
        doc["claims"][2]["status"] = "rejected"
        load_doc(maker, tmp_path, doc)

        def statuses(reader: TestClient) -> list[str]:
            response = reader.get("/export.articles.zip")
            assert response.status_code == 200, response.text
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                [name] = archive.namelist()
                return [
                    c.get("status", "verified") for c in json.loads(archive.read(name))["claims"]
                ]

        assert statuses(client) == ["verified"]
        editors = TestClient(client.app)
        sign_in(editors, session)
        assert sorted(statuses(editors)) == ["extracted", "rejected", "verified"]
        with zipfile.ZipFile(io.BytesIO(editors.get("/export.articles.zip").content)) as archive:
            [name] = archive.namelist()
            in_zip = archive.read(name).decode()
        assert in_zip.endswith("}\n")  # as `basewatch export` writes a file (a text file's end)

    @pytest.mark.parametrize("export", ["/export.csv", "/export.json", "/export.articles.zip"])
    def test_exports_at_once_are_bounded_so_that_pages_keep_their_connections(
        self, client: TestClient, export: str
    ) -> None:
        """Each export holds a pooled connection while it streams, up to its 5 minutes: 30 slow
        downloads took the pool (20 + 10), and every page waited for one. Past EXPORTS_AT_ONCE,
        an export is refused at once with 503 and Retry-After, and pages still answer."""
        for _ in range(EXPORTS_AT_ONCE + 1):  # one after another: each gives its slot back
            assert client.get(export).status_code == 200
        slots = client.app.state.export_slots  # type: ignore[attr-defined]
        for _ in range(EXPORTS_AT_ONCE):
            assert slots.acquire(blocking=False)
        try:
            refused = client.get(export, headers={"Accept": "text/html"})
            assert refused.status_code == 503 and refused.headers["Retry-After"] == "60"
            assert "Too many downloads" in refused.text
            assert client.get("/").status_code == 200
        finally:
            for _ in range(EXPORTS_AT_ONCE):
                slots.release()
        assert client.get(export).status_code == 200

    def test_head_on_an_export_answers_its_headers_without_running_it(
        self, client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """Every timeline page links to the exports: a link checker's HEAD ran the whole export
        and threw it away. It reads no article now (PostgreSQL counts this transaction's scans);
        a refused selection is still refused."""
        load_doc(maker, tmp_path, article_doc())

        def articles_read() -> int:
            scans = "SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
            return session.execute(text(scans + " WHERE relname = 'articles'")).scalar_one()

        for url in ("/export.csv", "/export.json", "/export.articles.zip"):
            before = articles_read()
            head = client.head(url)
            assert articles_read() == before, url
            got = client.get(url)
            assert articles_read() > before, url  # the probe sees an export that runs
            assert head.status_code == got.status_code == 200, url
            assert head.content == b"", url
            for name in ("content-type", "content-disposition"):
                assert head.headers[name] == got.headers[name], (url, name)
            assert "content-length" not in head.headers, url  # known once the export has run
            assert client.head(url + "?speaker=nobody").status_code == 422, url

    def test_the_articles_zip_names_keys_that_differ_only_in_case_apart(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """`Gen-1` and `gen-1` are two articles, but `Gen-1.json` and `gen-1.json` one file once
        unzipped on macOS or Windows: the second took the first's place. The loader reads the
        key from the file, so the renamed file loads back as its own article, unchanged."""
        for key in ("Gen-1", "gen-1"):
            load_doc(maker, tmp_path, article_doc(key=key, url=f"https://example.org/{key}"))
        response = client.get("/export.articles.zip")
        assert response.status_code == 200, response.text
        unzipped = tmp_path / "unzipped"
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = archive.namelist()
            archive.extractall(unzipped)
        assert len({name.casefold() for name in names}) == len(names) == 2, names
        report = load_paths(maker, [unzipped], max_bytes=10**7)
        assert report.refused == [] and report.articles == {Outcome.UNCHANGED: 2}, report

    def test_csv_has_a_bom_and_the_selection(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        response = client.get("/export.csv?side=RU")
        assert response.headers["content-type"].startswith("text/csv")
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeffid,stated_on")
        lines = text.strip().splitlines()
        assert len(lines) == 3 and "حميميم" in text

    def test_json_export_and_api_pages(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        assert len(client.get("/export.json").json()) == 3
        first = client.get("/api/claims?base=hmeimim").json()
        item = first["items"][0]
        assert {"id", "url", "speaker", "stated_on", "stance", "bases", "quote"} <= item.keys()
        assert first["next"] is None and len(first["items"]) == 3
        assert "/api/claims" in client.get("/openapi.json").json()["paths"]

    def test_exports_and_api_give_each_claim_its_tags_read_with_the_claims(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A `tags` column in the CSV and a `tags` list in the JSON and the API, in their order,
        read with the page's or the file's claims, not by a query per claim."""
        doc = article_doc()
        doc["claims"][0]["tags"] = ["talks", "Tartus port", "=cmd"]
        doc["claims"][1]["tags"] = ["talks"]
        load_doc(maker, tmp_path, doc)
        tagged = ["=cmd", "Tartus port", "talks"]
        with statements_sent(session) as asked:
            api = client.get("/api/claims").json()["items"]
            exported = client.get("/export.json").json()
        assert [item["tags"] for item in api] == [["talks"], tagged, []]
        assert [row["tags"] for row in exported] == [["talks"], tagged, []]
        assert sum("claim_tags" in sql for sql in asked) == 2  # one for each, whatever the claims
        rows = csv.DictReader(io.StringIO(client.get("/export.csv").text))
        # Joined as bases and via are, and a formula's start defused as in every other column.
        assert [row["tags"] for row in rows] == ["talks", "'=cmd; Tartus port; talks", ""]
        schema = client.get("/openapi.json").json()["components"]["schemas"]["ClaimOut"]
        assert schema["properties"]["tags"]["type"] == "array" and "tags" in schema["required"]

    def test_the_schema_gives_the_exports_the_api_s_filters_and_their_own_media_types(
        self, client: TestClient
    ) -> None:
        """A program written from /openapi.json found the exports without a parameter, and
        the CSV and the zip described as JSON."""
        paths = client.get("/openapi.json").json()["paths"]
        filters = {p["name"] for p in paths["/api/claims"]["get"]["parameters"]} - {"after"}
        exports = {"csv": "text/csv", "json": "application/json", "articles.zip": "application/zip"}
        for suffix, media_type in exports.items():
            operation = paths[f"/export.{suffix}"]["get"]
            assert {p["name"] for p in operation.get("parameters", [])} == filters, suffix
            assert list(operation["responses"]["200"]["content"]) == [media_type], suffix
            assert "422" in operation["responses"], suffix

    def test_the_schema_offers_the_switches_values_the_api_takes(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """`shift` was described as a boolean: a client built from the schema sent `true`, which
        the timeline's switch refuses (422) as it takes only 1 and 0."""
        load_doc(maker, tmp_path, article_doc())
        operation = client.get("/openapi.json").json()["paths"]["/api/claims"]["get"]
        schemas = {p["name"]: p["schema"] for p in operation["parameters"]}
        for switch in ("shift", "firsthand"):
            [values] = [s["enum"] for s in schemas[switch]["anyOf"] if "enum" in s]
            for value in values:
                assert client.get(f"/api/claims?{switch}={value}").status_code == 200, value

    def test_actor_type_ahead(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        assert client.get("/api/actors?q=بيسكو").json()[0]["slug"] == "dmitry-peskov"
        options = BeautifulSoup(client.get("/actors/suggest?speaker=peskov").text, "html.parser")
        assert options.select_one("option")["value"] == "dmitry-peskov"

    def test_the_type_ahead_folds_the_spellings_search_folds(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The search box takes مسؤول and مسئول (the hamza on either seat), and letters a Persian
        keyboard types (ی, ک), as one word: the type-ahead and the speaker filter found a name
        only as its aliases spell it."""
        doc = article_doc()
        doc["claims"][0]["speaker"] |= {"name": "مسؤول روسي", "name_en": "A Russian official"}
        load_doc(maker, tmp_path, doc)
        for typed in ("مسئول", "مسؤول روسي", "مسئول روسی", "بیسکوف"):
            found = [a["slug"] for a in client.get("/api/actors", params={"q": typed}).json()]
            assert found, typed
            options = client.get("/actors/suggest", params={"speaker": typed}).text
            assert BeautifulSoup(options, "html.parser").select_one("option"), typed
        page = client.get("/", params={"speaker": "مسئول روسی"})
        assert page.status_code == 200
        assert len(BeautifulSoup(page.text, "html.parser").select("article.claim")) == 1

    def test_the_type_ahead_keeps_an_override_in_the_name_that_holds_it(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """An <option> holds text only, no <bdi>: a right-to-left override in a speaker's Arabic
        name reversed their English name after it. Each name is isolated, as in a <bdi>."""
        doc = article_doc()
        doc["claims"][0]["speaker"] |= {"name": "\u202eمتحدث", "name_en": "Unknown Spokesman"}
        load_doc(maker, tmp_path, doc)
        options = BeautifulSoup(client.get("/actors/suggest?speaker=spokesman").text, "html.parser")
        assert options.select_one("option").text == (
            "\u2068\u202eمتحدث\u2069 · \u2068Unknown Spokesman\u2069"
        )

    def test_the_type_ahead_puts_the_speaker_named_exactly_first(
        self, client: TestClient, maker: sessionmaker[Session]
    ) -> None:
        """ "Kremlin" is a word of Peskov's title ("Kremlin spokesman"), a whole match as good
        as the Kremlin's own name to word similarity: he came first, by his name."""
        registry = Path(__file__).parents[2] / "seeds" / "actors.json"
        assert load_paths(maker, [registry], max_bytes=10**7).refused == []
        for typed in ("kremlin", "الكرملين"):
            found = [a["slug"] for a in client.get("/api/actors", params={"q": typed}).json()]
            assert found[0] == "kremlin" and "dmitry-peskov" in found, (typed, found)


class TestPages:
    def test_actor_and_base_pages(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        actor = soup(client, "/actors/dmitry-peskov")
        assert "Dmitry Peskov" in actor.h1.text and len(quotes(actor)) == 2
        assert actor.select("svg circle")
        base = soup(client, "/bases/tartus")
        assert len(quotes(base)) == 3 and base.select_one("svg title")
        assert client.get("/actors/nobody").status_code == 404
        assert client.get("/bases/latakia").status_code == 404

    def test_the_icon_is_found_where_browsers_look_for_it(self, client: TestClient) -> None:
        icon = client.get("/favicon.ico", follow_redirects=False)
        assert icon.status_code == 301 and "favicon.svg" in icon.headers["location"]
        assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"

    def test_a_speaker_with_no_public_statement_says_so(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        doc = article_doc()
        for claim in doc["claims"][:2]:  # Peskov's
            claim["status"] = "rejected"
        load_doc(maker, tmp_path, doc)
        actor = soup(client, "/actors/dmitry-peskov")
        assert (
            actor.select_one(".empty").text
            == "No statement by Dmitry Peskov is in the archive yet."
        )
        assert not actor.select("svg")  # no empty stance line

    @pytest.mark.usefixtures("keeping")
    def test_a_speakers_stance_line_follows_a_correction(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The drawn line is kept between requests, never past a change to the claims. The page
        is built afresh each time: a whole page kept follows the archive's state (tested with real
        commits in test_speaker_base_and_article_pages_are_sent_again_until_a_write_commits),
        which this test's savepoints leave as it was."""
        load_doc(maker, tmp_path, article_doc())

        def dots() -> list[str]:
            page = soup(client, "/actors/dmitry-peskov", AFRESH)
            return [c["class"][1] for c in page.select("circle")]

        before = dots()
        assert before == dots() and "bar-leave" not in before
        with maker.begin() as session:
            session.execute(
                text(
                    "UPDATE claims SET stance = 'leave', updated_at = updated_at + interval '1 s'"
                    " WHERE speaker_id = (SELECT id FROM actors WHERE slug = 'dmitry-peskov')"
                )
            )
        assert set(dots()) == {"bar-leave"}

    @pytest.mark.usefixtures("keeping")
    def test_a_bases_chart_follows_a_correction(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The base's chart is kept between requests, never past a change to the claims (the
        page built afresh, as above)."""
        load_doc(maker, tmp_path, article_doc())

        def bars() -> set[str]:
            return {b["class"][1] for b in soup(client, "/bases/tartus", AFRESH).select("rect.bar")}

        before = bars()
        assert before == bars() and "bar-leave" not in before
        with maker.begin() as session:
            session.execute(
                text("UPDATE claims SET stance = 'leave', updated_at = updated_at + interval '1 s'")
            )
        assert bars() == {"bar-leave"}

    def test_chart_months_link_to_themselves(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        slot = soup(client, "/").select_one("#chart")
        # Until the months are counted, the slot holds the chart's empty frame, of its size.
        assert slot["hx-trigger"] == "load" and not slot.select("a.month-link")
        frame = slot.select_one("figure[aria-busy=true] svg")
        page = fragment(client, slot["hx-get"], "chart")
        assert frame["viewbox"] == page.select_one("svg")["viewbox"]
        month = page.select_one("a.month-link")
        assert month["href"] == "/?from=2025-02-01&to=2025-02-28"
        assert page.select_one(".chart-table td") is not None


class TestOverviewAfterThePage:
    def test_without_javascript_the_overview_page_has_counts_and_chart(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        link = soup(client, "/?base=tartus").select_one("#facets noscript a")
        page = soup(client, link["href"])
        assert page.select_one("form#filters") and len(quotes(page)) == 3
        stay = page.select_one(".facet-stance input[value=stay]").find_parent("label")
        assert stay.select_one(".count").text == "2"
        assert page.select_one("#chart a.month-link") is not None
        assert not page.select("[hx-trigger=load]")

    def test_unchanged_counts_answer_304_and_a_changed_claim_renews_them(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        load_doc(maker, tmp_path, article_doc())
        first = client.get("/timeline/overview?side=RU", headers=FACETS_SWAP)
        tag = first.headers["etag"]
        again = client.get(
            "/timeline/overview?side=RU", headers=FACETS_SWAP | {"If-None-Match": tag}
        )
        assert again.status_code == 304 and again.content == b""
        other = client.get("/timeline/overview?side=SY", headers=FACETS_SWAP)
        assert other.headers["etag"] != tag
        with maker.begin() as session:
            session.execute(
                text("UPDATE claims SET stance = 'leave', updated_at = updated_at + interval '1 s'")
            )
        renewed = client.get(
            "/timeline/overview?side=RU", headers=FACETS_SWAP | {"If-None-Match": tag}
        )
        assert renewed.status_code == 200
        counts = BeautifulSoup(renewed.text, "html.parser").select(".facet-stance .count")
        assert [c.text for c in counts] == ["2"]
        leave = BeautifulSoup(renewed.text, "html.parser").select_one(".facet-stance input")
        assert leave["value"] == "leave"

    def test_an_editor_s_overview_is_stored_nowhere_as_every_editor_s_page(
        self, client: TestClient, session: Session, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The whole page carries the editor's CSRF token and unreviewed claims, its counts
        count them: `private, no-store` and built every time, as the timeline is for editors."""
        load_doc(maker, tmp_path, article_doc())
        sign_in(client, session)
        for headers in ({}, FACETS_SWAP, {"HX-Request": "true", "HX-Target": "chart"}):
            response = client.get("/timeline/overview?base=tartus", headers=headers)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "private, no-store", headers
            assert "etag" not in response.headers
        assert "X-CSRF-Token" in client.get("/timeline/overview").text

    def test_a_renamed_speaker_renews_the_speaker_counts(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The speaker facet shows names: a rename must reach it though no claim changed."""
        load_doc(maker, tmp_path, article_doc())
        first = client.get("/timeline/overview", headers=FACETS_SWAP)
        with maker.begin() as session:
            session.execute(
                text(
                    "UPDATE actors SET name_en = 'Dmitri S. Peskov',"
                    " updated_at = updated_at + interval '1 s' WHERE slug = 'dmitry-peskov'"
                )
            )
        renewed = client.get("/timeline/overview", headers=FACETS_SWAP)
        assert renewed.headers["etag"] != first.headers["etag"]
        speakers = BeautifulSoup(renewed.text, "html.parser").select(".facet-speaker bdi")
        assert "Dmitri S. Peskov" in [s.text for s in speakers]

    def test_an_article_s_corrected_language_renews_the_language_counts(
        self, fresh_database_url: str, tmp_path: Path
    ) -> None:
        """A claim's language is its article's, copied by a trigger: correcting the article's
        must count as a change to its claims, or the counts kept until the next change, and
        the browser's copy, would go on saying Arabic. Real commits, in a database of the
        test's own: within one transaction, every change has the same `now()`."""
        engine = create_engine(fresh_database_url)
        committing = sessionmaker(engine, expire_on_commit=False)
        load_doc(committing, tmp_path, article_doc())
        with TestClient(create_app(Settings(DATABASE_URL=fresh_database_url))) as client:
            first = client.get("/timeline/overview", headers=FACETS_SWAP)
            load_doc(committing, tmp_path, article_doc(language="en"))  # the file, corrected
            again = {"If-None-Match": first.headers["etag"]}
            renewed = client.get("/timeline/overview", headers=FACETS_SWAP | again)
        engine.dispose()
        assert renewed.status_code == 200
        counts = {
            label.select_one("input")["value"]: label.select_one(".count").text
            for label in BeautifulSoup(renewed.text, "html.parser").select(".facet-language label")
        }
        assert counts == {"en": "3"}


class TestBroadSelections:
    """A selection too broad to count within a request is counted in the background; meanwhile
    every filter can still be chosen, and the page asks again until the counts are there."""

    @pytest.fixture
    def broad(
        self, fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> Iterator[TestClient]:
        """Committed claims (the background thread reads them on a connection of its own), and
        a request budget that no selection fits."""
        engine = make_engine(fresh_database_url)
        load_doc(make_sessionmaker(engine), tmp_path, article_doc())
        engine.dispose()
        monkeypatch.setattr(timeline, "ON_REQUEST", replace(ON_REQUEST, max_rows=0))
        with TestClient(create_app(Settings(DATABASE_URL=fresh_database_url))) as client:
            yield client

    def test_the_counts_follow_from_the_background(self, broad: TestClient) -> None:
        waiting = fragment(broad, "/timeline/overview?base=tartus", "facets")
        facets = waiting.select_one("#facets")
        assert facets["aria-busy"] == "true" and facets["hx-trigger"] == "load delay:1s"
        assert "Counting…" in waiting.select_one(".facet-stance .facet-slow").text
        stances = [i["value"] for i in waiting.select(".facet-stance input")]
        assert stances == [s.value for s in Stance] and not waiting.select(".facet-stance .count")
        counted = settled(lambda: fragment(broad, facets["hx-get"], "facets"), "#facets")
        assert not counted.select(".facet-slow") and stance_count(counted, "stay") == "2"
        speakers = [b.text for b in counted.select(".facet-speaker bdi")]
        assert speakers == ["Dmitry Peskov", "Murhaf Abu Qasra"]

    def test_past_the_queue_a_selection_is_left_uncounted_but_choosable(
        self, broad: TestClient
    ) -> None:
        cast(FastAPI, broad.app).state.background_counts = BackgroundCounts(max_waiting=0)
        page = fragment(broad, "/timeline/overview?base=tartus", "facets")
        assert not page.select_one("#facets").has_attr("hx-get")
        assert "took too long" in page.select_one(".facet-side .facet-slow").text
        bases = [i["value"] for i in page.select(".facet-base input")]
        assert bases == ["hmeimim", "tartus", "general"]

    def test_after_a_change_the_counts_of_a_moment_ago_show_until_the_new_ones_come(
        self, broad: TestClient, fresh_database_url: str
    ) -> None:
        url = "/timeline/overview?base=tartus"
        counted = settled(lambda: fragment(broad, url, "facets"), "#facets")
        assert stance_count(counted, "stay") == "2"
        engine = make_engine(fresh_database_url)
        with engine.begin() as conn:  # an editor's correction
            conn.execute(
                text(
                    "UPDATE claims SET stance = 'leave', updated_at = now() WHERE id ="
                    " (SELECT min(id) FROM claims WHERE stance = 'stay' AND 'tartus' = ANY(bases))"
                )
            )
        engine.dispose()
        updating = fragment(broad, url, "facets")
        assert updating.select_one("#facets")["aria-busy"] == "true"
        assert "Updating the counts" in updating.select_one(".facets-updating").text
        assert stance_count(updating, "stay") == "2"
        renewed = settled(lambda: fragment(broad, url, "facets"), "#facets")
        assert not renewed.select(".facet-slow")
        assert (stance_count(renewed, "stay"), stance_count(renewed, "leave")) == ("1", "1")

    @pytest.fixture
    def slow_chart(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Months that take longer to count than a request's budget for the chart."""

        def slow_positions(session: Session, scope: Scope) -> Positions:
            session.execute(text("SELECT pg_sleep(0.3)"))
            return positions(session, scope)

        monkeypatch.setattr(timeline, "positions", slow_positions)
        monkeypatch.setattr(timeline, "CHART_BUDGET_MS", 50)

    @pytest.mark.usefixtures("slow_chart")
    def test_a_chart_too_slow_for_a_request_follows(self, broad: TestClient) -> None:
        waiting = fragment(broad, "/timeline/overview?base=hmeimim", "chart")
        assert waiting.select_one("#chart")["hx-trigger"] == "load delay:1s"
        assert waiting.select_one("figure.chart-waiting[aria-busy=true]")
        drawn = settled(
            lambda: fragment(broad, "/timeline/overview?base=hmeimim", "chart"), "#chart"
        )
        assert drawn.select_one("#chart a.month-link") is not None
        base = settled(lambda: soup(broad, "/bases/tartus"), "#base-chart")
        assert base.select_one("#base-chart a.month-link") is not None and quotes(base)

    @pytest.mark.usefixtures("slow_chart")
    def test_a_chart_too_slow_even_in_the_background_says_so(
        self, broad: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(timeline, "IN_BACKGROUND", replace(IN_BACKGROUND, facet_ms=50))
        page = settled(
            lambda: fragment(broad, "/timeline/overview?base=hmeimim", "chart"), "#chart"
        )
        assert "took too long" in page.select_one(".chart-slow").text
        assert not page.select("svg")
        base = settled(lambda: soup(broad, "/bases/tartus"), "#base-chart")
        assert base.select_one("#base-chart .chart-slow") and quotes(base)


def stance_count(page: BeautifulSoup, stance: str) -> str:
    label = page.select_one(f".facet-stance input[value={stance}]").find_parent("label")
    return str(label.select_one(".count").text)


def settled(ask: Callable[[], BeautifulSoup], slot: str) -> BeautifulSoup:
    """What `ask` answers once nothing is counted for `slot` in the background any more (htmx
    asks again while something is)."""
    deadline = time.monotonic() + 20
    page = ask()
    while page.select_one(slot).has_attr("hx-get") and time.monotonic() < deadline:
        time.sleep(0.1)
        page = ask()
    return page


def headings_and_claims(html: str) -> list[str]:
    """The page's month (h2) and day (h3) headings by their text, and its rows as "claim"."""
    page = BeautifulSoup(html, "html.parser")
    return [
        "claim" if el.name == "article" else f"{el.name}:{el.text.strip()}"
        for el in page.select("h2.month-heading, h3.day-heading, article.claim")
    ]


class TestHeadingsOfMixedPrecisions:
    """Claims known only by their month or year are stored as its first day, among the claims
    of that day: ordered by id, they mixed "2025", "January 2025" and "2025" again."""

    def test_a_date_s_claims_are_shown_finest_first_under_each_heading_once(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        from tests.web.test_actors_line import many_claims_doc

        dates = [
            ("2024-12-20", "day"),
            *[("2025-01-01", p) for p in ("year", "day", "month", "day", "year", "month")],
            ("2025-02-03", "day"),
        ]
        load_doc(maker, tmp_path, many_claims_doc(dates))
        assert headings_and_claims(client.get("/").text) == [
            "h2:February 2025", "h3:3 Feb 2025", "claim",
            "h2:January 2025", "h3:1 Jan 2025", "claim", "claim", "claim", "claim",
            "h2:2025", "claim", "claim",
            "h2:December 2024", "h3:20 Dec 2024", "claim",
        ]  # fmt: skip

    def test_a_page_that_showed_a_year_last_is_continued_under_the_next_claim_s_own_day(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The first page ends, by id, on a claim of 1 Jan 2025, but shows last one of "2025":
        the next page's claim of 1 Jan 2025 opens its month and day again, not sitting under
        "2025"."""
        from tests.web.test_actors_line import many_claims_doc

        dates = [(f"2025-02-{(i % 19) + 2:02d}", "day") for i in range(48)]
        dates += [("2025-01-01", "day"), ("2025-01-01", "day"), ("2025-01-01", "year")]
        load_doc(maker, tmp_path, many_claims_doc(dates))
        first = client.get("/")
        more = BeautifulSoup(first.text, "html.parser").select_one("a#more")["hx-get"]
        second = client.get(more, headers={"HX-Request": "true", "HX-Target": "more"})
        assert headings_and_claims(first.text)[-5:] == [
            "h2:January 2025", "h3:1 Jan 2025", "claim", "h2:2025", "claim"
        ]  # fmt: skip
        assert headings_and_claims(second.text) == ["h2:January 2025", "h3:1 Jan 2025", "claim"]


class TestHeadingsAcrossPages:
    """The second page continues the first one's headings: it opens a month or a day only when
    its first claim's differs from the last claim of the page before."""

    def pages(
        self,
        client: TestClient,
        maker: sessionmaker[Session],
        tmp_path: Path,
        last_two: list[tuple[str | None, str]],
    ) -> tuple[list[str], list[str]]:
        """Headings and rows of the timeline's two pages: 49 claims of 2-20 Feb 2025, then two
        more (`last_two`: date and precision), the second of which ends the first page."""
        from tests.web.test_actors_line import many_claims_doc

        dates = [(f"2025-02-{(i % 19) + 2:02d}", "day") for i in range(49)] + last_two
        load_doc(maker, tmp_path, many_claims_doc(dates))  # of one date, the later id sorts first
        first = client.get("/")
        more = BeautifulSoup(first.text, "html.parser").select_one("a#more")["hx-get"]
        second = client.get(more, headers={"HX-Request": "true", "HX-Target": "more"})
        assert second.status_code == 200
        return headings_and_claims(first.text), headings_and_claims(second.text)

    def test_after_a_page_ending_on_a_year_the_1st_of_january_opens_its_month_and_day(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The first page ends on a claim known only as "2025" (stored as 1 Jan 2025); the next
        opens with one of 1 Jan 2025, under "January 2025" and "1 Jan 2025", as it would on a
        single page: not under the year's heading, as if the 1st of January were its day."""
        first, second = self.pages(
            client, maker, tmp_path, [("2025-01-01", "day"), ("2025-01-01", "year")]
        )
        assert first[-2:] == ["h2:2025", "claim"]
        assert second == ["h2:January 2025", "h3:1 Jan 2025", "claim"]

    def test_after_a_page_ending_on_a_month_the_1st_of_it_opens_its_day(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """The first page ends on a claim known only as "Feb 2025" (stored as 1 Feb 2025); the
        next opens with one of 1 Feb 2025, under its day's heading: still February, so no month
        heading."""
        first, second = self.pages(
            client, maker, tmp_path, [("2025-02-01", "day"), ("2025-02-01", "month")]
        )
        assert first[0] == "h2:February 2025" and first.count("h2:February 2025") == 1
        assert second == ["h3:1 Feb 2025", "claim"]

    def test_after_a_page_ending_on_the_1st_the_same_day_goes_on_without_headings(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """A page that ends on a claim of 1 Feb 2025 itself: the next page's claim of the same
        day continues under the heading above it."""
        first, second = self.pages(
            client, maker, tmp_path, [("2025-02-01", "day"), ("2025-02-01", "day")]
        )
        assert first[-2:] == ["h3:1 Feb 2025", "claim"]
        assert second == ["claim"]

    def test_after_a_page_ending_on_the_1st_a_claim_of_the_month_opens_nothing(
        self, client: TestClient, maker: sessionmaker[Session], tmp_path: Path
    ) -> None:
        """A page that ends on a claim of 1 Feb 2025; the next opens with one known only as
        "Feb 2025": the same month, and no day of its own."""
        first, second = self.pages(
            client, maker, tmp_path, [("2025-02-01", "month"), ("2025-02-01", "day")]
        )
        assert first[-2:] == ["h3:1 Feb 2025", "claim"]
        assert second == ["claim"]
