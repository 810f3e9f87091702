import io
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from PIL import Image, ImageChops, features
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.batch import load_paths
from app.ingest.records import record_of
from app.models import Claim, Revision
from app.models.vocab import ChangeSource
from app.services import corroboration
from app.services.actors import merge_actors
from app.services.claim_edits import apply_edit
from app.web.share_image import Run, ShareCard, has_glyph, render_card, runs
from app.web.urls import claim_url
from tests.editors import make_user, sign_in
from tests.factories import TEXT, article_doc, write_json
from tests.queries.test_corroboration import group

REFERENCE = Path(__file__).parent / "reference" / "share-arabic.png"


def load_docs(maker: sessionmaker[Session], tmp_path: Path, *docs: dict[str, Any]) -> None:
    paths = [write_json(tmp_path / f"{i}.json", doc) for i, doc in enumerate(docs)]
    assert load_paths(maker, paths, max_bytes=10**7).refused == []


def claims(session: Session) -> list[Claim]:
    """Every claim, loaded as `claim_url` needs them, in load order."""
    from sqlalchemy.orm import selectinload

    return list(
        session.scalars(select(Claim).options(selectinload(Claim.speaker)).order_by(Claim.id))
    )


def edit(session: Session, claim: Claim, **fields: Any) -> None:
    """Change fields as an editor does: a new version, one revision per field, at a later time
    (the test's transaction would otherwise stamp every change with its own start time)."""
    from sqlalchemy.orm import selectinload

    claim = session.scalars(
        select(Claim)
        .where(Claim.id == claim.id)
        .options(selectinload(Claim.speaker), selectinload(Claim.tags))
    ).one()
    old = record_of(claim)
    for column, value in fields.items():
        setattr(claim, column, value)
    claim.updated_at = datetime.now(UTC)
    session.flush()
    new = record_of(claim)
    session.add_all(
        Revision(
            claim_id=claim.id,
            version=claim.version,
            source=ChangeSource.EDITOR,
            field=name,
            old_value=old[name],
            new_value=new[name],
        )
        for name in new
        if old[name] != new[name]
    )
    session.flush()


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def reviewed_proposal(maker: sessionmaker[Session], session: Session, tmp_path: Path) -> Claim:
    """The test article's claims as the extractor proposed them, a wrong stance in the first;
    an editor corrects that stance (version 2) and publishes it (version 3)."""
    doc = article_doc()
    for claim in doc["claims"]:
        claim |= {"status": "extracted", "extractor": "rules-0.1", "stance": "leave"}
    load_docs(maker, tmp_path, doc)
    proposal, editor = claims(session)[0], make_user(session)
    apply_edit(session, proposal.id, {"stance": "stay"}, editor=editor, base_version=1)
    apply_edit(session, proposal.id, {"status": "verified"}, editor=editor, base_version=2)
    session.commit()
    return proposal


@pytest.fixture
def peskov(maker: sessionmaker[Session], session: Session, tmp_path: Path) -> Claim:
    """The test article's first claim: Peskov says the forces stay, 6 Feb 2025."""
    load_docs(maker, tmp_path, article_doc())
    return claims(session)[0]


