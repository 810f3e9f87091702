"""Accounts for tests: an editor or administrator, signed in on a test client; and the claims
they start from, proposed by an extractor."""

import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.batch import load_paths
from app.models import Claim, User
from app.models.vocab import Role
from app.services import auth
from app.web.security import SESSION_COOKIE
from tests.factories import article_doc, write_json

PASSWORD = "correct horse battery staple"


def make_user(session: Session, name: str = "editor", role: Role = Role.EDITOR) -> User:
    user = auth.add_user(session, name, role, PASSWORD)
    session.commit()
    return user


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token a page gives this client, as its forms carry it."""
    page = BeautifulSoup(client.get(path).text, "html.parser")
    field = page.select_one("input[name=csrf_token]")
    assert field is not None, f"{path} has no csrf_token field"
    return str(field["value"])


def sign_in(
    client: TestClient, session: Session, name: str = "editor", role: Role = Role.EDITOR
) -> tuple[User, str]:
    """A new account, signed in on `client`; returns it and the CSRF token to send."""
    user = make_user(session, name, role)
    token = auth.start_session(session, user)
    session.commit()
    client.cookies.set(SESSION_COOKIE, token)
    return user, csrf_of(client)


def basewatch(url: str, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The basewatch command, run as a script would, with `stdin` piped in."""
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def load_extracted(maker: sessionmaker[Session], tmp_path: Path) -> list[int]:
    """The factory article, its three claims proposed by an extractor; their ids in order."""
    doc = article_doc()
    for claim in doc["claims"]:
        claim |= {"status": "extracted", "extractor": "rules-0.1"}
    report = load_paths(maker, [write_json(tmp_path / "a.json", doc)], max_bytes=10**7)
    assert report.refused == []
    with maker() as session:
        return list(session.scalars(select(Claim.id).order_by(Claim.span_start)))
