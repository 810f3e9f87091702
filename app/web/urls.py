"""Every link to a basewatch page is built here, so that addresses never drift apart."""

from functools import lru_cache
from typing import Protocol
from urllib.parse import SplitResult, urlsplit

from app.ingest.names import slugify


# What the links need, so that an ORM object and a read row (app.queries.timeline, .claims) both do.
class _Named(Protocol):
    @property
    def name_en(self) -> str: ...


class _Claim(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def summary_en(self) -> str: ...
    @property
    def stance(self) -> str: ...
    @property
    def speaker(self) -> _Named: ...


class _Actor(Protocol):
    @property
    def slug(self) -> str: ...


class _Article(Protocol):
    @property
    def key(self) -> str: ...


def claim_slug(claim: _Claim) -> str:
    """Cosmetic words after the id: the speaker and the start of the summary. Needs `speaker`."""
    return _slug(claim.speaker.name_en, claim.summary_en or claim.stance)


@lru_cache(maxsize=65_536)
def _slug(speaker: str, words: str) -> str:
    """Kept: a timeline page links 50 claims, and slugifying their words anew cost it 5%."""
    return slugify(f"{speaker} {' '.join(words.split()[:8])}")[:80].strip("-")


def claim_url(claim: _Claim) -> str:
    """The permanent address: the id never changes; the slug may (old slugs redirect)."""
    slug = claim_slug(claim)
    return f"/claims/{claim.id}-{slug}" if slug else f"/claims/{claim.id}"


def keeping_query(address: str, query: str) -> str:
    """`address` with the query of the one asked for: a redirect to the right address keeps a
    shared link's `?lang=ar` (and any tracking parameters a newsroom added)."""
    return f"{address}?{query}" if query else address


def split_address(address: str) -> SplitResult | None:
    """An address a request names (a header's, a parameter's) split into its parts; None for one
    urlsplit refuses (`http://[x/`, a bracketed host that is no IPv6 address): sent by anyone,
    it must not end the request in a 500."""
    try:
        return urlsplit(address)
    except ValueError:
        return None


def actor_url(actor: _Actor) -> str:
    return f"/actors/{actor.slug}"


def actor_feed_url(actor: _Actor) -> str:
    return f"/feeds/actors/{actor.slug}.atom"


def article_url(article: _Article) -> str:
    return f"/articles/{article.key}"


def base_url(base: str) -> str:
    return f"/bases/{base}"


STATIC_PATH = "/static"


def static_url(path: str) -> str:
    """A file of static/ by its path from the site's root: no scheme or host to get wrong behind
    a proxy, and no walk of the routes (Starlette's `url_for` cost a claim page 1.4%)."""
    return f"{STATIC_PATH}/{path}"
