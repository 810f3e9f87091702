"""A real headless Chromium (Debian's package, driven by Playwright) against a live basewatch.

The server runs in a thread on a free port, over a database of its own with the seeds loaded.
Screenshots go to test-artifacts/ for a person to look at.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from app.main import create_app
from app.settings import Settings
from tests.live import serving

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def live_database_url(pg_admin_url: str, template_database_url: str) -> Iterator[str]:
    """A database of the module's own, with the seeds loaded (the browser commits for real)."""
    from tests.conftest import _copy_of_template

    for url in _copy_of_template(pg_admin_url, template_database_url):
        engine = make_engine(url)
        report = load_paths(
            make_sessionmaker(engine),
            [ROOT / "seeds" / "actors.json", ROOT / "seeds" / "articles"],
            max_bytes=10**7,
        )
        engine.dispose()
        assert report.refused == []
        yield url


@pytest.fixture(scope="module")
def live_server(live_database_url: str) -> Iterator[str]:
    with serving(create_app(Settings(DATABASE_URL=live_database_url))) as url:
        yield url


@pytest.fixture
def tolerated_errors() -> tuple[str, ...]:
    """Console errors a module provokes on purpose (a test module overrides this)."""
    return ()


@pytest.fixture
def page(browser: Browser, tolerated_errors: tuple[str, ...]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    unexpected = [e for e in errors if not any(known in e for known in tolerated_errors)]
    assert unexpected == [], f"the page logged errors: {unexpected}"


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # caret="initial": hiding the caret injects a <style>, which the Content-Security-Policy refuses.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


SWAP_PENDING = "[hx-trigger^=load]"
"""What htmx has yet to swap in: a part asked for once the page is in, or again until counted."""


def open_timeline(page: Page, address: str) -> None:
    """The timeline with its counts and chart in place (htmx swaps them in after the list): a
    test that clicks a facet value or a month acts on the counted page, not on its frame."""
    page.goto(address)
    expect(page.locator(SWAP_PENDING)).to_have_count(0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder drives Chromium: `-m "not browser"` leaves it out."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)
