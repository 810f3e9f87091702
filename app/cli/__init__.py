"""The `basewatch` command."""

import importlib
import signal
from typing import Any

import click
import psycopg
from sqlalchemy.exc import OperationalError

from app.cli.common import database_failure

INTERRUPTED = 128 + signal.SIGINT
"""A shell's exit status for a command stopped by Ctrl-C, which scripts test for."""


COMMANDS = {
    "checksum": "app.cli.data:checksum_command",
    "db": "app.cli.db:db",
    "eval": "app.cli.extract:eval_command",
    "export": "app.cli.data:export_command",
    "extract": "app.cli.extract:extract_command",
    "load": "app.cli.data:load_command",
    "serve": "app.cli.serve:serve",
    "users": "app.cli.users:users",
}
"""Each command's module, imported only when the command runs (click's "lazily loading
subcommands"): importing them all took `basewatch load` 3 s to start on a slow machine,
the extractor's and the server's modules included, against 1.7 s for what it uses."""


class Basewatch(click.Group):
    """The commands check their database before they start; one that fails later still ends
    in one line, not a traceback. Ctrl-C ends one in a line that says what was kept, not in
    click's bare "Aborted!" (status 1, which a script cannot tell from a failure)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command

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
