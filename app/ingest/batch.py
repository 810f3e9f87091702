"""Loading many files: registries first, then articles, a chunk of files per transaction. A bad
file is refused whole, with one message; the others still load."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import Invalid
from app.ingest.actors import load_registry
from app.ingest.files import Document, InvalidFile, expand_paths, read_document
from app.ingest.load import ArticleLoader, Outcome
from app.ingest.restore import Restorer, backup_warnings, is_restore, restore_users
from app.ingest.schema import ArticleDocument, RegistryDocument, UsersDocument
from app.services.corroboration import match_articles

CHUNK = 100
"""Files per transaction: one commit and one pass of the statement matcher serve them all."""


@dataclass
class BatchReport:
    articles: Counter[Outcome] = field(default_factory=Counter)
    claims_added: int = 0
    claims_updated: int = 0
    claims_retired: int = 0
    actors_added: int = 0
    actors_updated: int = 0
    users_added: int = 0
    merges_restored: int = 0
    restoring: bool = False
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        a = self.articles
        lines = [
            f"articles: {a[Outcome.ADDED]} added, {a[Outcome.UPDATED]} updated, "
            f"{a[Outcome.UNCHANGED]} unchanged",
            f"claims: {self.claims_added} added, {self.claims_updated} updated, "
            f"{self.claims_retired} retired",
            f"actors: {self.actors_added} added, {self.actors_updated} updated",
            f"files refused: {len(self.refused)}",
        ]
        if self.restoring:
            lines.insert(0, "restoring a backup: ids, history and groups as they were")
        if self.users_added:
            lines.append(f"accounts: {self.users_added} added (disabled, without a password)")
        lines += [f"conflict (kept the editor's version): {c}" for c in self.conflicts]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def add(self, other: "BatchReport") -> None:
        """Count in another part of the batch (what one transaction stored)."""
        for counted in fields(self):
            if counted.name != "restoring":
                mine, theirs = getattr(self, counted.name), getattr(other, counted.name)
                setattr(self, counted.name, mine + theirs)


def load_paths(
    maker: sessionmaker[Session],
    paths: Iterable[Path],
    *,
    max_bytes: int,
    progress: Callable[[Iterable[tuple[Path, Document]]], Iterable[tuple[Path, Document]]] = iter,
) -> BatchReport:
    report = BatchReport()
    documents = _read_all(expand_paths(list(paths)), max_bytes, report)
    documents.sort(key=lambda item: _load_order(item[1]))
    with maker() as session:
        report.restoring = is_restore(session, (doc for _, doc in documents))
    if report.restoring:
        documents = _backup_files_only(documents, report)
    report.warnings = backup_warnings([doc for _, doc in documents], restoring=report.restoring)
    restorer = Restorer(restoring=report.restoring)
    loader = ArticleLoader(restorer=restorer)
    chunk: list[tuple[Path, Document]] = []
    for item in progress(documents):
        chunk.append(item)
        if len(chunk) == CHUNK or not isinstance(item[1], ArticleDocument):
            _load_chunk(maker, chunk, loader, report)
            chunk = []
    _load_chunk(maker, chunk, loader, report)
    if report.restoring:
        with maker.begin() as session:
            report.merges_restored = restorer.apply_merges(session, (d for _, d in documents))
    return report


def _backup_files_only(
    documents: list[tuple[Path, Document]], report: BatchReport
) -> list[tuple[Path, Document]]:
    """A restore takes the backup's files alone: a plain article's claims would take ids from
    the sequence, ids the backup's claims keep only when nothing else takes them first."""
    kept = []
    for path, doc in documents:
        if isinstance(doc, ArticleDocument) and any(c.archive is None for c in doc.claims):
            report.refused.append(f"{path}: not part of the backup being restored: load it after")
        else:
            kept.append((path, doc))
    return kept


