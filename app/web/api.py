"""Programs: the timeline's selection as JSON with keyset pages, and the speaker type-ahead."""

import json
from datetime import date
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.queries.actors import search_actors
from app.queries.filters import side_of
from app.queries.timeline import Entry, timeline_page
from app.web.deps import ReadSession
from app.web.handlers import NOT_FOUND, Problem
from app.web.timeline import DeclaredSelection, checked_scope, parse
from app.web.urls import actor_url, article_url, claim_url

router = APIRouter(prefix="/api", tags=["api"], responses=NOT_FOUND)


class SpeakerOut(BaseModel):
    slug: str
    name_en: str
    name_ar: str
    url: str


class ArticleOut(BaseModel):
    key: str
    title: str
    outlet: str
    language: str
    published_on: date | None
    url: str
    original_url: str | None


class ClaimOut(BaseModel):
    id: int
    url: str
    speaker: SpeakerOut
    speaker_name: str
    role: str | None
    side: str | None
    stated_on: date | None
    stated_on_precision: str
    stance: str
    shift_from: str | None
    bases: list[str]
    quote: str
    summary_en: str
    direct: bool
    via: list[str]
    outlets: int | None
    sources: int | None
    status: str
    tags: list[str] = Field(description="The tags editors gave the claim (the `tag` filter's).")
    article: ArticleOut


class ClaimsPage(BaseModel):
    items: list[ClaimOut]
    next: str | None
    """Pass as `after` for the next page; null on the last page."""


class ActorOut(BaseModel):
    slug: str
    name_en: str
    name_ar: str
    side: str | None
    matched: str
    url: str


def _item(base: str, entry: Entry) -> ClaimOut:
    c, article = entry.claim, entry.claim.article
    return ClaimOut(
        id=c.id,
        url=base + claim_url(c),
        speaker=SpeakerOut(
            slug=c.speaker.slug,
            name_en=c.speaker.name_en,
            name_ar=c.speaker.name_ar,
            url=base + actor_url(c.speaker),
        ),
        speaker_name=c.speaker_name,
        role=c.speaker_role,
        side=side_of(c),
        stated_on=c.stated_on,
        stated_on_precision=c.stated_on_precision,
        stance=c.stance,
        shift_from=entry.was,
        bases=list(c.bases),
        quote=c.quote,
        summary_en=c.summary_en,
        direct=c.direct,
        via=list(c.via),
        outlets=entry.reach.outlets if entry.reach else None,
        sources=entry.reach.sources if entry.reach else None,
        status=c.status,
        tags=list(entry.tags),
        article=ArticleOut(
            key=article.key,
            title=article.title,
            outlet=article.outlet.name,
            language=article.language,
            published_on=article.published_on,
            url=base + article_url(article),
            original_url=article.url,
        ),
    )


@lru_cache(maxsize=4096)
def _item_json(base: str, entry: Entry) -> bytes:
    """An item as JSON, kept per entry and site address like a timeline row (an entry is
    hashable, and equal entries serialize alike): making and serializing a page's 50 items
    cost a quarter of the page."""
    return _item(base, entry).model_dump_json().encode()


@router.get(
    "/claims",
    name="api_claims",
    response_model=ClaimsPage,
    responses={400: {"model": Problem, "description": "`after` is not a page cursor."}},
)
def api_claims(
    request: Request,
    session: ReadSession,
    selection: DeclaredSelection,
    after: Annotated[str | None, Query(description="The `next` of the previous page.")] = None,
) -> Response:
    """Claims of the selection, newest statement first, 50 a page (the timeline's filters).
    `selection` and `after` are read as the timeline reads them (`parse`); declared here for
    the schema."""
    parsed = parse(request)
    scope = checked_scope(session, parsed)
    page = timeline_page(session, scope, after=parsed.after, tags=True)
    base = str(request.base_url).rstrip("/")
    items = b",".join(_item_json(base, entry) for entry in page.entries)
    after_this = json.dumps(str(page.next) if page.next else None).encode()
    # ClaimsPage, as pydantic writes it
    body = b'{"items":[' + items + b'],"next":' + after_this + b"}"
    return Response(body, media_type="application/json")


@router.get("/actors", name="api_actors")
def api_actors(
    request: Request, session: ReadSession, q: Annotated[str, Query(max_length=100)] = ""
) -> list[ActorOut]:
    """Speakers whose names or aliases look like `q`, in any script (the type-ahead)."""
    base = str(request.base_url).rstrip("/")
    return [
        ActorOut(
            slug=s.slug,
            name_en=s.name_en,
            name_ar=s.name_ar,
            side=s.affiliation,
            matched=s.matched,
            url=f"{base}/actors/{s.slug}",
        )
        for s in search_actors(session, q)
    ]
