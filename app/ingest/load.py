"""Loading annotated articles: each file whole or not at all, upserting on natural keys, so that
loading a file twice changes nothing and a changed file updates its claims in place."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, cast

import psycopg
from psycopg.sql import SQL, Identifier
from psycopg.types.json import Jsonb
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, selectinload

from app.extract.search_text import search_text
from app.ingest.actors import SpeakerResolver
from app.ingest.records import COLUMNS, Record, changed_fields, record_from_input, record_of
from app.ingest.restore import Restorer
from app.ingest.schema import ArticleDocument, ArticleIn, ClaimArchive, ClaimIn
from app.messages import LEFT_THE_FILE
from app.models import Article, Claim, Outlet, Revision, Tag, claim_tags
from app.models.revision import CREATED
from app.models.vocab import ChangeSource, ClaimStatus
from app.queries.claims import quote_at
from app.services.search_index import index_article


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ArticleResult:
    outcome: Outcome
    claims_added: int = 0
    claims_updated: int = 0
    claims_retired: int = 0
    actors_added: int = 0
    conflicts: list[str] = field(default_factory=list)
    """Claims an editor changed, which this file would change again: left as the editor made them."""


def content_hash(doc: ArticleDocument) -> str:
    """The annotation's hash: a backup's archive blocks are not part of it."""
    annotation = doc.model_dump_json(exclude={"claims": {"__all__": {"archive"}}})
    return hashlib.sha256(annotation.encode()).hexdigest()


class ArticleLoader:
    """Loads articles one at a time, remembering actors and outlets between files.

    Call `forget()` after a rollback: what it created is gone.
    With a `restorer` (the CLI's batches), a backup's archive blocks are used; without one they
    are ignored.
    """

    def __init__(
        self, source: ChangeSource = ChangeSource.LOADER, restorer: Restorer | None = None
    ) -> None:
        self.source = source
        self.restorer = restorer
        self.speakers = SpeakerResolver()
        self.outlets: dict[str, int] = {}
        self.hashes: dict[str, str] = {}

    def forget(self) -> None:
        self.speakers = SpeakerResolver()
        self.outlets, self.hashes = {}, {}
        if self.restorer:
            self.restorer.forget()

    def expect(self, session: Session, keys: list[str]) -> None:
        """Read the stored hashes of the articles about to load, at once: an unchanged one then
        costs no statement of its own, and a changed one no attempt to insert it."""
        query = select(Article.key, Article.content_hash).where(Article.key.in_(keys))
        self.hashes = dict(session.execute(query).all()) if keys else {}

    def load(self, session: Session, doc: ArticleDocument) -> ArticleResult:
        digest, stored = content_hash(doc), self.hashes.get(doc.article.key)
        if stored == digest:
            return ArticleResult(Outcome.UNCHANGED)
        values = _article_values(doc, self._outlet_id(session, doc.article.outlet))
        # A new article goes in by one statement; only a stored one is read, and locked.
        new_id = None if stored else _insert_new(session, doc.article.key, digest, values)
        if new_id is not None:
            result = self._sync(session, new_id, doc, is_new=True)
            result.outcome = Outcome.ADDED
            return result
        article = session.scalars(
            select(Article).where(Article.key == doc.article.key).with_for_update()
        ).one()
        if article.content_hash == digest:
            return ArticleResult(Outcome.UNCHANGED)
        article_changed = _apply_article(article, values)
        previous, article.content_hash = article.content_hash, digest
        session.flush()
        result = self._sync(session, article.id, doc, is_new=False)
        if result.conflicts:  # the file still disagrees with an editor: say so at every load
            article.content_hash = previous
        if article_changed or result.claims_added or result.claims_updated or result.claims_retired:
            result.outcome = Outcome.UPDATED
        return result

    def _sync(
        self, session: Session, article_id: int, doc: ArticleDocument, *, is_new: bool
    ) -> ArticleResult:
        """Bring the article's claims in line with the file's."""
        before = self.speakers.added
        result = _sync_claims(
            session,
            article_id,
            doc.article,
            is_new,
            doc.claims,
            self.speakers,
            self.source,
            self.restorer,
        )
        if not is_new:  # new claims were stored with their search text
            index_article(session, article_id)
        if self.restorer:
            self.restorer.settle(session)
        result.actors_added = self.speakers.added - before
        return result

    def _outlet_id(self, session: Session, name: str) -> int:
        if name not in self.outlets:
            session.execute(insert(Outlet).values(name=name).on_conflict_do_nothing())
            self.outlets[name] = session.scalars(select(Outlet.id).where(Outlet.name == name)).one()
        return self.outlets[name]


def _article_values(doc: ArticleDocument, outlet: int) -> dict[str, Any]:
    meta = doc.article
    return {
        "url": meta.url,
        "outlet_id": outlet,
        "title": meta.title,
        "language": meta.language,
        "published_on": meta.published_on,
        "text": meta.text,
    }


def _insert_new(session: Session, key: str, digest: str, values: dict[str, Any]) -> int | None:
    """The new article's id; None if an article with this key is stored already."""
    return session.scalar(
        insert(Article)
        .values(key=key, content_hash=digest, **values)
        .on_conflict_do_nothing(index_elements=[Article.key])
        .returning(Article.id)
    )


def _apply_article(article: Article, values: dict[str, Any]) -> bool:
    """Copy the file's article fields; True if any differed."""
    changed = False
    for name, value in values.items():
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    return changed


def _sync_claims(
    session: Session,
    article_id: int,
    article: ArticleIn,
    is_new: bool,
    claims: list[ClaimIn],
    resolver: SpeakerResolver,
    source: ChangeSource,
    restorer: Restorer | None,
) -> ArticleResult:
    existing = [] if is_new else _stored_claims(session, article_id)
    edited = _edited_by_editors(session, [c.id for c in existing])
    tags = TagCache(session)
    result = ArticleResult(Outcome.UNCHANGED)
    archives = [claim.archive if restorer else None for claim in claims]
    speakers = [
        _speaker(session, claim, archive, resolver, restorer)
        for claim, archive in zip(claims, archives, strict=True)
    ]
    records = [
        record_from_input(claim, slug) for claim, (_, slug) in zip(claims, speakers, strict=True)
    ]
    pairs, unmatched = match_claims(existing, records, [a.id if a else None for a in archives])
    added: list[tuple[int, Record, ClaimArchive | None]] = []
    for record, (speaker, _), current, archive in zip(
        records, speakers, pairs, archives, strict=True
    ):
        if current is None:
            added.append((speaker, record, archive))
            continue
        old = record_of(current)
        fields = changed_fields(old, record)
        if not fields:
            continue
        if current.id in edited:  # the editor's values stay; only its span follows its words
            moved = _followed(current, article.text)
            if spans := changed_fields(old, moved):
                _update_claim(session, current, old, moved, spans, current.speaker_id, tags, source)
                result.claims_updated += 1
            if disagree := changed_fields(moved, record):
                result.conflicts.append(f"claim {current.id} ({', '.join(disagree)})")
            continue
        _update_claim(session, current, old, record, fields, speaker, tags, source)
        result.claims_updated += 1
    _insert_claims(session, article_id, article.title, added, tags, source, restorer)
    result.claims_added = len(added)
    for claim in unmatched:
        if claim.origin == ChangeSource.EDITOR:
            continue
        changed = _retire(session, claim, article.text, tags, source)
        if "status" in changed:
            result.claims_retired += 1
        elif changed:  # retired before: its span only followed its words
            result.claims_updated += 1
    return result


def _stored_claims(session: Session, article_id: int) -> list[Claim]:
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.article_id == article_id)
            .options(selectinload(Claim.speaker), selectinload(Claim.tags))
            .order_by(Claim.id)
        )
    )


