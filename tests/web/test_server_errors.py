"""A bug (here: a table the code needs is gone) answers a 500 that tells nothing of the cause,
as a page in the reader's language or JSON for programs, with the headers of every other page."""

import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.main import create_app
from app.settings import Settings
from app.web.security import HEADERS


@pytest.fixture
def broken_client(fresh_database_url: str) -> Iterator[TestClient]:
    engine = create_engine(fresh_database_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE actors RENAME TO actors_gone"))
    engine.dispose()
    settings = Settings(
        DATABASE_URL=fresh_database_url,
        BASEWATCH_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(32),
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _tells_nothing(body: str) -> None:
    for inside in ("Traceback", "actors", "psycopg", "sqlalchemy", "SELECT", ".py"):
        assert inside not in body, inside


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_page_that_fails_answers_500_as_a_page_with_the_usual_headers(
    broken_client: TestClient, lang: str
) -> None:
    response = broken_client.get(f"/?lang={lang}")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name
    assert f'<html lang="{lang}"' in response.text and 'role="alert"' in response.text
    _tells_nothing(response.text)


def test_a_program_gets_json(broken_client: TestClient) -> None:
    response = broken_client.get("/claims/1.json")
    assert response.status_code == 500
    assert set(response.json()) == {"detail"}
    assert response.headers["x-content-type-options"] == "nosniff"
    _tells_nothing(response.text)