def _load_chunk(
    maker: sessionmaker[Session],
    chunk: list[tuple[Path, Document]],
    loader: ArticleLoader,
    report: BatchReport,
) -> None:
    """Load the files in one transaction. If the database (or the archive, such as a speaker
    whose two names are two actors) refuses anything, nothing of the chunk stays and its files
    load again one per transaction, so that only the file at fault is refused: refusals are
    rare (the files were checked), so the common case pays for no savepoint. The report counts
    only what was committed."""
    if not chunk:
        return
    part = BatchReport()
    try:
        with maker.begin() as session:
            loader.expect(
                session, [d.article.key for _, d in chunk if isinstance(d, ArticleDocument)]
            )
            changed = [key for _, doc in chunk if (key := _load_one(session, doc, loader, part))]
            # Other outlets' reports of the same words; a restore brings back its groups as they were.
            if changed and not report.restoring:
                match_articles(session, changed)
    except (DBAPIError, psycopg.Error, Invalid) as error:  # COPY raises psycopg's own
        if _server_unreachable(error):  # the command says so, once
            raise
        loader.forget()
        if len(chunk) > 1:
            for item in chunk:
                _load_chunk(maker, [item], loader, report)
        else:
            report.refused.append(f"{chunk[0][0]}: {_refusal(error)}")
        return
    report.add(part)


# Accounts before the history that names them, actors before the claims they speak.
ORDER: list[type[Document]] = [UsersDocument, RegistryDocument, ArticleDocument]


def _load_order(doc: Document) -> tuple[int, str]:
    """Articles in order of publication: a chunk's claims then fall within a few weeks, and the
    statement matcher reads only the stored claims of those weeks."""
    published = doc.article.published_on if isinstance(doc, ArticleDocument) else None
    return ORDER.index(type(doc)), published.isoformat() if published else ""


def _load_one(
    session: Session, doc: Document, loader: ArticleLoader, report: BatchReport
) -> str | None:
    if isinstance(doc, UsersDocument):
        report.users_added += restore_users(session, doc)
        return None
    if isinstance(doc, RegistryDocument):
        loaded = load_registry(session, doc)
        report.actors_added += loaded.added
        report.actors_updated += loaded.updated
        report.conflicts += [f"actor {slug}" for slug in loaded.kept]
        loader.forget()
        return None
    result = loader.load(session, doc)
    report.articles[result.outcome] += 1
    report.claims_added += result.claims_added
    report.claims_updated += result.claims_updated
    report.claims_retired += result.claims_retired
    report.actors_added += result.actors_added
    report.conflicts += [f"{doc.article.key}: {c}" for c in result.conflicts]
    return None if result.outcome == Outcome.UNCHANGED else doc.article.key


def _read_all(
    files: list[Path], max_bytes: int, report: BatchReport
) -> list[tuple[Path, Document]]:
    documents: list[tuple[Path, Document]] = []
    for path in files:
        try:
            documents.append((path, read_document(path, max_bytes=max_bytes)))
        except InvalidFile as error:
            report.refused.append(str(error))
    return _without_repeated_keys(documents, report)


def _without_repeated_keys(
    documents: list[tuple[Path, Document]], report: BatchReport
) -> list[tuple[Path, Document]]:
    """Two files of one batch with the same article key: neither can be trusted, so neither loads."""
    paths_by_key: dict[str, list[Path]] = defaultdict(list)
    for path, doc in documents:
        if isinstance(doc, ArticleDocument):
            paths_by_key[doc.article.key].append(path)
    repeated = {key: paths for key, paths in paths_by_key.items() if len(paths) > 1}
    for key, paths in repeated.items():
        names = ", ".join(str(p) for p in paths)
        report.refused += [
            f"{p}: article.key: {key!r} is in {len(paths)} files of this batch ({names})"
            for p in paths
        ]
    return [
        (path, doc)
        for path, doc in documents
        if not (isinstance(doc, ArticleDocument) and doc.article.key in repeated)
    ]


def _server_unreachable(error: Exception) -> bool:
    """No answer from the server at all (refused, closed, down): not this file's fault, and no
    other file can load either. A connection the server cut is retried file by file."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    return isinstance(cause, psycopg.OperationalError) and cause.sqlstate is None


def _refusal(error: DBAPIError | psycopg.Error | Invalid) -> str:
    """The archive's own message, or the database's without SQLAlchemy's wrapping or
    PostgreSQL's context."""
    if isinstance(error, Invalid):
        return error.message
    cause = error.orig if isinstance(error, DBAPIError) and error.orig else error
    return "the database refused it: " + str(cause).splitlines()[0]