def _speaker(
    session: Session,
    claim: ClaimIn,
    archive: ClaimArchive | None,
    resolver: SpeakerResolver,
    restorer: Restorer | None,
) -> tuple[int, str]:
    """The actor a backup names by slug, else the one the speaker's names lead to."""
    found = restorer.speaker(session, archive.speaker) if restorer and archive else None
    return found or resolver.resolve(session, claim.speaker)


def match_claims(
    existing: list[Claim], records: list[Record], ids: list[int | None] | None = None
) -> tuple[list[Claim | None], list[Claim]]:
    """Pair each incoming record with the stored claim it continues: the claim of the same id (a
    backup's), else the same span by the same speaker, else the same span (a speaker corrected),
    else the same quote, else the same speaker with the most overlap, else the most overlap (an
    editor who moved the span and changed the speaker: still a claim on these words). Returns the
    pairs and the stored claims left."""
    free = list(existing)
    pairs: list[Claim | None] = [None] * len(records)
    by_id = {claim.id: claim for claim in existing}
    for i, claim_id in enumerate(ids or []):
        if claim_id in by_id:
            pairs[i] = claim = by_id.pop(claim_id)
            free.remove(claim)
    tests: list[Callable[[Claim, Record], bool]] = [
        # Two speakers may say the same words: each keeps its claim, in whatever order the file
        # lists them (by span alone, the first of the file took the first stored claim).
        lambda c, r: (
            (c.span_start, c.span_end, c.speaker.slug) == (r["start"], r["end"], r["speaker"])
        ),
        lambda c, r: (c.span_start, c.span_end) == (r["start"], r["end"]),
        lambda c, r: c.quote == r["quote"],
        lambda c, r: c.speaker.slug == r["speaker"] and _overlap(c, r) > 0,
        lambda c, r: _overlap(c, r) > 0,
    ]
    for test in tests:
        for i, record in enumerate(records):
            if pairs[i] is None:
                found = max(
                    (c for c in free if test(c, record)),
                    key=lambda c: _overlap(c, record),
                    default=None,
                )
                if found is not None:
                    pairs[i] = found
                    free.remove(found)
    return pairs, free


