"""What a claim page says to machines and to people who cite it: the `.json` twin, schema.org
JSON-LD, and the citation in a full and a footnote form."""

from datetime import date, datetime
from typing import Any

from app.models.vocab import ClaimStatus
from app.queries.claims import ClaimPage, ClaimVersion
from app.queries.corrections import Correction, long_date
from app.queries.timeline import ArticleRef
from app.web.i18n import isolate
from app.web.templating import is_web_url
from app.web.urls import claim_url

SCHEMA_TYPES = {"person": "Person"}  # every other speaker kind is an organisation or unnamed


def absolute(base: str, path: str) -> str:
    return base.rstrip("/") + path


def version_url(claim_id: int, version: int) -> str:
    return f"/claims/{claim_id}/v/{version}"


def embed_url(claim_id: int, version: int | None = None) -> str:
    """The embeddable card: of `version` when one is named, which it keeps showing after a
    correction; else of the claim, which follows its corrections."""
    return _of_version(f"/claims/{claim_id}/embed", version)


def data_url(claim_id: int, version: int | None = None) -> str:
    """The `.json` twin, of `version` when one is named, as `embed_url`."""
    return _of_version(f"/claims/{claim_id}.json", version)


def _of_version(path: str, version: int | None) -> str:
    return f"{path}?v={version}" if version else path


def share_image_url(claim_id: int, version: int) -> str:
    """The claim's share card, addressed by its version: link previews keep an image by its
    address, and would show a corrected claim's old card for as long as they keep it."""
    return f"/claims/{claim_id}/share.png?v={version}"


def who(shown: ClaimVersion) -> str:
    """`Murhaf Abu Qasra (Syrian Defence Minister)`, each part isolated."""
    name = isolate(shown.speaker.name_en)
    return f"{name} ({isolate(shown.role)})" if shown.role else name


def source_line(outlet: str, via: list[str]) -> str:
    """`Sada El Balad, citing The Washington Post`."""
    chain = ", citing ".join(isolate(link) for link in via)
    return f"{isolate(outlet)}, citing {chain}" if chain else isolate(outlet)


def cited_url(page: ClaimPage, base: str) -> str:
    """The permanent address of what the page shows: a version's own when the page was asked
    for by it, which keeps its words, else the claim's, which follows its corrections."""
    if page.pinned:
        return absolute(base, version_url(page.shown.id, page.shown.version))
    return absolute(base, claim_url(page.claim))


def notice_of(page: ClaimPage) -> str:
    """The page's notice in a few words, as its share card shows it beside the name and its
    citations after the version: a preview or a reference of a claim withdrawn since it was
    first shared must not look like a live one."""
    if page.merged_into:
        return f"Merged into claim {page.merged_into.id}"
    if ClaimStatus.REJECTED in (page.shown.status, page.claim.status):
        return "Withdrawn"
    return "Not yet checked by an editor" if page.shown.status == ClaimStatus.EXTRACTED else ""


