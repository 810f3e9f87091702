"""`basewatch users`: editors' and administrators' accounts."""

import sys
from collections.abc import Callable

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.common import open_sessionmaker
from app.errors import Invalid
from app.models import User
from app.models.vocab import Role
from app.services import auth

Change = Callable[[Session], str]


@click.group()
def users() -> None:
    """Add, list, disable and enable the accounts that may sign in."""


def _password() -> str:
    """From standard input when it is not a terminal (so scripts can create accounts), else asked
    for twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt("Password", hide_input=True, confirmation_prompt=True, value_proc=_usable)
    )


def _usable(password: str) -> str:
    """A password the account can take, checked before it is asked for again."""
    if problem := auth.password_problem(password):
        raise click.UsageError(problem)
    return password


def _run(action: str, change: Change) -> None:
    try:
        with open_sessionmaker() as maker, maker.begin() as session:
            message = change(session)
    except Invalid as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{action}: {message}")


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.EDITOR.value)
def add(name: str, role: str) -> None:
    """Add an account NAME with a password (read from standard input when piped)."""
    password = _password()
    _run("added", lambda s: f"{auth.add_user(s, name, Role(role), password).username} ({role})")


@users.command("set-password")
@click.argument("name")
def set_password(name: str) -> None:
    """Give NAME a new password; their open sessions end."""
    password = _password()
    _run("password set", lambda s: auth.set_password(s, name, password).username)


@users.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Stop NAME from signing in; their open sessions end at once."""
    _run("disabled", _disabled(name, True))


@users.command("enable")
@click.argument("name")
def enable(name: str) -> None:
    """Let NAME sign in again (a restored account needs set-password first)."""
    _run("enabled", _disabled(name, False))


def _disabled(name: str, disabled: bool) -> Change:
    def change(session: Session) -> str:
        user = auth.find_user(session, name)
        auth.set_disabled(session, user, disabled)
        return user.username

    return change


@users.command("list")
def list_users() -> None:
    """Every account, its role, whether it may sign in, and whether it has a password."""
    with open_sessionmaker() as maker, maker() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "disabled" if user.disabled else "active"
            if user.password_hash is None:  # restored from a backup: set-password, then enable
                state += ", no password"
            click.echo(f"{user.username}\t{user.role}\t{state}")
