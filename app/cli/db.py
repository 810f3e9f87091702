from collections.abc import Iterator
from contextlib import contextmanager

import click
from alembic.util import CommandError

from app.cli.common import database_url
from app.db import migrate


@contextmanager
def _alembic_refusal() -> Iterator[None]:
    """Alembic's refusal (a revision it cannot find, a downgrade target above the current one,
    models that drifted from the migrations) in one line, not a traceback."""
    try:
        yield
    except CommandError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = database_url()
    with _alembic_refusal():
        migrate.upgrade(url, revision)
    click.echo(f"database at {revision}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (`base` removes every table)."""
    url = database_url()
    with _alembic_refusal():
        migrate.downgrade(url, revision)
    click.echo(f"database at {revision}")


@db.command()
def check() -> None:
    """Fail if the models and the migrations disagree."""
    url = database_url()
    with _alembic_refusal():
        migrate.check(url)
    click.echo("models and migrations agree")
