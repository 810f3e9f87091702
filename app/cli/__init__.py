"""The `basewatch` command."""

import signal
from typing import Any

import click
import psycopg
from sqlalchemy.exc import OperationalError

from app.cli.common import database_failure
from app.cli.data import checksum_command, export_command, load_command
from app.cli.db import db
from app.cli.extract import eval_command, extract_command
from app.cli.serve import serve
from app.cli.users import users

INTERRUPTED = 128 + signal.SIGINT
"""A shell's exit status for a command stopped by Ctrl-C, which scripts test for."""


class Basewatch(click.Group):
    """The commands check their database before they start; one that fails later still ends
    in one line, not a traceback. Ctrl-C ends one in a line that says what was kept, not in
    click's bare "Aborted!" (status 1, which a script cannot tell from a failure)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (OperationalError, psycopg.OperationalError) as error:
            raise database_failure(error) from None
        except KeyboardInterrupt:
            click.echo(
                "interrupted: the work under way was not stored; what finished before stays",
                err=True,
            )
            raise click.exceptions.Exit(INTERRUPTED) from None


@click.group(cls=Basewatch, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """basewatch: who said what, and when, about Russia's bases in Syria."""


main.add_command(serve)
main.add_command(db)
main.add_command(load_command)
main.add_command(export_command)
main.add_command(checksum_command)
main.add_command(users)
main.add_command(extract_command)
main.add_command(eval_command)
