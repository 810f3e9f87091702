"""Take the data away: the current selection as CSV, JSON, or a zip of annotated-article files.

Both stream, so 100,000 rows cost no more memory than 100: CSV as PostgreSQL writes it (COPY),
JSON from a server-side cursor. They read one snapshot, through a session that stays open while
the response streams (`StreamingSession`).
"""

import io
import json
import logging
import zipfile
from collections.abc import Generator, Iterator
from datetime import date
from typing import Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.ingest.export import export_article, file_text
from app.messages import N_
from app.models import Article
from app.queries.export import (
    COLUMNS,
    EXPORT_TIMEOUT_MS,
    flat,
    selection_article_ids,
    selection_csv,
    selection_rows,
)
from app.web.deps import StreamingSession, get_export_slot
from app.web.head import asked_head
from app.web.timeline import DeclaredSelection, checked_scope, parse

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(get_export_slot)])

MAX_ARTICLES = 500
ZIP_NAME = "basewatch-articles.zip"
Content = Generator[bytes] | Generator[str]
"""A streamed export's body: a generator, which can be closed before its end."""
BOM = "\ufeff"  # spreadsheet programs read the file as UTF-8 (and show Arabic) only with it


def _csv(lines: Iterator[bytes]) -> Generator[bytes]:
    yield (BOM + ",".join(COLUMNS) + "\n").encode()  # as COPY ends its rows
    yield from lines


def _json(rows: Iterator[dict[str, Any]]) -> Generator[str]:
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False, default=_iso)
    yield "\n]\n"


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _download(request: Request, content: Content, media_type: str, name: str) -> Response:
    """The file, streamed as its export runs; for HEAD, its headers alone, the export not run."""
    if asked_head(request):
        return _headers_only(media_type, name)
    return _Download(content, media_type, name)


class _Download(StreamingResponse):
    """A stream cut off after the export's time, however slowly its reader reads. It streams
    from an open transaction, and a reader that stops reading keeps `send` waiting, and with it
    the session and its pooled connection: 30 such readers took the pool, and every page
    answered 503. PostgreSQL cannot end it: a COPY blocked on a full socket is not cancelled
    by its statement timeout until the reader reads again, and a connection ended by an idle
    timeout would still be the app's until the response ended. Only the app can."""

    def __init__(self, content: Content, media_type: str, name: str) -> None:
        super().__init__(content, media_type=media_type, headers=_attachment(name))
        self.content = content

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            with anyio.move_on_after(EXPORT_TIMEOUT_MS / 1000) as bound:
                await super().__call__(scope, receive, send)
        finally:
            # Stopped half-way (cut off, or its reader gone), the export's query is still under
            # way: end it first, or closing the session would wait for ever on the COPY.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.content.close)
        if bound.cancelled_caught:  # the client sees the download incomplete
            log.warning("%s cut off after %d ms", scope["path"], EXPORT_TIMEOUT_MS)


def _headers_only(media_type: str, name: str) -> Response:
    """A HEAD's answer: the GET's headers, without its work (every timeline page links to the
    exports, and a link checker's HEAD cost a whole export). Without a length, which only the
    export would know (RFC 9110 §9.3.2 allows leaving it out)."""
    response = Response(media_type=media_type, headers=_attachment(name))
    del response.headers["content-length"]
    return response


def _file_name(key: str, taken: set[str]) -> str:
    """`{key}.json`, or `{key} (2).json` where another key differs from this one only in case:
    keys are unique as written, but macOS and Windows unzip `Gen-1.json` and `gen-1.json` into
    one file. The loader reads the key from the file, not its name, and no key holds a space,
    so the new name is no other article's. `taken`: the names so far, casefolded."""
    name, n = f"{key}.json", 1
    while name.casefold() in taken:
        n += 1
        name = f"{key} ({n}).json"
    taken.add(name.casefold())
    return name


def _file(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """A route's `responses`: the file it sends, for the schema (not JSON, as it would say)."""
    return {200: {"description": description, "content": {media_type: {}}}}


@router.get(
    "/export.csv",
    name="export_csv",
    response_class=StreamingResponse,
    responses=_file("text/csv", "UTF-8 with a byte order mark; columns: " + ", ".join(COLUMNS)),
)
def export_csv(
    request: Request, session: StreamingSession, selection: DeclaredSelection
) -> Response:
    """The selection's claims, in the timeline's order: its filters, read by `parse`."""
    lines = selection_csv(session, checked_scope(session, parse(request)))
    return _download(request, _csv(lines), "text/csv; charset=utf-8", "basewatch-claims.csv")


@router.get("/export.json", name="export_json")
def export_json(
    request: Request, session: StreamingSession, selection: DeclaredSelection
) -> Response:
    """The CSV's rows as a JSON array."""
    rows = (flat(row) for row in selection_rows(session, checked_scope(session, parse(request))))
    return _download(request, _json(rows), "application/json", "basewatch-claims.json")


@router.get(
    "/export.articles.zip",
    name="export_articles",
    response_class=Response,
    responses=_file("application/zip", "One annotated-article file per article."),
)
def export_articles(
    request: Request, session: StreamingSession, selection: DeclaredSelection
) -> Response:
    """The articles behind the selection as annotated-article files (the loader's own format),
    each with the claims its reader may see."""
    scope = checked_scope(session, parse(request))
    ids = selection_article_ids(session, scope, MAX_ARTICLES + 1)
    if len(ids) > MAX_ARTICLES:
        raise HTTPException(
            422,
            N_(
                "The selection spans more than %(limit)s articles; narrow it first.",
                limit=MAX_ARTICLES,
            ),
        )
    if asked_head(request):  # refused as a GET would be, but not built
        return _headers_only("application/zip", ZIP_NAME)
    articles = session.scalars(
        select(Article)
        .where(Article.id.in_(ids))
        .options(selectinload(Article.outlet))
        .order_by(Article.key)  # the same name for the same file, download after download
    )
    archive = io.BytesIO()
    taken: set[str] = set()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for article in articles:
            document = export_article(session, article, statuses=scope.statuses)
            zf.writestr(_file_name(article.key, taken), file_text(document))
    return Response(
        archive.getvalue(),
        media_type="application/zip",
        headers=_attachment(ZIP_NAME),
    )
