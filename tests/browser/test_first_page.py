from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot


def test_the_seeds_are_listed_with_arabic_quotes(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    claims = page.locator("article.claim")
    expect(claims.first).to_be_visible()
    assert claims.count() >= 30
    quote = claims.first.locator(".quote")
    assert quote.evaluate("el => getComputedStyle(el).direction") == "rtl"
    screenshot(page, "first-page-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(page, "first-page-phone")
    assert not overflow
