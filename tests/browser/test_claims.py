import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from app.models import Article, Claim
from tests.browser.conftest import open_timeline, screenshot
from tests.factories import article_doc, write_json


@pytest.fixture
def newsroom() -> Iterator[tuple[str, list[str]]]:
    """Another site (another origin on this machine) whose story page embeds what it is given."""
    story: list[str] = [""]

    class Story(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = story[0].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Story)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/story.html", story
    server.shutdown()
    thread.join(5)


def loaded_claim(database_url: str, tmp_path: Path, doc: dict[str, Any]) -> int:
    """The id of the one claim of `doc`, loaded into the live server's database."""
    engine = make_engine(database_url)
    maker = make_sessionmaker(engine)
    assert load_paths(maker, [write_json(tmp_path / "a.json", doc)], max_bytes=10**7).refused == []
    key = doc["article"]["key"]
    with maker() as session:
        claim_id = session.scalars(select(Claim.id).join(Article).where(Article.key == key)).one()
    engine.dispose()
    return claim_id


def open_first_claim(page: Page, live_server: str) -> str:
    """From the timeline to the first claim's page; returns its address."""
    open_timeline(page, live_server + "/")
    page.locator("article.claim").first.locator("a[href^='/claims/']").first.click()
    expect(page.locator("blockquote.claim-quote")).to_be_visible()
    # A click waits for the navigation to commit, not for the page's deferred scripts (its copy
    # buttons' handler): a key pressed before "load" did nothing.
    page.wait_for_load_state("load")
    return page.url


