from playwright.sync_api import Page, expect

from tests.browser.conftest import SWAP_PENDING, screenshot


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


def test_the_timeline_and_a_speaker_in_arabic(page: Page, live_server: str) -> None:
    page.goto(live_server + "/?lang=ar")
    speakers = page.locator(".facet-speaker label bdi")
    expect(speakers.first).to_be_visible()
    assert "فلاديمير بوتين" in speakers.all_inner_texts()
    # The side lanes' names sit inside the chart, right-aligned, none cut off at its edge.
    assert lane_labels_inside_the_chart(page) == ["روسيا", "سوريا", "آخرون"]
    screenshot(page, "timeline-arabic")
    page.locator("article.claim .speaker a", has_text="ديمتري بيسكوف").first.click()
    expect(page.locator("h1")).to_contain_text("ديمتري بيسكوف")
    assert "، " in page.locator(".aliases").inner_text()  # the Arabic comma between names
    assert lane_labels_inside_the_chart(page)[0] == "بقاء"
    screenshot(page, "actor-arabic")


def lane_labels_inside_the_chart(page: Page) -> list[str]:
    # The chart comes after the page (hx-trigger=load), maybe after the facets, and is swapped
    # again while its months are counted: measured during a swap, a label has no box.
    expect(page.locator(SWAP_PENDING)).to_have_count(0)
    expect(page.locator(".chart-svg").first).to_be_visible()
    chart = page.locator(".chart-svg").first.bounding_box()
    assert chart
    labels = page.locator(".chart-svg .lane-label")
    for label in labels.all():
        box = label.bounding_box()
        assert box
        assert chart["x"] <= box["x"] <= box["x"] + box["width"] <= chart["x"] + chart["width"]
    return labels.all_text_contents()
