"""Atom feeds of new and corrected claims, so that a newsroom hears the day a line moves:
everything, one speaker, one base, one stance, or position shifts only."""

import re
from datetime import UTC, datetime
from enum import StrEnum

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.errors import NotFound
from app.messages import N_
from app.models.vocab import MilitaryBase, Stance
from app.queries.actors import actor_merged_from
from app.queries.feeds import Feed, FeedFilter, actor_by_slug, claim_feed
from app.web.caching import conditional, etag
from app.web.deps import ReadSession
from app.web.i18n import in_language
from app.web.templating import templates
from app.web.urls import actor_feed_url

router = APIRouter(prefix="/feeds")

ATOM = "application/atom+xml; charset=utf-8"
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def atom(
    request: Request, feed: Feed, *, title: str, path: str, titled: datetime = EPOCH
) -> Response:
    """The feed, validated by all it shows: its entries and its title. `titled` is when what
    the title names last changed (a speaker's name titles their feed, entries or none: without
    it, an empty feed kept its validators through a rename, and readers the old name)."""
    base = str(request.base_url).rstrip("/")
    updated = max(feed.updated or EPOCH, titled)
    context = {
        "feed": feed,
        "title": title,
        "base": base,
        "self_url": base + path,
        "updated": updated,
    }
    entries = [(e.claim.id, e.claim.version, e.was) for e in feed.entries]
    tag = etag(path, title, entries, updated)

    def build() -> Response:
        # The feed's words are English; its dates and names follow them, whatever the reader's
        # interface language (a cookie mixed Arabic months into English titles).
        with in_language("en"):
            response = templates.TemplateResponse(
                request, "feeds/claims.atom.xml", context, media_type=ATOM
            )
        return _xml_safe(response)

    return conditional(request, tag, updated, build)


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(response: Response) -> Response:
    """Drop the characters XML 1.0 cannot carry (control characters an article may hold):
    one of them would make the whole feed unreadable."""
    body = XML_ILLEGAL.sub("", bytes(response.body).decode())
    return Response(body, status_code=response.status_code, media_type=ATOM)


@router.get("/claims.atom", name="feed_claims")
def claims_feed(request: Request, session: ReadSession) -> Response:
    feed = claim_feed(session, FeedFilter())
    return atom(
        request, feed, title="basewatch: new and corrected claims", path="/feeds/claims.atom"
    )


@router.get("/shifts.atom", name="feed_shifts")
def shifts_feed(request: Request, session: ReadSession) -> Response:
    feed = claim_feed(session, FeedFilter(shifts_only=True))
    title = "basewatch: position shifts (a speaker's stance on a base changed)"
    return atom(request, feed, title=title, path="/feeds/shifts.atom")


@router.get("/actors/{slug}.atom", name="feed_actor")
def actor_feed(request: Request, session: ReadSession, slug: str) -> Response:
    actor = actor_by_slug(session, slug)
    if actor is None:
        merged_into = actor_merged_from(session, slug)
        if merged_into is None:
            raise NotFound(N_("There is no speaker %(slug)r in the archive.", slug=slug))
        # A reader subscribed to a speaker since merged into another follows them there.
        return RedirectResponse(actor_feed_url(merged_into), status_code=301)
    feed = claim_feed(session, FeedFilter(speaker_id=actor.id))
    title = f"basewatch: statements by {actor.name_en}"
    return atom(request, feed, title=title, path=actor_feed_url(actor), titled=actor.updated_at)


def _require_one_of(name: str, value: str, vocabulary: type[StrEnum]) -> None:
    if value not in {member.value for member in vocabulary}:
        raise NotFound(
            N_(
                "%(name)s: %(value)r is not one of %(choices)s",
                name=name,
                value=value,
                choices=", ".join(vocabulary),
            )
        )


@router.get("/bases/{base}.atom", name="feed_base")
def base_feed(request: Request, session: ReadSession, base: str) -> Response:
    _require_one_of("base", base, MilitaryBase)
    feed = claim_feed(session, FeedFilter(base=base))
    title = f"basewatch: statements about {base.capitalize()}"
    return atom(request, feed, title=title, path=f"/feeds/bases/{base}.atom")


@router.get("/stances/{stance}.atom", name="feed_stance")
def stance_feed(request: Request, session: ReadSession, stance: str) -> Response:
    _require_one_of("stance", stance, Stance)
    feed = claim_feed(session, FeedFilter(stance=stance))
    title = f"basewatch: statements with the stance “{stance}”"
    return atom(request, feed, title=title, path=f"/feeds/stances/{stance}.atom")
