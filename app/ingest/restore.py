"""Restoring a backup (`basewatch export --all`): what the annotated-article format does not say,
written back verbatim from each claim's `archive` block — permanent ids, versions, history,
statement groups, review decisions and merges (docs/backup.md).

A batch restores only into a database that holds nothing but (part of) the same backup: an empty
one, or one where a restore was interrupted. Anywhere else the archive ids only pair a file's
claims with the stored claims of the same id, and everything else loads as usual.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from app.db.base import Base
from app.ingest.schema import ArticleDocument, ClaimArchive, RegistryDocument, UsersDocument
from app.models import Actor, Claim, User
from app.models.vocab import Role

Row = dict[str, Any]


def restore_users(session: Session, doc: UsersDocument) -> int:
    """Add the accounts the database lacks, disabled and without a password; return how many."""
    known = set(session.scalars(select(User.username)))
    new = [u for u in doc.users if u.username not in known]
    if new:
        session.execute(
            insert(User),
            [{"username": u.username, "role": u.role.value, "disabled": True} for u in new],
        )
    return len(new)


def is_restore(session: Session, documents: Iterable[object]) -> bool:
    """True when every stored claim is one of these files' archived claims, in the same article:
    the database is empty, or holds an interrupted restore of this backup."""
    pairs = [
        (claim.archive.id, doc.article.key)
        for doc in documents
        if isinstance(doc, ArticleDocument)
        for claim in doc.claims
        if claim.archive is not None
    ]
    if not pairs:
        return False
    ids, keys = [p[0] for p in pairs], [p[1] for p in pairs]
    foreign = session.scalar(
        text(
            "SELECT EXISTS (SELECT 1 FROM claims c JOIN articles a ON a.id = c.article_id"
            " WHERE (c.id, a.key) NOT IN (SELECT * FROM unnest(CAST(:ids AS int[]),"
            " CAST(:keys AS text[]))))"
        ),
        {"ids": ids, "keys": keys},
    )
    return not foreign


BACKUP_PARTS: dict[str, tuple[type[object], str]] = {
    "_actors.json": (
        RegistryDocument,
        "speakers the database lacks become new actors to review, without their aliases",
    ),
    "_users.json": (
        UsersDocument,
        "accounts the history names come back as disabled editors, whatever their role",
    ),
}


def backup_warnings(documents: Sequence[object], *, restoring: bool) -> list[str]:
    """What an operator must hear about files with archived claims that do not restore whole: a
    backup's folder without its registry or accounts, or a database a backup cannot restore into."""
    archived = any(
        isinstance(doc, ArticleDocument) and any(c.archive for c in doc.claims) for doc in documents
    )
    if not archived:
        return []
    if not restoring:
        return [
            "not restoring: the database holds claims these files do not, so their history, "
            "statement groups and reviews were left out (restore into an empty database)"
        ]
    return [
        f"restoring without {name}: {consequence}"
        for name, (kind, consequence) in BACKUP_PARTS.items()
        if not any(isinstance(doc, kind) for doc in documents)
    ]


