"""Alembic, driven from code: `basewatch db upgrade`, serve's start-up, and the tests."""

from pathlib import Path

from alembic import command
from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str | None = None) -> Config:
    config = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
    if url is not None:
        config.attributes["sqlalchemy.url"] = url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str | None = None) -> None:
    """Raise if autogenerate would write a migration: the models and migrations have drifted."""
    command.check(alembic_config(url))
