import contextlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

import click
from pydantic import BaseModel

from app.cli.common import open_sessionmaker, settings
from app.errors import Invalid
from app.ingest.batch import load_paths
from app.ingest.checksum import checksums
from app.ingest.export import (
    articles_to_export,
    export_articles,
    export_registry,
    export_users,
    file_text,
    read_one_snapshot,
)
from app.ingest.files import expand_paths

T = TypeVar("T")


@click.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def load_command(paths: tuple[Path, ...]) -> None:
    """Load annotated-article and actor-registry JSON files, or folders of them.

    Each file is checked and stored whole or not at all: a bad file is refused whole and named,
    the others still load. Loading a file again changes nothing.
    """
    _refuse_folders_without_files(paths)
    max_bytes = settings().max_article_bytes
    with open_sessionmaker() as maker:
        report = load_paths(maker, paths, max_bytes=max_bytes, progress=_progress)
    for message in report.refused:
        click.echo(message, err=True)
    click.echo(report.summary())
    if report.refused:
        sys.exit(1)


def _refuse_folders_without_files(paths: tuple[Path, ...]) -> None:
    """A folder with nothing to load is a wrong path, not a load that found nothing new."""
    for path in paths:
        if path.is_dir() and not expand_paths([path]):
            raise click.ClickException(f"no .json files in {path}")


def _progress(items: Iterable[T]) -> Iterable[T]:
    """A progress bar on a terminal; silence otherwise."""
    items = list(items)
    if not sys.stderr.isatty() or len(items) < 10:
        yield from items
        return
    with click.progressbar(items, label="loading", file=sys.stderr) as bar:
        yield from bar


@click.command("export")
@click.option("--article", "key", help="Export only the article with this key.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="A backup: every article with its claims' ids and history, the actors and the accounts.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <key>.json files to (default: standard output, one article).",
)
def export_command(key: str | None, everything: bool, out: Path | None) -> None:
    """Write articles back as annotated-article JSON; `basewatch load` reads them unchanged.

    With --all, the folder is a backup that `basewatch load` restores into an empty database
    exactly as it was (docs/backup.md): it must be new or empty, so that it holds this backup only.
    """
    if not key and not everything:
        raise click.UsageError("name an article with --article KEY, or use --all")
    if out is None and not key:
        raise click.UsageError("--all writes many files: give a folder with --out")
    written = _Written(out, backup=everything) if out is not None else None
    try:
        if written is not None:  # before the database: a folder that cannot be is said at once
            written.make_folder()
        with open_sessionmaker() as maker, maker() as session:
            read_one_snapshot(session)
            articles = articles_to_export(session, key)
            if key and not articles:
                raise click.ClickException(f"no article with key {key!r}")
            documents = export_articles(session, articles, archive=everything)
            if written is None:
                click.echo(file_text(next(documents)), nl=False)
                return
            if everything:  # names no article key can take (keys start with a letter or digit)
                written.write("_users.json", export_users(session))
                written.write("_actors.json", export_registry(session))
            for document in documents:
                written.write(f"{document.article.key}.json", document)
    except Invalid as refused:  # an article the file format cannot hold, named
        if written is not None:
            written.remove()
        raise click.ClickException(f"{refused}; nothing was exported") from None
    except BaseException:
        # A folder holding part of a backup would restore part of the archive without a word.
        if written is not None:
            written.remove()
        raise
    click.echo(f"wrote {len(articles)} article(s) to {out}", err=True)


@click.command("checksum")
def checksum_command() -> None:
    """One checksum per part of the archive's content: equal lines, equal archives (docs/backup.md)."""
    with open_sessionmaker() as maker, maker() as session:
        read_one_snapshot(session)
        for name, part in checksums(session).items():
            click.echo(f"{name}\t{part.rows}\t{part.sha256}")


class _Written:
    """The export's folder and the files written into it, so that an export that stops (a disk
    full, a key that clashes, Ctrl-C) takes them away again: all of it or nothing. A backup's
    folder holds that backup alone; one article's file may join others in a folder."""

    def __init__(self, folder: Path, *, backup: bool) -> None:
        self.folder = folder
        self.backup = backup
        self.made_folder = False
        self.files: list[Path] = []

    def make_folder(self) -> None:
        if self.folder.is_dir():
            if self.backup and _listed(self.folder):
                raise click.UsageError(f"{self.folder} is not empty: give a new or empty folder")
            return
        try:
            self.folder.mkdir(parents=True)
        except OSError as error:
            raise _os_failure(self.folder, error) from None
        self.made_folder = True

    def write(self, name: str, document: BaseModel) -> None:
        """A new file only: two keys that differ in case alone must not overwrite each other on
        a case-insensitive file system."""
        path = self.folder / name
        try:
            file = path.open("x", encoding="utf-8")
        except FileExistsError:
            # A backup's folder was empty: only another key of this export can have written it.
            why = (
                ": another article's key differs from this one only in case" if self.backup else ""
            )
            raise click.ClickException(
                f"{path} exists already{why}; nothing was exported"
            ) from None
        except OSError as error:
            raise _os_failure(path, error) from None
        self.files.append(path)
        try:
            with file:
                file.write(file_text(document))
        except OSError as error:
            raise _os_failure(path, error) from None

    def remove(self) -> None:
        # Best effort: the failure that stopped the export is what the user must read.
        with contextlib.suppress(OSError):
            for path in self.files:
                path.unlink(missing_ok=True)
            if self.made_folder:
                self.folder.rmdir()  # refused if something else was put there: not ours


def _listed(folder: Path) -> bool:
    """Whether `folder` holds anything."""
    try:
        return any(folder.iterdir())
    except OSError as error:
        raise _os_failure(folder, error) from None


def _os_failure(path: Path, error: OSError) -> click.ClickException:
    """`/backup/x.json: No space left on device`, nothing half-written left behind."""
    return click.ClickException(f"{path}: {error.strerror or error}; nothing was exported")