class Restorer:
    """Restores archived claims for one batch; `restoring` says whether this batch may."""

    def __init__(self, *, restoring: bool) -> None:
        self.restoring = restoring
        self.users: dict[str, int] = {}
        self.actors: dict[str, int] = {}
        self.touched: list[tuple[int, datetime]] = []

    def forget(self) -> None:
        """After a rollback: what the restorer saw created may be gone."""
        self.users, self.actors, self.touched = {}, {}, []

    def speaker(self, session: Session, slug: str) -> tuple[int, str] | None:
        """The actor an archived claim names by slug, if the database has it."""
        if slug not in self.actors:
            actor_id = session.scalar(select(Actor.id).where(Actor.slug == slug))
            if actor_id is None:
                return None
            self.actors[slug] = actor_id
        return self.actors[slug], slug

    def restorable(self, session: Session, archives: Sequence[ClaimArchive | None]) -> list[bool]:
        """Which of these claims to restore under their own id: in a restore, the ids still free."""
        wanted = [a.id for a in archives if a is not None]
        if not self.restoring or not wanted:
            return [False] * len(archives)
        taken = set(session.scalars(select(Claim.id).where(Claim.id.in_(wanted))))
        return [a is not None and a.id not in taken for a in archives]

    def insert_claims(self, session: Session, rows: list[tuple[Row, ClaimArchive]]) -> list[int]:
        """Insert claims (their column values) as archived, with history, group and reviews."""
        if not rows:
            return []
        tables = Base.metadata.tables
        session.execute(
            insert(tables["claims"]),
            [
                row
                | {
                    "id": a.id,
                    "origin": a.origin.value,
                    "version": a.version,
                    "note": a.note,
                    "created_at": a.created_at,
                    "updated_at": a.updated_at,
                }
                for row, a in rows
            ],
        )
        archives = [a for _, a in rows]
        self._history(session, archives)
        self._statements(session, archives)
        self._reviews(session, archives)
        _advance_sequence(session, "claims", max(a.id for a in archives))
        self.touched += [(a.id, a.updated_at) for a in archives]
        return [a.id for a in archives]

    def settle(self, session: Session) -> None:
        """Put back the restored claims' `updated_at`, which later writes of the same file (the
        search index) moved to now."""
        if self.touched:
            claims = Base.metadata.tables["claims"]
            session.connection().execute(
                update(claims)
                .where(claims.c.id == bindparam("claim_id"))
                .values(updated_at=bindparam("at")),
                [{"claim_id": claim_id, "at": at} for claim_id, at in self.touched],
            )
            self.touched = []

    def apply_merges(self, session: Session, documents: Iterable[object]) -> int:
        """Point merged claims at the claims they were merged into, now that all are stored (the
        target may be in a later file). Claims already pointing somewhere are left alone."""
        merges = [
            (claim.archive.id, claim.archive.merged_into)
            for doc in documents
            if isinstance(doc, ArticleDocument)
            for claim in doc.claims
            if claim.archive is not None and claim.archive.merged_into is not None
        ]
        claims = Base.metadata.tables["claims"]
        done = 0
        for claim_id, target in merges:
            if session.get(Claim, target) is None:
                continue
            done += session.execute(  # type: ignore[attr-defined]
                update(claims)
                .where(claims.c.id == claim_id, claims.c.merged_into_id.is_(None))
                .values(merged_into_id=target, updated_at=claims.c.updated_at)
            ).rowcount
        return done

    def user_id(self, session: Session, username: str) -> int:
        """The account a history entry names; made (disabled, no password) if it is missing."""
        if username not in self.users:
            found = session.scalar(select(User.id).where(User.username == username))
            if found is None:
                found = session.scalars(
                    insert(User)
                    .values(username=username, role=Role.EDITOR.value, disabled=True)
                    .returning(User.id)
                ).one()
            self.users[username] = found
        return self.users[username]

    def _history(self, session: Session, archives: list[ClaimArchive]) -> None:
        rows = [
            {
                "claim_id": a.id,
                "version": h.version,
                "source": h.source.value,
                "user_id": self.user_id(session, h.user) if h.user else None,
                "at": h.at,
                "field": h.field,
                "old_value": h.old,
                "new_value": h.new,
                "note": h.note,
            }
            for a in archives
            for h in a.history
        ]
        if rows:
            session.execute(insert(Base.metadata.tables["revisions"]), rows)

    def _statements(self, session: Session, archives: list[ClaimArchive]) -> None:
        members = [(a.id, a.statement) for a in archives if a.statement is not None]
        if not members:
            return
        ids = sorted({s.id for _, s in members})
        session.execute(
            text(
                "INSERT INTO statements (id) SELECT unnest(CAST(:ids AS int[]))"
                " ON CONFLICT DO NOTHING"
            ),
            {"ids": ids},
        )
        _advance_sequence(session, "statements", ids[-1])
        session.execute(
            insert(Base.metadata.tables["statement_members"]),
            [
                {
                    "claim_id": claim_id,
                    "statement_id": s.id,
                    "confirmed": s.confirmed,
                    "decided_by": self.user_id(session, s.decided_by) if s.decided_by else None,
                    "decided_at": s.decided_at,
                }
                for claim_id, s in members
            ],
        )

    def _reviews(self, session: Session, archives: list[ClaimArchive]) -> None:
        rows = [
            {
                "claim_id": a.id,
                "user_id": self.user_id(session, r.user),
                "at": r.at,
                "decision": r.decision.value,
                "fields": r.fields,
                "reason": r.reason.value if r.reason else None,
                "extractor": r.extractor,
            }
            for a in archives
            for r in a.reviews
        ]
        if rows:
            session.execute(insert(Base.metadata.tables["review_decisions"]), rows)


def _advance_sequence(session: Session, table: str, at_least: int) -> None:
    """Explicit ids bypass the id sequence: move it past them, so new rows never collide."""
    session.execute(
        text(
            "SELECT setval(CAST(pg_get_serial_sequence(:table, 'id') AS regclass), greatest(:id,"
            " coalesce(pg_sequence_last_value(CAST(pg_get_serial_sequence(:table, 'id') AS regclass)), 0)))"
        ),
        {"table": table, "id": at_least},
    )