def _overlap(claim: Claim, record: Record) -> int:
    return min(claim.span_end, int(record["end"])) - max(claim.span_start, int(record["start"]))


def _edited_by_editors(session: Session, claim_ids: list[int]) -> set[int]:
    if not claim_ids:
        return set()
    return set(
        session.scalars(
            select(Revision.claim_id)
            .where(Revision.claim_id.in_(claim_ids), Revision.source == ChangeSource.EDITOR)
            .distinct()
        )
    )


def _insert_claims(
    session: Session,
    article_id: int,
    title: str,
    added: list[tuple[int, Record, ClaimArchive | None]],
    tags: "TagCache",
    source: ChangeSource,
    restorer: Restorer | None,
) -> None:
    """Insert new claims, their creation revisions and their tags, one statement each; in a
    restore, archived claims go in as they were (app/ingest/restore.py)."""
    if not added:
        return
    archives = [archive for _, _, archive in added]
    restore = restorer.restorable(session, archives) if restorer else [False] * len(added)
    rows = [
        {
            "article_id": article_id,
            "speaker_id": speaker,
            "origin": source,
            "version": 1,
            "search_text": search_text(record["quote"], title),
        }
        | _columns(record)
        for speaker, record, _ in added
    ]
    restored = [(row, a) for row, a, r in zip(rows, archives, restore, strict=True) if r and a]
    fresh = [
        (row, record) for row, (_, record, _), r in zip(rows, added, restore, strict=True) if not r
    ]
    restored_ids = iter(restorer.insert_claims(session, restored) if restorer else [])
    fresh_ids = iter(_insert_fresh(session, fresh, source))
    ids = [next(restored_ids) if r else next(fresh_ids) for r in restore]
    tags.get(sorted({name for _, record, _ in added for name in record["tags"]}))  # at once
    tag_rows = [
        {"claim_id": claim_id, "tag_id": tag.id}
        for claim_id, (_, record, _) in zip(ids, added, strict=True)
        for tag in tags.get(record["tags"])
    ]
    if tag_rows:
        session.execute(insert(claim_tags), tag_rows)


