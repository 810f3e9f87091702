"""An analyst's walk through the timeline in a real Chromium: filter by speaker and base, search
an Arabic word written with another hamza form, narrow to a month in the chart, go back, export
CSV, switch the language, narrow to editors' tags. Screenshots in both languages, at desktop and
phone width."""

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.db.engine import make_engine, make_sessionmaker
from app.models import Actor, Claim, Tag
from app.models.vocab import Role
from app.queries.facets import ON_REQUEST
from app.services import auth
from app.web import timeline
from tests.browser.conftest import SWAP_PENDING, open_timeline, screenshot
from tests.editors import PASSWORD


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_an_analyst_walks_the_timeline(page: Page, live_server: str, tmp_path: Path) -> None:
    page.goto(live_server + "/?lang=en")
    expect(page.locator("article.claim").first).to_be_visible()
    # The counts and the chart follow the list, swapped in by htmx once the page has loaded (the
    # chart's slot holds an empty frame meanwhile, so an svg alone does not say it came).
    expect(page.locator(".facet-stance .count").first).to_be_visible()
    expect(page.locator(SWAP_PENDING)).to_have_count(0)
    expect(page.locator("#chart svg")).to_be_visible()
    expect(page.locator("#chart .chart-waiting")).to_have_count(0)
    screenshot(page, "timeline-desktop-en")

    # The speaker box suggests names in any script; picking one filters (and pushes the URL).
    page.fill("#speaker-search", "بوت")
    expect(page.locator('#speaker-options option[value="vladimir-putin"]')).to_be_attached()
    page.fill("#speaker-search", "vladimir-putin")
    page.wait_for_url("**speaker=vladimir-putin**")
    expect(page.locator(".facet-speaker input[value=vladimir-putin]")).to_be_checked()
    page.locator(".facet-base input[value=tartus]").check()
    page.wait_for_url("**base=tartus**")
    assert params(page)["speaker"] == ["vladimir-putin"]
    speakers = page.locator("article.claim .speaker a").all_inner_texts()
    assert speakers and set(speakers) == {"Vladimir Putin"}

    # Arabic search with another hamza form: اعادة finds لإعادة, and marks it.
    page.goto(live_server + "/")
    page.fill("#q", "اعادة")
    page.press("#q", "Enter")
    page.wait_for_url("**q=**")
    expect(page.locator(".quote mark").first).to_have_text("لإعادة")
    screenshot(page, "timeline-search-en")
    searched = page.url

    # A month in the chart narrows the timeline to it; the back button restores the search.
    page.goto(live_server + "/")
    before = page.url
    month = page.locator("a.month-link").first
    month.click()
    page.wait_for_url("**from=**")
    start, end = params(page)["from"][0], params(page)["to"][0]
    dates = page.locator("article.claim time").evaluate_all("els => els.map(e => e.dateTime)")
    # A date known to the month or year says so (2025-01): compare it at its own precision.
    assert dates and all(start[: len(d)] <= d <= end[: len(d)] for d in dates)
    page.go_back()
    page.wait_for_url(before)
    expect(page.locator("a.month-link").first).to_be_visible()
    assert page.locator("article.claim").count() > len(dates)

    # The CSV of the current selection opens in spreadsheets (UTF-8 with a BOM).
    page.goto(searched)
    with page.expect_download() as download:
        page.click("text=CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeffid,") and "إعادة" in text

    # The language switch keeps the view and turns the page right-to-left.
    page.click("a.lang-switch")
    page.wait_for_url("**lang=ar**")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert params(page)["q"] == ["اعادة"]
    expect(page.locator(".quote mark").first).to_be_visible()
    page.goto(live_server + "/")
    expect(page.locator("#results-heading")).to_have_text("تصريحات عن القواعد الروسية")
    screenshot(page, "timeline-desktop-ar")
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(page, "timeline-phone-ar")
    page.goto(live_server + "/?lang=en")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(page, "timeline-phone-en")


