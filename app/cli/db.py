import click

from app.cli.common import database_url
from app.db import migrate


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(database_url(), revision)
    click.echo(f"database at {revision}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (`base` removes every table)."""
    migrate.downgrade(database_url(), revision)
    click.echo(f"database at {revision}")


@db.command()
def check() -> None:
    """Fail if the models and the migrations disagree."""
    migrate.check(database_url())
    click.echo("models and migrations agree")