def citations(page: ClaimPage, base: str, accessed: date) -> dict[str, str]:
    """A full reference and a short footnote, both with the permanent address of what the
    page shows (`cited_url`, also given alone as `url`)."""
    shown, article = page.shown, page.claim.article
    url = cited_url(page, base)
    said = long_date(shown.stated_on, shown.stated_on_precision)
    published = f", {long_date(article.published_on)}" if article.published_on else ""
    original = f", {article.url}" if is_web_url(article.url) else ""  # where to check the quote
    on = f"accessed {long_date(accessed)}"
    notice = notice_of(page)
    status = f" ({notice.lower()})" if notice else ""  # cited after it was withdrawn, or unchecked
    return {
        "full": (
            f"{who(shown)}, statement of {said}. Reported by {source_line(article.outlet.name, shown.via)}: "
            f"“{isolate(article.title)}”{published}{original}. Recorded in basewatch, claim {shown.id}, "
            f"version {shown.version}{status}. {url} ({on})."
        ),
        "short": f"{isolate(shown.speaker.name_en)}, {said}, via {source_line(article.outlet.name, shown.via)}; basewatch claim "
        f"{shown.id} v{shown.version}{status}, {url} ({on}).",
        "url": url,
        "version_url": absolute(base, version_url(shown.id, shown.version)),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


_ISO_LENGTHS = {"day": 10, "month": 7, "year": 4, "unknown": 0}


def _iso_to(value: date | None, precision: str) -> str | None:
    """The date as far as it is known, in ISO 8601's reduced forms (`2025-02`, `2025`): the
    first of the month stored for a month's statement is no day anybody recorded."""
    return (_iso(value) or "")[: _ISO_LENGTHS.get(precision, 10)] or None


def _article(article: ArticleRef) -> dict[str, Any]:
    return {
        "key": article.key,
        "outlet": article.outlet.name,
        "title": article.title,
        "url": article.url,
        "language": article.language,
        "published_on": _iso(article.published_on),
    }


def claim_json(page: ClaimPage, base: str, log: list[Correction]) -> dict[str, Any]:
    """Every public field of the shown version, its article, its sources and its history."""
    shown, claim = page.shown, page.claim
    return {
        "id": shown.id,
        "url": absolute(base, claim_url(claim)),
        "version": shown.version,
        "current_version": claim.version,
        "version_url": absolute(base, version_url(shown.id, shown.version)),
        "status": shown.status,
        "merged_into": page.merged_into.id if page.merged_into else None,
        "speaker": {
            "slug": shown.speaker.slug,
            "name": shown.speaker_name,
            "name_en": shown.speaker.name_en,
            "name_ar": shown.speaker.name_ar,
            "kind": shown.speaker.kind,
            "role": shown.role,
            "affiliation": shown.side,
        },
        "via": shown.via,
        "quote": shown.quote,
        "start": shown.start,
        "end": shown.end,
        "direct": shown.direct,
        "stated_on": _iso(shown.stated_on),
        "stated_on_precision": shown.stated_on_precision,
        "bases": shown.bases,
        "stance": shown.stance,
        "summary_en": shown.summary_en,
        "summary_machine": claim.summary_machine,
        "tags": shown.tags,
        "origin": claim.origin,
        "article": _article(claim.article),
        "sources": [
            {"claim": r.id, "url": absolute(base, claim_url(r)), "via": r.via} | _article(r.article)
            for r in page.reports
        ],
        "reach": {"outlets": page.reach.outlets, "independent_sources": page.reach.sources},
        "statement_confirmed": page.confirmed,
        "corrections": [
            {
                "version": c.version,
                "on": c.on.isoformat(),
                "what": c.label,
                "from": c.old,
                "to": c.new,
            }
            for c in log
        ],
        "last_modified": page.last_modified.isoformat(),
    }


def json_ld(page: ClaimPage, base: str) -> dict[str, Any]:
    """schema.org: a Quotation by its speaker, based on the article, and the Claim it makes,
    with every article it appeared in (ClaimReview's `Claim` vocabulary)."""
    shown, claim = page.shown, page.claim
    speaker = shown.speaker
    creator: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(speaker.kind, "Organization"),
        "name": speaker.name_en,
        "alternateName": shown.speaker_name,
    }
    if shown.role:
        creator["jobTitle"] = shown.role
    appearances = [_news_article(a) for a in [claim.article, *(r.article for r in page.reports)]]
    url = cited_url(page, base)
    return {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "@id": url,
        "url": url,
        "text": shown.quote,
        "inLanguage": claim.article.language,
        "creator": creator,
        "spokenByCharacter": creator,
        "dateCreated": _iso_to(shown.stated_on, shown.stated_on_precision),
        "dateModified": _made(page).isoformat(),
        "version": shown.version,
        "abstract": shown.summary_en,
        "isBasedOn": appearances[0],
        "about": {
            "@type": "Claim",
            "author": creator,
            "text": shown.summary_en or shown.quote,
            "firstAppearance": appearances[0],
            "appearance": appearances,
        },
    }


def _made(page: ClaimPage) -> datetime:
    """When the shown version was made: a past one's revisions, not the claim's last change."""
    if page.is_current:
        return page.claim.updated_at
    made = [r.at for r in page.revisions if r.version == page.shown.version]
    return max(made, default=page.claim.updated_at)


def _news_article(article: ArticleRef) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": article.language,
        "publisher": {"@type": "Organization", "name": article.outlet.name},
    }
    if article.url:
        found["url"] = article.url
    if article.published_on:
        found["datePublished"] = article.published_on.isoformat()
    return found
