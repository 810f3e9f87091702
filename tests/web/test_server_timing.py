"""Every page says what it cost: database time and render time, in a Server-Timing header."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.costs import Costs
from app.main import create_app
from app.settings import Settings
from app.web.timing import header

TIMING = re.compile(r'(\w+);dur=([\d.]+)(?:;desc="[^"]*")?')


def _timings(value: str) -> dict[str, float]:
    return {name: float(ms) for name, ms in TIMING.findall(value)}


@pytest.fixture
def real_client(fresh_database_url: str) -> Iterator[TestClient]:
    """The app on its own engine (not the test transaction), as it runs in production."""
    with TestClient(create_app(Settings(DATABASE_URL=fresh_database_url))) as client:
        yield client


def test_a_page_reports_its_database_and_render_time(real_client: TestClient) -> None:
    response = real_client.get("/")
    assert response.status_code == 200
    spent = _timings(response.headers["Server-Timing"])
    assert set(spent) == {"db", "render", "total"}
    assert spent["db"] > 0 and spent["render"] > 0
    assert spent["db"] + spent["render"] <= spent["total"]


def test_an_error_page_reports_too(real_client: TestClient) -> None:
    response = real_client.get("/claims/999999999")
    assert response.status_code == 404
    assert "total;dur=" in response.headers["Server-Timing"]


def test_the_header_adds_up_what_each_kind_cost() -> None:
    spent = Costs()
    spent.add("db", 0.001)
    spent.add("db", 0.0005)
    assert _timings(header(spent, 0.004)) == {"db": 1.5, "render": 0.0, "total": 4.0}
