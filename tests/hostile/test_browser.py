"""The hostile archive in a real Chromium: nothing a payload carries runs, and no bidi control
character in one quote reorders text outside its own element.

Script-bearing payloads call alert("<name>"); the page listens for dialogs, page errors and
console errors (a script the Content-Security-Policy refused is logged as one) on every page.
The bidi check is about layout, not markup: after every text holding a bidi control character,
the next words on the same line must still read in their own direction (a Latin word's first
letter left of its last, an Arabic word's right of it), measured from the rendered boxes: in the
next text nodes, in the same text node after the payload, and in the text that holds no markup
(the page's title, its link-preview titles, a type-ahead's options), laid out for the check.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog

from app.main import create_app
from app.settings import Settings
from tests.hostile.archive import EDITOR, PASSWORD, hostile_rows
from tests.hostile.corpus import PAYLOADS
from tests.live import serving

pytestmark = pytest.mark.browser

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
SHOWN = {"script", "event-handler", "url", "svg-mathml", "html", "template", "bidi"}
"""The kinds a browser could run or be reordered by: each has its claim page visited; bidi
payloads, and the first of every other kind, their editor, embed, history and actor too. (The
timeline pages show every payload; test_web.py checks every page's markup for all of them.)"""
LEAKS = Path(__file__).with_name("bidi_leaks.js").read_text()
"""Returns, for the page, each word after a bidi control character that reads backwards; given
the payloads, it looks after each one in its own text node too."""
CONTROLLING = [p.text for p in PAYLOADS if BIDI.search(p.text)]


@pytest.fixture(scope="module")
def base(hostile_url: str) -> Iterator[str]:
    with serving(create_app(Settings(DATABASE_URL=hostile_url))) as url:
        yield url


class Watched:
    """A page whose dialogs, page errors and console errors are all kept."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.events: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda m: self.events.append(f"console: {m.text}") if m.type == "error" else None,
        )

    def _dialog(self, dialog: Dialog) -> None:
        self.events.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str) -> list[str]:
        """Open `url`, let it settle, and return what happened and any bidi leak on it."""
        before = len(self.events)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(50)  # autofocus and onload handlers would fire by now
        leaks = self.page.evaluate(LEAKS, CONTROLLING)
        return [f"{url}: {e}" for e in self.events[before:] + leaks]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    watched.context.close()


def test_pages_showing_the_payloads_run_nothing_and_bidi_stays_inside(
    watched: Watched, base: str, hostile_url: str
) -> None:
    claims, speakers = hostile_rows(hostile_url)
    pages = ["/", "/?from=2025-02-06&to=2025-02-06", "/?q=script", "/review", "/review/quality"]
    pages += ["/actors/suggest?speaker=unterminated", "/actors/suggest?speaker=evil"]
    first_of_kind: set[str] = set()
    for payload in PAYLOADS:
        if payload.kind not in SHOWN:
            continue
        claim = claims[payload.name]
        pages.append(f"/claims/{claim}")
        if payload.kind == "bidi" or payload.kind not in first_of_kind:
            first_of_kind.add(payload.kind)
            pages += [f"/claims/{claim}/edit", f"/claims/{claim}/embed"]
            pages += [f"/claims/{claim}/history", f"/actors/{speakers[payload.name]}"]
    page = watched.page
    page.goto(f"{base}/login?next=/review")  # signed in, pages show the editors' controls too
    page.fill("#username", EDITOR)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/review")
    problems = [problem for path in pages for problem in watched.visit(base + path)]
    assert problems == [], "\n".join(problems[:40])


def test_the_checks_see_what_they_look_for(watched: Watched) -> None:
    """The checks themselves: a handler that runs shows as a dialog; an unclosed override in a
    plain span reverses the words after it, and the same span isolated does not."""
    watched.page.set_content("<img src=x onerror=alert('ran')>")  # no CSP on a blank page
    watched.page.wait_for_timeout(100)
    assert "dialog: ran" in watched.events
    leaky = "<p><span>\u202eevil</span> then the speaker Vladimir Putin</p>"
    watched.page.set_content(leaky)
    assert watched.page.evaluate(LEAKS), "an override that leaks was not seen"
    watched.page.set_content(leaky.replace("<span>", "<bdi>").replace("</span>", "</bdi>"))
    assert watched.page.evaluate(LEAKS) == []
    arabic = "<p dir=rtl><span>\u202dx</span> قال المتحدث باسم الكرملين</p>"
    watched.page.set_content(arabic)
    assert watched.page.evaluate(LEAKS), "an override that leaks into Arabic was not seen"
    # In the payload's own text node, after it: the words the page joined to it, isolated or not.
    payload = "\u202eevil"
    joined = f"<p>{payload} · then the speaker Vladimir Putin</p>"
    watched.page.set_content(joined)
    assert watched.page.evaluate(LEAKS, [payload]), "a leak in the same text node was not seen"
    watched.page.set_content(joined.replace(payload, f"\u2068{payload}\u2069"))
    assert watched.page.evaluate(LEAKS, [payload]) == []
    # Text without markup, laid out to be measured: a page's title.
    watched.page.set_content(f"<title>{payload} · basewatch</title><p>the page</p>")
    assert watched.page.evaluate(LEAKS, [payload]), "a leak in the page's title was not seen"


def test_bidi_payloads_are_in_the_corpus() -> None:
    assert sum(bool(BIDI.search(p.text)) for p in PAYLOADS) >= 5