class TestAddress:
    def test_the_canonical_address_shows_the_claim(self, client: TestClient, peskov: Claim) -> None:
        response = client.get(claim_url(peskov))
        assert response.status_code == 200
        page = soup(response)
        quote = page.select_one("blockquote.claim-quote")
        assert quote.text == "القوات الروسية باقية في قاعدتي حميميم وطرطوس"
        assert quote["lang"] == "ar" and quote["dir"] == "auto"
        facts = page.select_one(".claim-facts")
        assert "Dmitry Peskov" in facts.text and "Kremlin spokesman" in facts.text
        assert facts.select_one(".side")["aria-label"] == "Russia"
        assert facts.select_one("time")["datetime"] == "2025-02-06"
        assert facts.select_one("time").text == "6 Feb 2025"
        assert facts.select_one(".stance").text == "stay"
        assert [b.text for b in facts.select(".base")] == ["Hmeimim", "Tartus"]
        assert page.select_one(".summary").text.startswith("Peskov says Russian forces")
        source = page.select_one(".claim-source")
        assert "Test Outlet" in source.text and "7 Feb 2025" in source.text
        assert source.select_one("a.original")["href"] == "https://example.org/news/1"
        context = page.select_one(".claim-context p")
        assert context.select_one("mark").text == quote.text
        assert context.text.startswith("قال الناطق باسم الكرملين")
        assert page.select_one("link[rel=canonical]")["href"].endswith(claim_url(peskov))
        assert page.title.text == (
            "\u2068Dmitry Peskov\u2069: "
            "\u2068Peskov says Russian forces remain at Hmeimim and Tartus.\u2069 · basewatch"
        )
        arabic = soup(client.get(f"{claim_url(peskov)}?lang=ar"))  # the tab says it in Arabic
        assert (
            arabic.title.text == f"\u2068ديمتري بيسكوف\u2069: \u2068{quote.text}\u2069 · basewatch"
        )
        actor = soup(client.get("/actors/dmitry-peskov?lang=ar"))
        assert actor.title.text == "\u2068ديمتري بيسكوف\u2069 · basewatch"

    def test_an_old_or_missing_slug_redirects_permanently(
        self, client: TestClient, peskov: Claim
    ) -> None:
        """The last as mail wraps a long link: cut right after the id's hyphen."""
        for wrong in (
            f"/claims/{peskov.id}",
            f"/claims/{peskov.id}-an-old-slug",
            f"/claims/{peskov.id}-",
        ):
            response = client.get(wrong, follow_redirects=False)
            assert response.status_code == 301
            assert response.headers["location"] == claim_url(peskov)

    def test_head_answers_wherever_get_does(self, client: TestClient, peskov: Claim) -> None:
        """Link checkers and link-preview fetchers ask HEAD: the GET's headers, no body."""
        for url in [claim_url(peskov), f"/claims/{peskov.id}.json", "/", "/feeds/claims.atom"]:
            got, head = client.get(url), client.head(url)
            assert head.status_code == got.status_code == 200, url
            assert head.content == b""
            assert head.headers["content-type"] == got.headers["content-type"]
            if url != "/":  # the timeline's follows any commit to the server, other tests' too
                assert head.headers.get("etag") == got.headers.get("etag")
        assert client.head(f"/claims/{peskov.id}", follow_redirects=False).status_code == 301
        assert client.head("/claims/999999").status_code == 404

    def test_a_missing_claim_is_a_clear_404(self, client: TestClient, session: Session) -> None:
        response = client.get("/claims/987654-whatever")
        assert response.status_code == 404
        assert "no claim 987654" in soup(response).select_one("#error").text
        assert client.get("/claims/not-a-number").status_code == 404
        assert client.get("/claims/987654.json").json() == {
            "detail": "There is no claim 987654 in the archive."
        }
        # In the Arabic interface, the message too (and a web route's 404 as well as a query's).
        client.cookies.set("lang", "ar")
        arabic = soup(client.get("/claims/987654-whatever")).select_one("#error p")
        assert arabic.text == "لا تصريح رقمه 987654 في الأرشيف." and arabic["dir"] == "auto"
        assert "لا متحدث" in soup(client.get("/actors/nobody")).select_one("#error").text
        # What the router refuses itself, and an editor's address to a claim that is not there.
        unrouted = soup(client.get("/claims/37/v/first")).select_one("#error p")
        assert unrouted.text == "لا شيء في الأرشيف يطابق هذا العنوان."
        assert "افتحه رابطًا" in soup(client.get("/logout")).select_one("#error p").text
        sign_in(client, session)
        gone = soup(client.get("/claims/987654/edit")).select_one("#error p")
        assert gone.text == "لا يوجد في الأرشيف تصريح رقمه 987654."

    def test_the_via_chain_reads_as_citing(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        doc = article_doc(outlet="Sputnik")
        doc["claims"][0]["via"] = ["Kremlin statement"]
        load_docs(maker, tmp_path, doc)
        source = soup(client.get(claim_url(claims(session)[0]))).select_one(".claim-source")
        assert " ".join(source.p.text.split()) == "Sputnik, citing Kremlin statement"

    def test_the_citations_name_the_original_and_every_source_it_cites(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """What a reader of the article needs to find the quote: the outlet, its date, the
        original's address, and who the outlet was citing, in the full and the short form."""
        doc = article_doc()
        doc["claims"][0]["via"] = ["Kremlin pool"]
        load_docs(maker, tmp_path, doc)
        claim = claims(session)[0]
        page = soup(client.get(claim_url(claim)))
        full, short = (page.select_one(f"#cite-{form}").text for form in ("full", "short"))
        source = "\u2068Test Outlet\u2069, citing \u2068Kremlin pool\u2069"
        assert f"Reported by {source}: " in full
        assert ", 7 February 2025, https://example.org/news/1. Recorded in basewatch" in full
        assert short.startswith(
            f"\u2068Dmitry Peskov\u2069, 6 February 2025, via {source}; basewatch"
        )

    def test_an_override_in_the_article_s_words_stays_in_them_in_titles(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A title or a <meta> holds text, not a <bdi>: a right-to-left override in a speaker's
        name or a summary reversed the words after it, in the tab and in every link preview.
        Each of the article's words is isolated there, as in the citation."""
        doc = article_doc()
        doc["claims"] = [doc["claims"][0]]
        doc["claims"][0]["speaker"] |= {"name": "\u202eمتحدث", "name_en": "\u202eUnknown Spokesman"}
        doc["claims"][0]["summary_en"] = "\u202eForces stay"
        load_docs(maker, tmp_path, doc)
        claim = claims(session)[0]
        page = soup(client.get(claim_url(claim)))
        name, summary = "\u2068\u202eUnknown Spokesman\u2069", "\u2068\u202eForces stay\u2069"
        assert page.title.text == f"{name}: {summary} · basewatch"
        assert page.select_one("meta[property='og:title']")["content"] == (
            f"{name}, 6 Feb 2025: {summary}"
        )
        assert page.select_one("meta[name='twitter:title']")["content"] == f"{name}: {summary}"
        actor = soup(client.get(f"/actors/{claim.speaker.slug}"))
        assert actor.title.text == f"{name} · basewatch"
        embed = soup(client.get(f"/claims/{claim.id}/embed"))
        assert embed.title.text == f"{name} · basewatch"
        arabic = soup(client.get(f"{claim_url(claim)}?lang=ar"))
        assert arabic.title.text.startswith("\u2068\u202eمتحدث\u2069: \u2068")
        doc["article"]["title"] = "\u202eRussia stays"
        doc["article"]["key"], doc["article"]["url"] = "override", "https://example.org/override"
        load_docs(maker, tmp_path, doc)
        article = soup(client.get("/articles/override"))
        assert article.title.text == "\u2068\u202eRussia stays\u2069 · basewatch"

    def test_the_full_text_opens_at_the_quote(self, client: TestClient, peskov: Claim) -> None:
        """From the claim to the article it came from, scrolled to the quote, marked there."""
        page = soup(client.get(claim_url(peskov)))
        link = page.select_one(".claim-source a[href^='/articles/']")["href"]
        path, _, anchor = link.partition("#")
        assert anchor == f"claim-{peskov.id}"
        marked = soup(client.get(path)).select_one(f"#{anchor}")
        assert marked is not None and marked.text == peskov.quote

    def test_a_redirect_to_the_permanent_address_keeps_the_query(
        self, client: TestClient, peskov: Claim
    ) -> None:
        """A link shared as `…?lang=ar` (or with a newsroom's tracking) lands with it."""
        for wrong in (
            f"/claims/{peskov.id}",
            f"/claims/{peskov.id}-an-old-slug",
            f"/claims/{peskov.id}-",
        ):
            response = client.get(f"{wrong}?lang=ar&utm_source=x", follow_redirects=False)
            assert response.status_code == 301
            assert response.headers["location"] == f"{claim_url(peskov)}?lang=ar&utm_source=x"

    def test_a_browser_asks_again_where_a_slug_leads(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """A 301 is kept by browsers with no end when it says nothing of caching. The slug
        follows the summary and speaker: corrected, then corrected back (a revert), each old
        address led to the other in a reader's cache, a loop the page could never break."""
        first = claim_url(peskov)
        edit(session, peskov, summary_en="Peskov: the forces stay where they were.")
        response = client.get(first, follow_redirects=False)
        assert response.status_code == 301 and response.headers["location"] == claim_url(peskov)
        assert response.headers["cache-control"] == "public, max-age=0, must-revalidate"


class TestVersions:
    def test_every_version_stays_readable(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        edit(session, peskov, stated_on=date(2025, 2, 5))
        current = soup(client.get(claim_url(peskov)))
        assert current.select_one(".claim-facts time").text == "5 Feb 2025"
        first = client.get(f"/claims/{peskov.id}/v/1")
        assert first.status_code == 200
        page = soup(first)
        assert page.select_one(".claim-facts time").text == "6 Feb 2025"
        assert "version 1" in page.select_one(".notice-version").text
        assert page.select_one("#cite-version-url").text.endswith(f"/claims/{peskov.id}/v/1")
        assert page.select_one("meta[name=robots]")["content"] == "noindex"
        missing = client.get(f"/claims/{peskov.id}/v/3")
        assert missing.status_code == 404
        assert "versions 1 to 2" in missing.text

    def test_a_version_s_citation_names_that_version_s_sources(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """A citation of version 1 is what version 1 said, its via chain included."""
        edit(session, peskov, via=["Kremlin pool"])
        first = soup(client.get(f"/claims/{peskov.id}/v/1")).select_one("#cite-full").text
        current = soup(client.get(claim_url(peskov))).select_one("#cite-full").text
        assert "citing" not in first
        assert "citing \u2068Kremlin pool\u2069" in current

    def test_a_past_version_is_cited_by_its_own_address(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """What a reader copies from version 1's page to cite it gave the claim's address,
        which shows the corrected claim: the citation must lead to the words it quotes. So on
        the current version's own page, where "Cite this version" leads: it is corrected next."""
        edit(session, peskov, stance="leave")
        for address in (f"/claims/{peskov.id}/v/1", f"/claims/{peskov.id}/v/2", claim_url(peskov)):
            url = "http://testserver" + address
            page = soup(client.get(address))
            assert page.select_one("#cite-url").text == url
            for citation in ("#cite-full", "#cite-short"):
                assert f" {url} (accessed " in page.select_one(citation).text
            data = json.loads(page.select_one("script[type='application/ld+json']").string)
            assert data["url"] == data["@id"] == url

    def test_a_past_version_marks_its_own_words_after_the_article_text_is_corrected(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """The outlet corrects its text and the file is reloaded: every span moves (a line
        added at the top), and version 1's offsets now fall on other words of the new text."""
        load_docs(maker, tmp_path, article_doc())
        quote = "القوات الروسية باقية في قاعدتي حميميم وطرطوس"
        doc = article_doc(text="تصحيح: " + TEXT)
        for claim in doc["claims"]:
            claim["start"] += len("تصحيح: ")
            claim["end"] += len("تصحيح: ")
        (tmp_path / "shifted").mkdir()
        load_docs(maker, tmp_path / "shifted", doc)
        peskov = claims(session)[0]
        assert peskov.version == 2
        first = soup(client.get(f"/claims/{peskov.id}/v/1"))
        assert first.select_one("blockquote.claim-quote").text == quote
        assert first.select_one(".claim-context mark").text == quote
        # Worded otherwise now: version 1's words are nowhere in the text, and none are marked.
        doc["article"]["text"] = doc["article"]["text"].replace("باقية", "ستبقى")
        doc["claims"][0]["quote"] = quote.replace("باقية", "ستبقى")
        (tmp_path / "reworded").mkdir()
        load_docs(maker, tmp_path / "reworded", doc)
        first = soup(client.get(f"/claims/{peskov.id}/v/1"))
        assert first.select_one("blockquote.claim-quote").text == quote
        assert first.select_one(".claim-context") is None

    def test_the_corrections_log_reads_like_a_newsroom_s(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        edit(session, peskov, stated_on=date(2025, 2, 5), stance="negotiating")
        page = soup(client.get(claim_url(peskov)))
        today = date.today()
        on = f"{today.day} {today.strftime('%B')} {today.year}"
        entries = [" ".join(li.text.split()) for li in page.select(".corrections-log li")]
        assert entries == [
            f"Date corrected from 6 to 5 February 2025 on {on} (version 2).",
            f"Stance corrected from stay to negotiating on {on} (version 2).",
        ]
        assert "Version 2 (current)" in page.select_one(".corrections").text
        data = client.get(f"/claims/{peskov.id}.json").json()
        assert data["corrections"][0] == {
            "version": 2,
            "on": today.isoformat(),
            "what": "Date corrected",
            "from": "6",
            "to": "5 February 2025",
        }

    def test_the_log_starts_when_the_claim_is_first_published(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """What the editor fixed in the extractor's proposal before publishing it was never
        public: the log must not present the extractor's guess as a published value corrected."""
        proposal = reviewed_proposal(maker, session, tmp_path)
        assert soup(client.get(claim_url(proposal))).select(".corrections-log li") == []
        assert client.get(f"/claims/{proposal.id}.json").json()["corrections"] == []
        edit(session, proposal, stance="negotiating")
        page = soup(client.get(claim_url(proposal)))
        entries = [" ".join(li.text.split()) for li in page.select(".corrections-log li")]
        assert [entry.split(" on ")[0] for entry in entries] == [
            "Stance corrected from stay to negotiating"
        ]

    def test_each_value_in_the_log_keeps_its_place_in_an_english_line(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """An Arabic source chain in the English log: each source isolated, in the order the
        record gives them (left unisolated, the bidi algorithm reverses their order)."""
        edit(session, peskov, via=["وكالة سانا", "رويترز"])
        entry = soup(client.get(claim_url(peskov))).select_one(".corrections-log li")
        assert [bdi.text for bdi in entry.select("bdi")] == ["none", "وكالة سانا", "رويترز"]
        assert " ".join(entry.text.split()).startswith(
            "Source chain corrected from none to وكالة سانا, رويترز on"
        )
        assert client.get(f"/claims/{peskov.id}.json").json()["corrections"][0]["to"] == (
            "وكالة سانا, رويترز"
        )

    def test_a_speaker_merged_into_another_is_in_the_log(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """Editors merge the actor a claim is attributed to into another: the name as the
        article writes it stays, and the log still says who the claim is now attributed to."""
        abu_qasra = claims(session)[2]
        merge_actors(
            session,
            abu_qasra.speaker,
            peskov.speaker,
            editor=make_user(session),
        )
        session.commit()
        page = soup(client.get(f"/claims/{abu_qasra.id}", follow_redirects=True))
        assert page.select_one(".corrections .empty") is None
        entry = page.select_one(".corrections-log li")
        assert " ".join(entry.text.split()).startswith(
            "Speaker corrected from murhaf-abu-qasra to dmitry-peskov on"
        )
        assert [a["href"] for a in entry.select("a")][:2] == [
            "/actors/murhaf-abu-qasra",
            "/actors/dmitry-peskov",
        ]

    def test_last_changed_is_when_the_claim_itself_changed(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Another claim of the speaker corrected renews this page (its neighbours may move),
        but this claim did not change: its log and its metadata must not say it did."""
        load_docs(maker, tmp_path, article_doc())
        first, second, _ = claims(session)
        for table in ("claims", "articles", "actors"):
            session.execute(text(f"UPDATE {table} SET updated_at = '2025-03-01T12:00:00Z'"))
        edit(session, second, summary_en="Peskov: no withdrawal is planned.")
        page = soup(client.get(claim_url(first)))
        log = " ".join(page.select_one(".corrections").text.split())
        assert "Version 1 (current). Last changed 1 Mar 2025." in log
        data = json.loads(page.select_one("script[type='application/ld+json']").text)
        assert data["dateModified"].startswith("2025-03-01")


class TestCaching:
    def test_an_unchanged_claim_answers_304_and_an_edit_changes_the_validators(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        url, data = claim_url(peskov), f"/claims/{peskov.id}.json"
        json_etag = client.get(data).headers["etag"]
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        kept = client.get(url)  # sent again as built, not rendered again
        assert kept.content == first.content and kept.headers["etag"] == etag
        assert "render;dur=0.00;" not in first.headers["server-timing"]
        assert "render;dur=0.00;" in kept.headers["server-timing"]
        assert kept.headers.get_list("server-timing") == [kept.headers["server-timing"]]
        edit(session, peskov, summary_en="Peskov: the forces stay where they were.")
        after = client.get(url, headers={"If-None-Match": etag})
        assert after.status_code == 200
        assert after.headers["etag"] != etag
        assert "the forces stay where they were" in client.get(url).text
        assert client.get(data, headers={"If-None-Match": json_etag}).status_code == 200

    def test_the_share_image_a_page_names_follows_a_correction(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """Link previews keep an image by its address: a corrected claim names a new one. The
        image is revalidated too: a renamed speaker changes the card, not the version."""

        def images() -> set[str]:
            page = soup(client.get(claim_url(peskov)))
            tags = ["meta[property='og:image']", "meta[name='twitter:image']"]
            named = {page.select_one(tag)["content"] for tag in tags}
            oembed = {"url": "http://testserver" + claim_url(peskov)}
            return named | {client.get("/oembed", params=oembed).json()["thumbnail_url"]}

        (before,) = images()
        png = client.get(before)
        assert png.headers["cache-control"] == "public, max-age=0, must-revalidate"
        edit(session, peskov, stance="leave")
        (after,) = images()
        assert after != before
        renewed = client.get(after, headers={"If-None-Match": png.headers["etag"]})
        assert renewed.status_code == 200 and renewed.content != png.content

    def test_a_version_page_follows_a_withdrawal(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """The citation's "Cite this version" link is the current version's own page: a copy
        of it kept by a cache must not go on without the notice of a withdrawal."""
        cited = soup(client.get(claim_url(peskov))).select_one("#cite-version-url")["href"]
        first = client.get(cited)
        assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
        edit(session, peskov, status="rejected")
        renewed = client.get(cited, headers={"If-None-Match": first.headers["etag"]})
        assert renewed.status_code == 200
        assert soup(renewed).select_one(".notice-rejected") is not None


class TestNeighbours:
    def test_a_claim_links_the_speaker_s_statements_before_and_after_it_on_its_bases(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        first, second, undated = claims(session)

        def links(claim: Claim, headers: dict[str, str] | None = None) -> dict[str, str]:
            page = soup(client.get(claim_url(claim), headers=headers))
            return {a["rel"][0]: a["href"] for a in page.select(".claim-neighbours a")}

        assert links(first) == {"next": claim_url(second)}  # the same day: in id order
        assert links(second) == {"prev": claim_url(first)}
        assert links(undated) == {}  # no date: nothing before or after it
        kept = client.get(claim_url(second)).headers["etag"]

        later = article_doc(key="test-later", published_on="2025-03-02")
        later["claims"] = [{**later["claims"][0], "stated_on": "2025-03-01", "bases": ["tartus"]}]
        load_docs(maker, tmp_path, later)
        latest = claims(session)[-1]
        # Stamped when it was loaded, as a load in a transaction of its own would stamp it (the
        # test's one transaction stamps every row with its start time).
        session.execute(
            text("UPDATE claims SET updated_at = clock_timestamp() WHERE id = :id"),
            {"id": latest.id},
        )
        # A new statement of the speaker changes the page's validators: it is built again.
        assert client.get(claim_url(second), headers={"If-None-Match": kept}).status_code == 200
        assert links(second) == {"prev": claim_url(first), "next": claim_url(latest)}
        edit(session, latest, status="rejected")  # no longer a public statement
        assert links(second) == {"prev": claim_url(first)}

    def test_a_past_version_of_another_speaker_links_none_of_the_current_one_s_statements(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """Version 1 was Peskov's; the claim is Abu Qasra's now: "Other statements by Dmitry
        Peskov" must not lead to Abu Qasra's."""
        load_docs(maker, tmp_path, article_doc())
        first, _, abu_qasra = claims(session)
        edit(session, abu_qasra, stated_on=date(2025, 2, 7), stated_on_precision="day")
        edit(session, first, speaker=abu_qasra.speaker, speaker_name=abu_qasra.speaker_name)

        def links(url: str) -> dict[str, str]:
            page = soup(client.get(url))
            return {a["rel"][0]: a["href"] for a in page.select(".claim-neighbours a")}

        assert links(claim_url(first)) == {"next": claim_url(abu_qasra)}
        assert links(f"/claims/{first.id}/v/1") == {}


class TestNotices:
    def test_a_rejected_claim_says_so_and_links_onward(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        edit(session, peskov, status="rejected")
        response = client.get(claim_url(peskov))
        assert response.status_code == 200
        notice = soup(response).select_one(".notice-rejected")
        assert "withdrawn" in notice.text
        assert notice.select_one("a")["href"] == "/actors/dmitry-peskov"
        assert "Withdrawn from the record" in soup(response).select_one(".corrections-log").text
        # Its article marks only public claims: the link leads to the text, not to a mark.
        archived = soup(response).find("a", string="Full text in the archive")
        assert archived["href"] == "/articles/test-2025-02-07-peskov"

    def test_the_citations_of_a_withdrawn_or_unchecked_claim_say_so(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """What a journalist copies to cite a claim read as a live one's when the editors had
        withdrawn it, or none had checked it yet: the page's notice is not in the pasted text."""
        url = "http://testserver" + claim_url(peskov)
        for version, status, said in [
            (2, "extracted", "not yet checked by an editor"),
            (3, "rejected", "withdrawn"),
        ]:
            edit(session, peskov, status=status)
            page = soup(client.get(claim_url(peskov)))
            full, short = (page.select_one(f"#cite-{form}").text for form in ("full", "short"))
            assert f"claim {peskov.id}, version {version} ({said}). {url} (accessed" in full
            assert f"claim {peskov.id} v{version} ({said}), {url} (accessed" in short

    def test_a_claim_gone_from_its_article_s_file_does_not_blame_the_editors(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """The loader withdraws a claim its file no longer has: no editor found it wrong, and
        its page must not tell readers one did."""
        doc = article_doc()
        load_docs(maker, tmp_path, doc)
        doc["claims"].pop()
        (tmp_path / "again").mkdir()
        load_docs(maker, tmp_path / "again", doc)
        retired = claims(session)[-1]
        assert retired.status == "rejected"
        notice = " ".join(
            soup(client.get(claim_url(retired))).select_one(".notice-rejected").text.split()
        )
        assert "the editors" not in notice
        assert "no longer carries it" in notice
        arabic = soup(client.get(f"{claim_url(retired)}?lang=ar")).select_one(".notice-rejected")
        assert "لم يعد" in arabic.text
        card = soup(client.get(f"/claims/{retired.id}/embed?lang=en")).select_one(
            ".embed-card .notice"
        )
        assert card.text == "Withdrawn: its article no longer carries it."

    def test_a_version_says_what_it_was_when_the_claim_has_changed_since(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A version that was only the extractor's proposal says so after the claim is
        published; one that was withdrawn says so after the claim is restored."""
        proposal = reviewed_proposal(maker, session, tmp_path)

        def notices(url: str) -> list[str]:
            return [" ".join(n.text.split()) for n in soup(client.get(url)).select(".notice")]

        unchecked = "Proposed by the extractor and not yet checked by an editor."
        assert unchecked in notices(f"/claims/{proposal.id}/v/1")
        assert unchecked in notices(f"/claims/{proposal.id}/v/2")
        assert notices(f"/claims/{proposal.id}/v/3") == []  # the current version
        restored = claims(session)[1]
        edit(session, restored, status="rejected")
        edit(session, restored, status="verified")
        withdrawn = soup(client.get(f"/claims/{restored.id}/v/2")).select_one(".notice-rejected")
        assert withdrawn is not None and "withdrawn" in withdrawn.text
        assert notices(claim_url(restored)) == []

    def test_a_merged_claim_points_to_the_claim_it_was_merged_into(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        other = claims(session)[1]
        edit(session, peskov, merged_into_id=other.id, status="rejected")
        response = client.get(claim_url(peskov))
        assert response.status_code == 200
        notice = soup(response).select_one(".notice-merged")
        assert notice.select_one("a")["href"] == claim_url(other)
        assert client.get(f"/claims/{peskov.id}.json").json()["merged_into"] == other.id


class TestMachineReadable:
    def test_the_json_twin_has_every_field_its_version_and_its_sources(
        self, client: TestClient, peskov: Claim
    ) -> None:
        data = client.get(f"/claims/{peskov.id}.json").json()
        assert data["id"] == peskov.id and data["version"] == 1
        assert data["speaker"]["name_en"] == "Dmitry Peskov"
        assert data["quote"] == "القوات الروسية باقية في قاعدتي حميميم وطرطوس"
        assert data["stated_on"] == "2025-02-06" and data["stated_on_precision"] == "day"
        assert data["bases"] == ["hmeimim", "tartus"] and data["stance"] == "stay"
        assert data["article"]["outlet"] == "Test Outlet"
        assert data["sources"] == [] and data["reach"] == {"outlets": 1, "independent_sources": 1}
        assert data["url"].endswith(claim_url(peskov))
        assert "note" not in data  # an editor's note is not part of the public record

    def test_a_version_s_data_is_that_version_s(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """ "Data (JSON)" on version 1's page gave the corrected claim's data: a journalist
        citing version 1 from its data cited the words that replaced it."""
        edit(session, peskov, stance="leave")
        first = client.get(f"/claims/{peskov.id}.json?v=1").json()
        assert (first["version"], first["stance"], first["current_version"]) == (1, "stay", 2)
        current = client.get(f"/claims/{peskov.id}.json").json()
        assert (current["version"], current["stance"]) == (2, "leave")
        for address, data in [
            (f"/claims/{peskov.id}/v/1", f"/claims/{peskov.id}.json?v=1"),
            (claim_url(peskov), f"/claims/{peskov.id}.json"),
        ]:
            page = soup(client.get(address))
            assert page.find("a", string="Data (JSON)")["href"] == data
            assert page.select_one("link[type='application/json']")["href"] == data

    def test_the_json_ld_names_the_speaker_and_the_date(
        self, client: TestClient, peskov: Claim
    ) -> None:
        page = soup(client.get(claim_url(peskov)))
        data = json.loads(page.select_one("script[type='application/ld+json']").string)
        assert data["@type"] == "Quotation"
        assert data["creator"] == {
            "@type": "Person",
            "name": "Dmitry Peskov",
            "alternateName": "ديمتري بيسكوف",
            "jobTitle": "Kremlin spokesman",
        }
        assert data["dateCreated"] == "2025-02-06"
        assert data["isBasedOn"]["publisher"]["name"] == "Test Outlet"
        assert data["about"]["@type"] == "Claim"

    def test_the_json_ld_date_says_no_more_than_is_known(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """Only the month known: "2025-02-01" told machines a day nobody recorded."""
        url = claim_url(peskov)

        def created() -> str | None:
            page = soup(client.get(url))
            data = json.loads(page.select_one("script[type='application/ld+json']").string)
            return data.get("dateCreated")

        edit(session, peskov, stated_on_precision="month", stated_on=date(2025, 2, 1))
        assert created() == "2025-02"
        edit(session, peskov, stated_on_precision="year", stated_on=date(2025, 1, 1))
        assert created() == "2025"

    def test_a_past_version_s_json_ld_is_dated_when_that_version_was_made(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """Version 1's schema.org data gave the corrected claim's dateModified: machines that
        cite it (reference managers, fact-check tools) dated its words to their correction."""

        def modified(address: str) -> str:
            page = soup(client.get(address))
            return json.loads(page.select_one("script[type='application/ld+json']").string)[
                "dateModified"
            ]

        editor = make_user(session)
        first = modified(claim_url(peskov))
        apply_edit(session, peskov.id, {"stance": "leave"}, editor=editor, base_version=1)
        assert modified(f"/claims/{peskov.id}/v/1") == first
        second = modified(claim_url(peskov))
        assert second > first
        # An editor's version too is dated as it was when it was current.
        apply_edit(session, peskov.id, {"stance": "stay"}, editor=editor, base_version=2)
        assert modified(f"/claims/{peskov.id}/v/2") == second

    def test_share_tags_point_at_a_png(self, client: TestClient, peskov: Claim) -> None:
        page = soup(client.get(claim_url(peskov)))
        image = page.select_one("meta[property='og:image']")["content"]
        assert page.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"
        assert page.select_one("meta[property='og:url']")["content"].endswith(claim_url(peskov))
        png = client.get(image.removeprefix("http://testserver"))
        assert png.headers["content-type"] == "image/png"
        assert png.content.startswith(b"\x89PNG")

    def test_a_version_s_link_preview_shows_that_version_s_card(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """ "Cite this version" shared: its preview's title says what version 1 said, and its
        image must too, not the corrected claim's card beside it."""
        og_image = "meta[property='og:image']"
        named = soup(client.get(claim_url(peskov))).select_one(og_image)["content"]
        edit(session, peskov, stance="leave")
        image = soup(client.get(f"/claims/{peskov.id}/v/1")).select_one(og_image)["content"]
        assert image == named  # the address version 1's card had, and its card still
        # Its og:url too: a preview follows og:url, and would show the corrected claim there.
        og_url = soup(client.get(f"/claims/{peskov.id}/v/1")).select_one("meta[property='og:url']")
        assert og_url["content"] == f"http://testserver/claims/{peskov.id}/v/1"
        shown = client.get(image.removeprefix("http://testserver"))
        current = client.get(f"/claims/{peskov.id}/share.png?v=2")
        assert shown.content != current.content
        assert shown.content == client.get(f"/claims/{peskov.id}/share.png?v=1").content
        assert shown.headers["etag"] != current.headers["etag"]
        # What no version names is the current card, as before.
        for odd in ("", "9", "x", "٢", "0"):
            other = client.get(f"/claims/{peskov.id}/share.png?v={odd}")
            assert other.status_code == 200 and other.content == current.content

    def test_article_text_is_escaped_in_json_ld(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        doc = article_doc(title="</script><script>alert(1)</script>")
        load_docs(maker, tmp_path, doc)
        body = client.get(claim_url(claims(session)[0])).text
        assert "<script>alert(1)" not in body


class TestCorroboration:
    def test_also_reported_by_counts_independent_sources(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        docs = []
        for n, (outlet, via) in enumerate(
            [("Outlet A", ["TASS"]), ("Outlet B", ["TASS"]), ("Outlet C", [])]
        ):
            doc = article_doc(key=f"report-{n}", outlet=outlet, url=f"https://example.org/{n}")
            doc["claims"][0]["via"] = via
            docs.append(doc)
        load_docs(maker, tmp_path, *docs)
        first = [c for c in claims(session) if c.quote.startswith("القوات")]
        group(session, [c.id for c in first])
        page = soup(client.get(claim_url(first[0])))
        reports = page.select_one("#statement")
        assert "Reported by 3 outlets from 2 independent sources." in reports.text
        assert [a.text for a in reports.select(".reports li > a")] == [
            "Outlet B, citing TASS",
            "Outlet C",
        ]
        data = client.get(f"/claims/{first[0].id}.json").json()
        assert [s["outlet"] for s in data["sources"]] == ["Outlet B", "Outlet C"]
        ld = json.loads(page.select_one("script[type='application/ld+json']").string)
        assert len(ld["about"]["appearance"]) == 3

    def test_another_outlet_s_unchecked_proposal_is_no_report(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """An imported article's claims wait in the review queue, grouped by the matcher with the
        published claim of the same words: until an editor checks one, the published claim's
        page, JSON, JSON-LD and card do not count it as another outlet carrying the statement."""
        published = article_doc(key="published", outlet="Outlet A", url="https://example.org/a")
        proposed = article_doc(key="proposed", outlet="Outlet B", url="https://example.org/b")
        published["claims"] = published["claims"][:1]
        proposed["claims"] = [proposed["claims"][0] | {"status": "extracted", "extractor": "x"}]
        load_docs(maker, tmp_path, published, proposed)
        first, proposal = claims(session)
        page = soup(client.get(claim_url(first)))
        assert page.select(".reports li") == []
        assert "Reported by 1 outlet" in page.select_one(".reach").text
        data = client.get(f"/claims/{first.id}.json").json()
        assert data["sources"] == []
        assert data["reach"] == {"outlets": 1, "independent_sources": 1}
        ld = json.loads(page.select_one("script[type='application/ld+json']").string)
        assert len(ld["about"]["appearance"]) == 1
        card = soup(client.get(f"/claims/{first.id}/embed")).select_one(".source").text
        assert "reported by 1 outlet" in card
        edit(session, proposal, status="verified")  # checked: now it is a report
        page = soup(client.get(claim_url(first)))
        assert [a.text for a in page.select(".reports li > a")] == ["Outlet B"]


class TestEmbed:
    def test_only_the_embed_may_be_framed(self, client: TestClient, peskov: Claim) -> None:
        embed = client.get(f"/claims/{peskov.id}/embed")
        assert embed.status_code == 200
        assert "frame-ancestors *" in embed.headers["content-security-policy"]
        assert "script-src 'self'" in embed.headers["content-security-policy"]
        assert "x-frame-options" not in embed.headers
        card = soup(embed).select_one(".embed-card")
        assert card.select_one(".quote").text == peskov.quote
        assert card.select_one(".embed-link a")["href"].endswith(claim_url(peskov))
        assert soup(embed).select_one("header.site") is None
        page = client.get(claim_url(peskov))
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"

    def test_a_card_says_when_its_claim_is_not_yet_checked(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A site that embeds an extractor's proposal shows, as the claim's page does, that no
        editor has checked it."""
        doc = article_doc()
        doc["claims"][2]["status"] = "extracted"
        load_docs(maker, tmp_path, doc)
        checked, _, proposed = claims(session)
        for claim, notice in ((checked, None), (proposed, "Not yet checked by an editor.")):
            card = soup(client.get(f"/claims/{claim.id}/embed")).select_one(".embed-card")
            found = card.select_one(".notice")
            assert (found.text if found else None) == notice
        arabic = soup(client.get(f"/claims/{proposed.id}/embed?lang=ar"))
        assert arabic.select_one(".embed-card .notice").text == "لم يراجعه محرر بعد."

    def test_oembed_describes_an_iframe_of_the_card(
        self, client: TestClient, peskov: Claim
    ) -> None:
        url = "http://testserver" + claim_url(peskov)
        data = client.get("/oembed", params={"url": url, "maxwidth": 400}).json()
        assert data["type"] == "rich" and data["version"] == "1.0"
        assert data["width"] == 400
        frame = BeautifulSoup(data["html"], "html.parser").iframe
        assert frame["src"] == f"http://testserver/claims/{peskov.id}/embed"
        assert data["author_name"] == "Dmitry Peskov"
        assert data["author_url"] == "http://testserver/actors/dmitry-peskov"  # who, not what
        assert client.get("/oembed", params={"url": "http://testserver/about"}).status_code == 404
        elsewhere = "http://elsewhere.example" + claim_url(peskov)
        assert client.get("/oembed", params={"url": elsewhere}).status_code == 404
        assert client.get("/oembed", params={"url": claim_url(peskov)}).status_code == 200
        for number in ("²", "١"):  # digits to str.isdigit(); not in an address the site serves
            assert client.get("/oembed", params={"url": f"/claims/{number}"}).status_code == 404
        # A host urlsplit refuses (a bracketed one that is no IPv6 address) is not this site.
        garbled = client.get("/oembed", params={"url": f"http://[x{claim_url(peskov)}"})
        assert garbled.status_code == 404
        xml = client.get("/oembed", params={"url": url, "format": "xml"})
        assert xml.status_code == 501
        arabic = client.get("/oembed", params={"url": url, "format": "xml", "lang": "ar"})
        refusal = soup(arabic).select_one("#error p").text
        assert arabic.status_code == 501 and "json" in refusal and "only" not in refusal
        page = soup(client.get(claim_url(peskov)))
        assert page.select_one("link[type='application/json+oembed']")

    def test_oembed_describes_the_version_its_address_names(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """Asked for version 1's address, oEmbed answered with the corrected claim's title,
        card and iframe: a newsroom embedding the version it cites showed other words."""
        first = peskov.summary_en
        edit(session, peskov, summary_en="Peskov says the forces may leave.")
        base = "http://testserver"
        for address, title, card, embed in [
            (f"/claims/{peskov.id}/v/1", first, "?v=1", "/embed?v=1"),
            (claim_url(peskov), "Peskov says the forces may leave.", "?v=2", "/embed"),
        ]:
            data = client.get("/oembed", params={"url": base + address}).json()
            assert data["title"] == title
            assert data["thumbnail_url"] == f"{base}/claims/{peskov.id}/share.png{card}"
            src = BeautifulSoup(data["html"], "html.parser").iframe["src"]
            assert src == f"{base}/claims/{peskov.id}{embed}"
            shown = soup(client.get(src.removeprefix(base))).select_one(".embed-card")
            assert shown.select_one(".summary").text == title
            assert shown.select_one(".embed-link a")["href"] == base + address
        discovered = soup(client.get(f"/claims/{peskov.id}/v/1")).select_one(
            "link[type='application/json+oembed']"
        )
        assert discovered["href"].endswith(
            f"?url=http%3A%2F%2Ftestserver%2Fclaims%2F{peskov.id}%2Fv%2F1"
        )
        found = client.get(discovered["href"].removeprefix(base)).json()
        assert found["title"] == first  # the address read back from the query is the version's
        for wrong in ("/v/3", "/v/", "/v/١", "/v/1/x"):
            oembed = client.get("/oembed", params={"url": claim_url(peskov) + wrong})
            assert oembed.status_code == 404


class TestShareImage:
    CARD = ShareCard(
        quote="انفتاح بلاده على إبقاء القواعد الروسية ”طالما هناك اتفاق مع الكرملين يخدم مصالح سوريا”",
        speaker="Murhaf Abu Qasra · Syrian Defence Minister",
        detail="6 February 2025",
        stance="conditional",
        source="Reported by المنبر الحر, citing The Washington Post",
        direct=True,
    )

    def test_reported_speech_is_not_drawn_as_a_direct_quotation(self) -> None:
        """The page marks only a direct quotation with «»: the card must not put an outlet's
        paraphrase between quotation marks, as if the speaker had said those words."""
        reported = render_card(replace(self.CARD, direct=False))
        marks = render_card(replace(self.CARD, direct=False, quote=f"«{self.CARD.quote}»"))
        assert reported != render_card(self.CARD)
        assert marks == render_card(self.CARD)  # the marks are the only difference

    def test_a_withdrawn_claim_s_card_says_so(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """A link preview of a withdrawn claim looked like any live one: a newsroom sharing it
        had no sign it no longer holds. The card says so above the quote, which is unchanged."""

        def card() -> Image.Image:
            page = soup(client.get(claim_url(peskov)))
            image = page.select_one("meta[property='og:image']")["content"]
            png = client.get(image.removeprefix("http://testserver")).content
            return Image.open(io.BytesIO(png)).convert("RGB")

        live = card()
        edit(session, peskov, status="rejected")
        withdrawn = card()
        changed = ImageChops.difference(live, withdrawn).getbbox()
        assert changed is not None and changed[3] <= 110  # in the top band only

    def test_a_withdrawn_claim_s_preview_title_says_so(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """The title a link preview shows beside the card says it too, and so does oEmbed's,
        which a newsroom's editor or a chat's preview shows where it finds one."""
        edit(session, peskov, status="rejected")
        page = soup(client.get(claim_url(peskov)))
        for tag in ("meta[property='og:title']", "meta[name='twitter:title']"):
            assert page.select_one(tag)["content"].startswith("Withdrawn · ")
        oembed = client.get("/oembed", params={"url": claim_url(peskov)}).json()
        assert oembed["title"] == f"Withdrawn · {peskov.summary_en}"

    def test_an_arabic_quote_matches_the_reference_rendering(self) -> None:
        """The reference was checked by eye: letters joined, right to left, nothing cut."""
        assert features.check("raqm"), "Pillow cannot shape Arabic here (raqm, FriBiDi)"
        image = Image.open(io.BytesIO(render_card(self.CARD))).convert("RGB")
        reference = Image.open(REFERENCE).convert("RGB")
        assert image.size == reference.size == (1200, 630)
        differing = sum(
            1 for px in ImageChops.difference(image, reference).get_flattened_data() if max(px) > 64
        )
        assert differing / (1200 * 630) < 0.002

    def test_a_long_role_or_source_chain_stays_on_the_card(self) -> None:
        """A seed's "Russian Deputy Foreign Minister, head of the Russian delegation" ran off the
        card's edge mid-word; the right margin stays paper, as the left one does."""
        long = replace(
            self.CARD,
            speaker="\u2068Mikhail Bogdanov\u2069 · \u2068Russian Deputy Foreign Minister, head of"
            " the Russian delegation to the talks in Damascus\u2069",
            source="Reported by Sada El Balad, citing The Washington Post, citing Reuters, citing"
            " وكالة الأنباء السورية سانا, citing Interfax",
        )
        image = Image.open(io.BytesIO(render_card(long))).convert("RGB")
        margin = image.crop((1200 - 72 + 8, 400, 1200, 630))
        paper = Image.new("RGB", margin.size, "#fbfbfa")
        assert ImageChops.difference(margin, paper).getbbox() is None

    def test_reversed_letters_would_not_pass(self) -> None:
        """The comparison can fail: the same words drawn unshaped, letter by letter, differ."""
        reversed_card = replace(self.CARD, quote=self.CARD.quote[::-1])
        image = Image.open(io.BytesIO(render_card(reversed_card))).convert("RGB")
        reference = Image.open(REFERENCE).convert("RGB")
        differing = sum(
            1 for px in ImageChops.difference(image, reference).get_flattened_data() if max(px) > 64
        )
        assert differing / (1200 * 630) > 0.01

    def test_russian_words_are_drawn_not_as_missing_glyph_boxes(self) -> None:
        """IBM Plex Sans Arabic has no Cyrillic: a Russian speaker's name and quote came out as
        rows of its missing-glyph box, the very card drawn with U+FFFF, which no face has, in
        their place. The quote, the name and the source line each differ from that card now."""
        russian = replace(
            self.CARD,
            quote="Российские военные останутся на базах Хмеймим и Тартус",
            speaker="\u2068Дмитрий Песков\u2069 · \u2068пресс-секретарь президента\u2069",
            source="Reported by \u2068ТАСС\u2069, citing \u2068المنبر الحر\u2069",
        )
        fields = ("quote", "speaker", "source")
        boxed = replace(
            russian, **{f: re.sub("[\u0400-\u04ff]", "\uffff", getattr(russian, f)) for f in fields}
        )
        drawn, boxes = (
            Image.open(io.BytesIO(render_card(card))).convert("RGB") for card in (russian, boxed)
        )
        for top, bottom in ((120, 420), (475, 520), (560, 610)):  # quote, name, source
            band = (0, top, 1200, bottom)
            assert ImageChops.difference(drawn.crop(band), boxes.crop(band)).getbbox()
        letters = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "ğĞİ"
        for bold in (False, True):
            assert all(
                has_glyph(c, bold=bold) or has_glyph(c, bold=bold, fallback=True) for c in letters
            )
            assert not has_glyph("\uffff", bold=bold, fallback=True)

    def test_a_cyrillic_name_in_an_arabic_quote_keeps_its_place(self) -> None:
        """Drawn run by run, each in its face, in the order Unicode's bidi algorithm gives: the
        name and the year after it read left to right, between the Arabic words around them."""
        assert runs("قال Путин 2025 إن", "rtl") == [
            Run(" إن", False, "rtl"),
            Run("Путин", True, "ltr"),
            Run(" 2025", False, "ltr"),
            Run("قال ", False, "rtl"),
        ]
        assert runs("Reported by \u2068ТАСС\u2069", "ltr")[1] == Run("ТАСС", True, "ltr")

    def test_an_override_in_an_outlet_or_a_name_stays_out_of_the_card_s_other_words(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """An article's outlet and new speaker are untrusted text: a right-to-left override
        (U+202E) in either drew the words after it backwards ("Reported by SSAT gnitic ,BA").
        An outlet written with one draws as the same letters written in their shown order."""
        docs = []
        for key, outlet, name in [
            ("overridden", "\u202eAB", "\u202enamuH weN"),
            ("as-shown", "BA", "New Human"),
        ]:
            doc = article_doc(key=key, outlet=outlet)
            doc["claims"] = doc["claims"][:1]
            doc["claims"][0]["via"] = ["TASS"]
            doc["claims"][0]["speaker"] |= {"name": name, "name_en": name}
            docs.append(doc)
        load_docs(maker, tmp_path, *docs)
        overridden, as_shown = (
            Image.open(io.BytesIO(client.get(f"/claims/{claim.id}/share.png").content))
            for claim in claims(session)
        )
        difference = ImageChops.difference(overridden.convert("RGB"), as_shown.convert("RGB"))
        differing = sum(1 for px in difference.get_flattened_data() if max(px) > 64)
        assert differing < 50  # the same words in the same places


class TestEditorsDecideStatements:
    def two_reports(
        self, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> list[Claim]:
        """The same Peskov claim from two outlets, grouped by the matcher as they load."""
        docs = [
            article_doc(key=f"r{n}", outlet=f"Outlet {n}", url=f"https://e.org/{n}") for n in (1, 2)
        ]
        for doc in docs:
            doc["claims"] = doc["claims"][:1]
        load_docs(maker, tmp_path, *docs)
        return claims(session)

    def test_a_readers_kept_page_follows_its_reports_and_its_speaker(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """A reader's claim page is kept, its validators read apart from the page: a report
        corrected, the statement confirmed, the speaker renamed must each give a new page."""
        first, second = self.two_reports(maker, session, tmp_path)
        url = claim_url(first)
        seen = [client.get(url)]
        assert client.get(url).headers["etag"] == seen[0].headers["etag"]
        edit(session, second, stance="leave")
        seen.append(client.get(url))
        corroboration.confirm_statement(session, first.id, editor=make_user(session))
        seen.append(client.get(url))
        session.execute(
            text(
                "UPDATE actors SET name_en = 'Dmitri S. Peskov',"
                " updated_at = updated_at + interval '1 s' WHERE id = :id"
            ),
            {"id": first.speaker_id},
        )
        seen.append(client.get(url))  # its slug changed with the name: redirected
        assert len({response.headers["etag"] for response in seen}) == 4
        assert "not yet confirmed" in seen[1].text and "not yet confirmed" not in seen[2].text
        assert "Dmitri S. Peskov" in seen[3].text

    def test_readers_see_no_editor_controls_and_cannot_post(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        first, _ = self.two_reports(maker, session, tmp_path)
        page = soup(client.get(claim_url(first)))
        assert page.select(".statement-form") == []
        response = client.post(f"/claims/{first.id}/statement/confirm", follow_redirects=False)
        assert response.status_code in (303, 401)

    def test_an_editor_confirms_and_splits_with_htmx(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        first, second = self.two_reports(maker, session, tmp_path)
        _, csrf = sign_in(client, session)
        page = soup(client.get(claim_url(first)))
        assert "not yet confirmed" in page.select_one(".reach").text
        assert page.select_one("form[action$='/statement/confirm'] input[name=csrf_token]")
        htmx = {"HX-Request": "true", "HX-Target": "statement", "X-CSRF-Token": csrf}
        confirmed = client.post(f"/claims/{first.id}/statement/confirm", headers=htmx)
        assert confirmed.status_code == 200
        block = soup(confirmed)
        assert block.select_one("section#statement") and "<html" not in confirmed.text
        assert "not yet confirmed" not in block.select_one(".reach").text
        assert confirmed.headers["cache-control"] == "private, no-store"
        split = client.post(
            f"/claims/{first.id}/statement/split", data={"report": second.id}, headers=htmx
        )
        assert "Reported by 1 outlet" in soup(split).select_one(".reach").text
        assert (
            "Reported by 1 outlet" in soup(client.get(claim_url(second))).select_one(".reach").text
        )
        again = client.post(
            f"/claims/{first.id}/statement/split?lang=ar", data={"report": second.id}, headers=htmx
        )
        # As when another editor split it meanwhile: the group as it is now, and why.
        assert again.status_code == 409 and "<html" not in again.text
        block = soup(again)
        assert block.select_one("#statement .reach") and not block.select(".reports")
        error = block.select_one("#split-error").text
        assert error == f"التصريح {second.id} غير مجمَّع مع التصريح {first.id}"

    def test_joining_a_bad_claim_says_why_beside_the_field(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        load_docs(maker, tmp_path, article_doc())
        peskov, second, abu_qasra = claims(session)
        _, csrf = sign_in(client, session)
        form = {"other": str(abu_qasra.id), "csrf_token": csrf}
        response = client.post(f"/claims/{peskov.id}/statement/join", data=form)
        assert response.status_code == 422
        error = soup(response).select_one("#join-error")
        assert "another speaker" in error.text
        assert soup(response).select_one("#join-other")["aria-invalid"] == "true"
        superscript = {"other": "²", "csrf_token": csrf}  # a digit to str.isdigit(), not to int()
        response = client.post(f"/claims/{peskov.id}/statement/join", data=superscript)
        assert response.status_code == 422
        assert "'²' is not a claim number" in soup(response).select_one("#join-error").text
        arabic_digits = str(second.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        joined = client.post(
            f"/claims/{peskov.id}/statement/join",
            data={"other": arabic_digits, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert joined.status_code == 303 and joined.headers["location"] == claim_url(peskov)
        missing_token = client.post(f"/claims/{peskov.id}/statement/join", data={"other": "1"})
        assert missing_token.status_code == 403

    def test_a_refusal_is_never_a_whole_page_inside_the_statement(
        self, client: TestClient, maker: sessionmaker[Session], session: Session, tmp_path: Path
    ) -> None:
        """htmx swaps a 422 (or 409) into its target: a route answers them with its fragment,
        its notes beside the fields. A number past any claim's id is one such note; a refusal
        the route does not answer itself (a form without its field) is the site's error page,
        which htmx is told not to swap, as it swaps no other refusal."""
        load_docs(maker, tmp_path, article_doc())
        peskov = claims(session)[0]
        _, csrf = sign_in(client, session)
        htmx = {"HX-Request": "true", "HX-Target": "statement", "X-CSRF-Token": csrf}
        join = f"/claims/{peskov.id}/statement/join"
        huge = client.post(join, data={"other": "9" * 20}, headers=htmx)
        assert huge.status_code == 422 and "<html" not in huge.text
        assert f"there is no claim {'9' * 20}" in soup(huge).select_one("#join-error").text
        assert "HX-Reswap" not in huge.headers
        unusable = client.post(join, headers=htmx)  # no `other` at all
        assert unusable.status_code == 422 and unusable.headers["HX-Reswap"] == "none"
        missing = client.post("/claims/999999/statement/confirm", headers=htmx)
        assert missing.status_code == 404 and missing.headers["HX-Reswap"] == "none"


class TestMerge:
    def test_an_editor_merges_a_duplicate_and_its_address_says_where_it_went(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        duplicate, kept = peskov, claims(session)[1]
        _, csrf = sign_in(client, session)
        page = soup(client.get(claim_url(duplicate)))
        assert page.select_one("form.merge-form input[name=csrf_token]")
        merged = client.post(
            f"/claims/{duplicate.id}/merge",
            data={"into": str(kept.id), "csrf_token": csrf},
            follow_redirects=False,
        )
        assert merged.status_code == 303 and merged.headers["location"] == claim_url(duplicate)
        client.cookies.clear()  # as a reader sees it
        page = soup(client.get(claim_url(duplicate)))
        assert page.select_one(".notice-merged a")["href"] == claim_url(kept)
        log = [" ".join(li.text.split()) for li in page.select(".corrections-log li")]
        assert [entry.split(" on ")[0] for entry in log] == [f"Merged into claim {kept.id}"]
        assert page.select_one("form.merge-form") is None
        assert client.get(f"/claims/{duplicate.id}.json").json()["merged_into"] == kept.id

    def test_a_merge_that_cannot_be_says_why_beside_the_field(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        _, csrf = sign_in(client, session)
        abu_qasra = claims(session)[2]
        for into, why in [
            (str(peskov.id), "into itself"),
            ("999999", "no claim 999999"),
            ("9" * 20, f"no claim {'9' * 20}"),  # past what the database can even compare
            ("x", "not a claim number"),
            (str(abu_qasra.id), f"claim {abu_qasra.id} has another speaker"),
        ]:
            response = client.post(
                f"/claims/{peskov.id}/merge", data={"into": into, "csrf_token": csrf}
            )
            assert response.status_code == 422
            assert why in soup(response).select_one("#merge-error").text
        second = claims(session)[1]  # the same speaker, still an unchecked proposal
        session.execute(update(Claim).where(Claim.id == second.id).values(status="extracted"))
        session.commit()
        response = client.post(
            f"/claims/{peskov.id}/merge", data={"into": str(second.id), "csrf_token": csrf}
        )
        assert response.status_code == 422
        assert (
            f"claim {second.id} is not checked yet"
            in soup(response).select_one("#merge-error").text
        )
        for into, why in [(str(peskov.id), "في نفسه"), ("x", "ليس رقم تصريح")]:
            response = client.post(
                f"/claims/{peskov.id}/merge?lang=ar", data={"into": into, "csrf_token": csrf}
            )
            assert why in soup(response).select_one("#merge-error").text
        assert client.post(f"/claims/{peskov.id}/merge", data={"into": "1"}).status_code == 403

    def test_a_claim_merged_meanwhile_says_so_beside_the_field(
        self, client: TestClient, session: Session, peskov: Claim
    ) -> None:
        """A second editor's form, or a second tab's, sent after the claim was merged: the 422
        page hid the merge form on a merged claim, so the refusal was shown nowhere. Whatever
        the number typed, the reason is that the claim is merged already."""
        _, csrf = sign_in(client, session)
        kept, other_speaker = claims(session)[1:]
        merge = {"into": str(kept.id), "csrf_token": csrf}
        assert client.post(f"/claims/{peskov.id}/merge", data=merge).status_code == 200
        for into in (kept.id, other_speaker.id):
            response = client.post(
                f"/claims/{peskov.id}/merge", data={"into": str(into), "csrf_token": csrf}
            )
            assert response.status_code == 422
            field = soup(response).select_one("form.merge-form")
            assert field.select_one("#merge-into")["value"] == str(into)
            error = field.select_one("#merge-error").text
            assert error == f"this claim is already merged into claim {kept.id}"