def test_a_claim_opens_from_the_timeline_and_its_citation_copies(
    page: Page, live_server: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    url = open_first_claim(page, live_server)
    assert re.fullmatch(re.escape(live_server) + r"/claims/\d+-[a-z0-9-]+", url)
    quote = page.locator("blockquote.claim-quote")
    assert quote.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".copy-status")).to_have_text("Citation copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#cite-full").inner_text()
    assert url in copied and "accessed" in copied
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".copy-status")).to_have_text("Link copied.")  # the write has finished
    assert page.evaluate("navigator.clipboard.readText()") == url
    screenshot(page, "claim-desktop-en")
    page.set_viewport_size({"width": 360, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(page, "claim-phone-en")


def test_the_claim_page_in_arabic(page: Page, live_server: str) -> None:
    url = open_first_claim(page, live_server)
    page.goto(url + "?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("blockquote.claim-quote")).to_be_visible()
    screenshot(page, "claim-desktop-ar")
    page.set_viewport_size({"width": 360, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(page, "claim-phone-ar")


def test_an_old_slug_lands_on_the_permanent_address(page: Page, live_server: str) -> None:
    url = open_first_claim(page, live_server)
    claim_id = url.split("/claims/")[1].split("-")[0]
    page.goto(f"{live_server}/claims/{claim_id}-what-it-was-called-last-week")
    assert page.url == url
    expect(page.locator("blockquote.claim-quote")).to_be_visible()


def test_the_embed_shows_inside_an_iframe_on_another_site(
    page: Page, live_server: str, newsroom: tuple[str, list[str]]
) -> None:
    url = open_first_claim(page, live_server)
    claim_id = url.split("/claims/")[1].split("-")[0]
    oembed = page.request.get(f"{live_server}/oembed", params={"url": url}).json()
    story_url, story = newsroom
    story[0] = f"<!doctype html><title>Story</title><h1>A newsroom story</h1>{oembed['html']}"
    page.goto(story_url)
    frame = page.frame_locator("iframe")
    expect(frame.locator(".embed-card blockquote.quote")).to_be_visible()
    expect(frame.locator(".embed-link a")).to_have_attribute("href", url)
    assert f"/claims/{claim_id}/embed" in page.locator("iframe").get_attribute("src")  # type: ignore[operator]
    screenshot(page, "claim-embed")


def test_a_long_claim_s_embed_keeps_its_source_and_link_in_the_frame(
    page: Page,
    live_server: str,
    live_database_url: str,
    newsroom: tuple[str, list[str]],
    tmp_path: Path,
) -> None:
    """The frame is as high as oEmbed says (320 px): a long quote and summary pushed the source
    and the link to the claim out of it, so a newsroom's readers saw words with no attribution.
    They give way now, cut with …, and the card ends inside the frame."""
    doc = article_doc(key="long-embedded-claim", published_on="2010-01-02")
    claim = doc["claims"][0]
    text = doc["article"]["text"] = " ".join([doc["article"]["text"]] * 3)
    claim |= {"quote": text, "start": 0, "end": len(text), "stated_on": "2010-01-01"}
    claim["summary_en"] = " ".join([claim["summary_en"]] * 5)  # oldest: the first claim stays
    doc["claims"] = [claim]
    claim_id = loaded_claim(live_database_url, tmp_path, doc)
    url = f"{live_server}/claims/{claim_id}"
    oembed = page.request.get(f"{live_server}/oembed", params={"url": url}).json()
    story_url, story = newsroom
    story[0] = f"<!doctype html><title>Story</title><h1>A newsroom story</h1>{oembed['html']}"
    page.goto(story_url)
    frame = page.frame_locator("iframe")
    for kept in (".embed-card .source", ".embed-link a", ".embed-card"):
        expect(frame.locator(kept)).to_be_in_viewport(ratio=1)
    screenshot(page, "claim-embed-long")


def test_a_printed_claim_keeps_the_claim_and_leaves_out_the_controls(
    page: Page, live_server: str
) -> None:
    open_first_claim(page, live_server)
    page.emulate_media(media="print")
    for kept in ("blockquote.claim-quote", "#cite-url", "#cite-full", ".corrections"):
        expect(page.locator(kept)).to_be_visible()
    for left_out in ("button.copy", ".lang-switch", ".claim-neighbours"):
        expect(page.locator(left_out).first).to_be_hidden()
    # The seeds' articles have no web address: the page's own link to one, as it would be.
    after = page.evaluate(
        """() => {
            const link = Object.assign(document.createElement("a"),
                {className: "original", href: "https://example.org/story"});
            document.querySelector(".claim-source").append(link);
            return getComputedStyle(link, "::after").content;
        }"""
    )
    assert after == '" <https://example.org/story>"'


def test_copying_over_plain_http_keeps_the_keyboard_on_the_button(
    page: Page, live_server: str
) -> None:
    """On a newsroom's intranet (http, not localhost) the page copies through a selection; the
    keyboard's focus comes back to the button it pressed."""
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
    open_first_claim(page, live_server)
    button = page.get_by_role("button", name="Copy citation")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".copy-status")).not_to_be_empty()
    assert button.evaluate("el => el === document.activeElement")


READS_FORWARD = """(el, word) => {
  const node = [...el.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.data.includes(word));
  const at = node.data.indexOf(word);
  const box = i => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                     return r.getBoundingClientRect(); };
  return box(at).left < box(at + word.length - 1).left;
}"""
"""Whether `word`, in the element's text, is drawn first letter left of its last (English order)."""


def test_an_override_in_a_speaker_s_name_or_role_stays_out_of_the_citation_s_words(
    page: Page, live_server: str, live_database_url: str, tmp_path: Path
) -> None:
    """An article's speaker and role are untrusted text: a right-to-left override (U+202E) in
    either reversed every word of the citation after it, on the page and wherever it is pasted."""
    doc = article_doc(key="override-in-the-speaker", published_on="2010-01-02")
    claim = doc["claims"][0]
    claim["stated_on"] = "2010-01-01"  # the oldest statement: the other tests' first claim stays
    claim["speaker"] = claim["speaker"] | {
        "name": "متحدث مجهول",
        "name_en": "\u202eUnknown Spokesman",
        "role": "\u202eSpokesman",
    }
    doc["claims"] = [claim]
    claim_id = loaded_claim(live_database_url, tmp_path, doc)
    page.goto(f"{live_server}/claims/{claim_id}")
    for form, word in [("full", "statement"), ("full", "Recorded"), ("short", "basewatch")]:
        assert page.locator(f"#cite-{form}").evaluate(READS_FORWARD, word), (form, word)
