"""What the editors' tests start from: the factory article's claims waiting in the review queue,
and an editor signed in."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.editors import load_extracted, sign_in


@pytest.fixture
def claims(maker: sessionmaker[Session], tmp_path: Path) -> list[int]:
    return load_extracted(maker, tmp_path)


@pytest.fixture
def csrf(client: TestClient, session: Session) -> str:
    """The signed-in editor's CSRF token."""
    return sign_in(client, session)[1]