def _insert_fresh(
    session: Session, fresh: list[tuple[dict[str, Any], Record]], source: ChangeSource
) -> list[int]:
    """Insert claims under new ids, each with the revision that records its creation."""
    if not fresh:
        return []
    # COPY with ids drawn ahead: a third of the time of a batched INSERT ... RETURNING. The
    # driver's own cursor, since each of these small statements cost more in the ORM than in
    # the database.
    with _driver(session).cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('claims', 'id')) FROM generate_series(1, %s)",
            [len(fresh)],
        )
        ids = [claim_id for (claim_id,) in cursor.fetchall()]
        # Dated by the clock, as the ORM dates what it writes (TimestampMixin), not by the
        # table's default, the transaction's start; their first revisions with them.
        [(at,)] = cursor.execute("SELECT clock_timestamp()").fetchall()
    rows = [
        row | {"id": claim_id, "updated_at": at}
        for claim_id, (row, _) in zip(ids, fresh, strict=True)
    ]
    _copy(session, "claims", rows)
    _copy(
        session,
        "revisions",
        [
            {
                "claim_id": claim_id,
                "version": 1,
                "at": at,
                "source": source.value,
                "field": CREATED,
                "new_value": Jsonb(record),
            }
            for claim_id, (_, record) in zip(ids, fresh, strict=True)
        ],
    )
    return ids


def _driver(session: Session) -> psycopg.Connection[Any]:
    """The session's psycopg connection, in the session's transaction."""
    return cast(psycopg.Connection[Any], session.connection().connection.driver_connection)


def _copy(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY rows (all with the same keys) into a table; the columns not named take their default."""
    columns = list(rows[0])
    statement = SQL("COPY {} ({}) FROM STDIN").format(
        Identifier(table), SQL(", ").join(map(Identifier, columns))
    )
    with _driver(session).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def _columns(record: Record) -> dict[str, Any]:
    """The record's plain fields as Claim column values."""
    values = {column: record[field] for field, column in COLUMNS.items()}
    if values["stated_on"] is not None:
        values["stated_on"] = date.fromisoformat(values["stated_on"])
    return values


def _update_claim(
    session: Session,
    claim: Claim,
    old: Record,
    new: Record,
    fields: list[str],
    speaker: int,
    tags: "TagCache",
    source: ChangeSource,
    note: str | None = None,
) -> None:
    _set_fields(claim, new, fields)
    if "speaker" in fields:
        claim.speaker_id = speaker
    if "tags" in fields:
        claim.tags = tags.get(new["tags"])
    session.flush()
    session.add_all(
        Revision(
            claim_id=claim.id,
            version=claim.version,
            at=claim.updated_at,  # dated as the claim is, whether its version is current or past
            source=source,
            field=name,
            old_value=old.get(name),
            new_value=new[name],
            note=note,
        )
        for name in fields
    )


def _set_fields(claim: Claim, record: Record, fields: list[str]) -> None:
    """Set the plain columns among `fields` from the record."""
    values = _columns(record)
    for name in fields:
        if name in COLUMNS:
            setattr(claim, COLUMNS[name], values[COLUMNS[name]])


def _retire(
    session: Session, claim: Claim, text: str, tags: "TagCache", source: ChangeSource
) -> list[str]:
    """A claim no longer in its file is rejected, never deleted: its address must keep working.
    Its span follows its words where the file's new text moved them, as the claims in the file
    do (its page quotes them in context; stored where they no longer are, the new text was
    refused whole). Returns the fields it changed."""
    old = record_of(claim)
    new = _followed(claim, text) | {"status": ClaimStatus.REJECTED.value}
    fields = changed_fields(old, new)
    if fields:
        _update_claim(
            session, claim, old, new, fields, claim.speaker_id, tags, source, note=LEFT_THE_FILE
        )
    return fields


def _followed(claim: Claim, text: str) -> Record:
    """The claim's record with its span where its quote is in `text`, nearest its old place:
    a claim the file no longer sets (retired, or kept as an editor left it) must still slice
    the new text to its quote, or the database refuses the text whole. As it was when the words
    are gone: that refusal is the right answer then."""
    old = record_of(claim)
    if (start := quote_at(text, claim.quote, claim.span_start)) is None:
        return old
    return old | {"start": start, "end": start + len(claim.quote)}


class TagCache:
    """Tags by name, created on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tags: dict[str, Tag] = {}

    def get(self, names: list[str]) -> list[Tag]:
        missing = [name for name in names if name not in self.tags]
        if missing:
            self.session.execute(
                insert(Tag).values([{"name": name} for name in missing]).on_conflict_do_nothing()
            )
            for tag in self.session.scalars(select(Tag).where(Tag.name.in_(missing))):
                self.tags[tag.name] = tag
        return [self.tags[name] for name in names]
