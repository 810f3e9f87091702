"""A saved HTML page → its main text and what its metadata says (title, site, date, address)."""

import datetime as dt
from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True, slots=True)
class Page:
    """The article body as plain text, and the page's own metadata where it has any."""

    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None


def page_from_html(html: str) -> Page:
    """Main text without menus, comments or "read next" (trafilatura), plus the page's metadata."""
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    if not isinstance(document, trafilatura.settings.Document):
        return Page("", None, None, None, None)
    return Page(
        text=document.text or "",
        title=document.title,
        outlet=document.sitename,
        url=document.url,
        published=_iso_date(document.date),
    )


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
