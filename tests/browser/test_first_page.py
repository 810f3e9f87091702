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


def test_the_timeline_in_arabic_names_speakers_and_sides_in_arabic(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/?lang=ar")
    speakers = page.locator(".facet-speaker label bdi")
    expect(speakers.first).to_be_visible()
    assert "فلاديمير بوتين" in speakers.all_inner_texts()
    # The side lanes' names sit inside the chart, right-aligned, none cut off at its edge.
    chart = page.locator(".chart-svg").bounding_box()
    labels = page.locator(".chart-svg .lane-label")
    assert labels.all_text_contents() == ["روسيا", "سوريا", "آخرون"]
    for label in labels.all():
        box = label.bounding_box()
        assert (
            chart
            and box
            and chart["x"] <= box["x"]
            and box["x"] + box["width"] <= chart["x"] + chart["width"]
        )
    screenshot(page, "timeline-arabic")
