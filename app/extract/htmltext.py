"""A saved HTML page → its main text and what its metadata says (title, site, date, address)."""

import datetime as dt
import re
from dataclasses import dataclass

import trafilatura
from trafilatura.utils import load_html

from app.extract.headline import is_hostname, page_headline, page_site_name

HTML_PREFIX = 1000
"""How many bytes of an upload are read to tell a saved web page from plain text."""
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<meta)", re.IGNORECASE)


def looks_like_html(start: str | bytes) -> bool:
    """Whether a file that starts with `start` is a saved web page (a doctype or a page's first
    tag), whatever its name. `basewatch extract` has the text, the import form an upload's bytes:
    of those only the first `HTML_PREFIX` are read, as UTF-8 for this check alone (a page declares
    its own encoding, read when it is parsed)."""
    if isinstance(start, bytes):
        start = start[:HTML_PREFIX].decode("utf-8", errors="replace")
    return _HTML_START.match(start) is not None


@dataclass(frozen=True, slots=True)
class Page:
    """The article body as plain text, and the page's own metadata where it has any."""

    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None


def page_from_html(html: str) -> Page:
    """Main text without menus, comments or "read next" (trafilatura), plus the page's metadata.

    trafilatura takes the first part of `Home | Site - Headline` for the title and leaves the site
    unnamed when no metadata names it; the headline and the site are told apart here instead."""
    tree = load_html(html)
    if tree is None:
        return Page("", None, None, None, None)
    page_title = tree.findtext(".//head//title")
    document = trafilatura.bare_extraction(
        tree, include_comments=False, include_tables=False, with_metadata=True
    )
    if not isinstance(document, trafilatura.settings.Document):
        return Page("", None, None, None, None)
    declared = (
        document.sitename if document.sitename and not is_hostname(document.sitename) else None
    )
    headline = page_headline(document.title, page_title, declared)
    return Page(
        text=document.text or "",
        title=headline,
        outlet=page_site_name(document.sitename, page_title, headline),
        url=document.url,
        published=_iso_date(document.date),
    )


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