def test_the_list_stays_put_when_the_counts_and_chart_arrive(page: Page, live_server: str) -> None:
    """The counts and the chart come after the list (htmx, on load); they take the places held
    for them, so that a reader who has started on the list does not see it jump."""
    held: list[Route] = []
    page.route("**/timeline/overview*", lambda route: held.append(route))  # answered later
    for width, lang in [(1280, "en"), (1280, "ar"), (390, "ar")]:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/?lang={lang}", wait_until="domcontentloaded")
        first = page.locator("article.claim").first
        expect(first).to_be_visible()
        page.wait_for_timeout(200)  # both overview requests are out (and held)
        before = first.bounding_box()
        assert held and before, "the overview was asked for, and the list drawn"
        while held:
            held.pop().continue_()
        expect(page.locator(SWAP_PENDING)).to_have_count(0)
        expect(page.locator("#chart .chart-svg")).to_be_visible()
        assert first.bounding_box() == before, (width, lang)


def test_counts_too_broad_for_a_request_arrive_without_a_reload(
    page: Page, live_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large archive a broad selection's counts are worked out in the background: meanwhile
    every filter can be chosen, and the counts take their place when ready, with no reload."""
    monkeypatch.setattr(timeline, "ON_REQUEST", replace(ON_REQUEST, max_rows=0))
    page.goto(f"{live_server}/?lang=ar&stance=unclear")  # a selection no other test counts
    expect(page.locator("#facets[aria-busy=true] .facet-stance .facet-slow")).to_have_text(
        "جارٍ العدّ… يستغرق اختيار بهذا الاتساع بضع ثوانٍ."
    )
    expect(page.locator(".facet-base input")).to_have_count(3)
    screenshot(page, "timeline-counting-ar")
    expect(page.locator("#facets[aria-busy]")).to_have_count(0)
    expect(page.locator(".facet-slow")).to_have_count(0)
    expect(page.locator(".facet-stance .count").first).to_be_visible()


def test_actor_base_pages_at_phone_width(page: Page, live_server: str) -> None:
    for path, name in [("/actors/vladimir-putin", "actor"), ("/bases/tartus", "base")]:
        for lang in ("en", "ar"):
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{live_server}{path}?lang={lang}")
            expect(page.locator("article.claim").first).to_be_visible()
            screenshot(page, f"{name}-desktop-{lang}")
            page.set_viewport_size({"width": 360, "height": 800})
            assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            screenshot(page, f"{name}-phone-{lang}")


def test_an_article_with_its_claims_marked(page: Page, live_server: str) -> None:
    open_timeline(page, live_server + "/?lang=en")
    page.locator("article.claim a", has_text="in the article").first.click()
    page.wait_for_url("**/articles/**")
    article = page.url.split("#")[0].removeprefix(live_server)
    mark = page.locator(".article-text mark.span a").first
    expect(mark).to_be_visible()
    assert mark.get_attribute("href").startswith("/claims/")
    for lang in ("en", "ar"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server}{article}?lang={lang}")
        expect(page.locator(".article-text")).to_have_attribute("dir", "rtl")
        screenshot(page, f"article-desktop-{lang}")
        page.set_viewport_size({"width": 360, "height": 800})
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        screenshot(page, f"article-phone-{lang}")


def test_an_editor_starts_a_claim_from_a_selection_in_the_article(
    page: Page, live_server: str, live_database_url: str
) -> None:
    engine = make_engine(live_database_url)
    with make_sessionmaker(engine).begin() as session:
        auth.add_user(session, "nadia", Role.EDITOR, PASSWORD)
    engine.dispose()
    article = "/articles/menber-2025-02-12-putin-sharaa-call"
    page.goto(f"{live_server}/login?next={article}")
    page.fill("#username", "nadia")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + article)
    words = "مواصلة الاتصالات لتطوير التعاون الثنائي"
    page.evaluate(
        """(words) => {
            const root = document.querySelector('.article-page [data-selectable]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode()); ) {
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                return;
            }
            throw new Error('not in the text: ' + words);
        }""",
        words,
    )
    expect(page.locator("[data-selection-bar]")).to_be_visible()
    screenshot(page, "article-editor-selection-en")
    page.locator("[data-selection-bar] [data-new-claim]").click()
    page.wait_for_url("**/claims/new?start=*")
    expect(page.locator("#new_claim [data-span-preview]")).to_have_text(words)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_chart_is_one_tab_stop_walked_with_the_arrows(
    page: Page, live_server: str, language: str
) -> None:
    """Each month was a stop for Tab, a hundred of them before the list on a decade's archive;
    now Tab passes the chart in one step, and the arrows go from month to month the way they
    are drawn (leftwards is earlier in English, later in Arabic)."""
    open_timeline(page, f"{live_server}/?lang={language}")
    months = page.locator("a.month-link")
    assert months.count() > 1
    page.locator("a[href^='/api/claims']").focus()
    page.keyboard.press("Tab")
    focused = "document.activeElement.getAttribute('href')"
    newest = page.evaluate(focused)
    assert "month-link" in page.evaluate("document.activeElement.getAttribute('class')")
    page.keyboard.press("ArrowLeft" if language == "en" else "ArrowRight")
    earlier = page.evaluate(focused)
    assert parse_qs(urlsplit(earlier).query)["from"] < parse_qs(urlsplit(newest).query)["from"]
    page.keyboard.press("Tab")
    assert "month-link" not in (page.evaluate("document.activeElement.getAttribute('class')") or "")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == earlier  # the chart remembers the month last chosen
    page.keyboard.press("Enter")
    page.wait_for_url("**from=**")
    assert params(page)["from"] == parse_qs(urlsplit(earlier).query)["from"]


def test_a_screen_reader_reaches_every_month_with_claims(page: Page, live_server: str) -> None:
    """The chart is a group, not an image: an image's contents, its month links included, are
    hidden from assistive technology."""
    open_timeline(page, live_server + "/")
    months = page.locator("a.month-link")
    first = months.first.get_attribute("aria-label")
    assert first
    expect(page.get_by_role("link", name=first, exact=True)).to_have_count(1)
    assert page.get_by_role("group", name="Positions over time").count() == 1


def tag_speakers_claims(database_url: str, tags: dict[str, str]) -> None:
    """Each speaker's claims get the tag named beside the speaker, as an editor's save gives it
    (the claim changes, so the counts kept for the archive are renewed)."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine).begin() as session:
        for slug, name in tags.items():
            tag = Tag(name=name)
            claims = session.scalars(
                select(Claim)
                .join(Actor)
                .where(Actor.slug == slug)
                .options(selectinload(Claim.tags))
            )
            for claim in claims:
                claim.tags.append(tag)
                claim.updated_at = func.now()
    engine.dispose()


def test_an_analyst_narrows_the_timeline_to_tags(
    page: Page, live_server: str, live_database_url: str
) -> None:
    """Checking a tag narrows the list to its claims and puts it in the address; a second tag
    widens it to the claims with either; the back button returns to the first."""
    tag_speakers_claims(live_database_url, {"sergey-lavrov": "اتفاقيات", "kremlin": "Moscow visit"})
    open_timeline(page, live_server + "/?lang=en")
    everything = page.locator("article.claim").count()
    page.locator(".facet-tag input[value=اتفاقيات]").check()
    page.wait_for_url("**tag=**")
    assert params(page)["tag"] == ["اتفاقيات"]
    expect(page.locator("article.claim")).to_have_count(3)
    assert set(page.locator("article.claim .speaker a").all_inner_texts()) == {"Sergey Lavrov"}
    expect(page.locator(SWAP_PENDING)).to_have_count(0)  # the other tags come with the counts
    expect(page.locator(".facet-tag input[value=اتفاقيات]")).to_be_checked()
    narrowed = page.url
    page.locator(".facet-tag input[value='Moscow visit']").check()
    page.wait_for_url("**Moscow**")
    assert params(page)["tag"] == ["اتفاقيات", "Moscow visit"]
    expect(page.locator("article.claim")).to_have_count(5)
    assert 5 < everything
    expect(page.locator(SWAP_PENDING)).to_have_count(0)
    screenshot(page, "timeline-tags-en")
    page.go_back()
    page.wait_for_url(narrowed)
    expect(page.locator("article.claim")).to_have_count(3)
    open_timeline(page, page.url + "&lang=ar")
    expect(page.locator(".facet-tag input[value=اتفاقيات]")).to_be_checked()
    screenshot(page, "timeline-tags-ar")
