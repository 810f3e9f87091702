"""Accounts for tests: an editor or administrator, signed in on a test client."""

import os
import subprocess
import sys

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import User
from app.models.vocab import Role
from app.services import auth
from app.web.security import SESSION_COOKIE

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
