"""A saved HTML page → its main text and what its metadata says (title, site, date, address)."""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from app.extract.headline import is_hostname, page_headline, page_site_name
from app.extract.segment import SENTENCE_END

HTML_PREFIX = 1000
"""How many bytes of an upload are read to tell a saved web page from plain text."""
_HTML_START = re.compile(
    r"\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype html|<html|<head|<body|<meta)",
    re.IGNORECASE | re.DOTALL,
)
_ENDS_A_SENTENCE = re.compile(rf"{SENTENCE_END}\s*$")
"""Text that ends a sentence: a line break after it stays one."""
PAGE_SUFFIXES = (".html", ".htm")
"""A file named so is a saved web page, whatever it starts with."""


def looks_like_html(start: str | bytes) -> bool:
    """Whether a file that starts with `start` is a saved web page (a doctype or a page's first
    tag), whatever its name. An XHTML page's XML declaration, comments (a browser's `saved from
    url=`), white space and a byte-order mark may come first. `basewatch extract` has the text,
    the import form an upload's bytes: of those only the first `HTML_PREFIX` are read, as UTF-8
    for this check alone (a page declares its own encoding, read when it is parsed)."""
    if isinstance(start, bytes):
        start = start[:HTML_PREFIX].decode("utf-8", errors="replace")
    return _HTML_START.match(start) is not None


def is_saved_page(name: str, start: str | bytes) -> bool:
    """Whether the file `name` (only its suffix is read) that starts with `start` is a saved web
    page: by its name, else by its start (`looks_like_html`)."""
    return name.lower().endswith(PAGE_SUFFIXES) or looks_like_html(start)


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
    A page without an article has no text (""), not its menus (`_article_text`).

    trafilatura takes the first part of `Home | Site - Headline` for the title and leaves the site
    unnamed when no metadata names it; the headline and the site are told apart here instead."""
    tree = load_html(html)
    if tree is None:
        return Page("", None, None, None, None)
    page_title = tree.findtext(".//head//title")
    links = _link_texts(tree)  # before trafilatura prunes the tree
    _join_wrapped_lines(tree)
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
        text=_article_text(tree, document.text or "", links),
        title=headline,
        outlet=page_site_name(document.sitename, page_title, headline),
        url=document.url,
        published=_iso_date(document.date),
    )


def _join_wrapped_lines(tree: Any) -> None:
    """Drop each single `<br>` inside a paragraph's sentence, leaving a space: wire copy pasted
    into a CMS keeps its hard wraps, and trafilatura would make each a line (which the segmenter
    takes for a sentence's end). Done on the tree, so the text returned, where claims' spans
    point, is the joined one. `<p>قوات<br>باقية.<br>وأضاف</p>` → `قوات باقية.` and `وأضاف`
    on two lines; two `<br>` in a row stay a paragraph break."""
    wraps = dict.fromkeys(br for paragraph in tree.iter("p") for br in _wraps(paragraph))
    for br in wraps:
        _drop_with_a_space(br)


def _wraps(paragraph: Any) -> Iterator[Any]:
    """The `<br>`s of `paragraph` that fall inside a sentence: after text that ends none, and not
    doubled. One walk in document order (a search back from each `<br>` for the text before it
    took quadratic time: 10 s for 16,000)."""
    before = ""
    for event, element in etree.iterwalk(paragraph, events=("start", "end")):
        is_tag = isinstance(element.tag, str)  # not a comment
        if event == "start":
            wrap = element.tag == "br" and before and not _ENDS_A_SENTENCE.search(before)
            if wrap and not _doubled(element):
                yield element
            text = element.text if is_tag else None
        else:
            text = element.tail if element is not paragraph else None
        if text and text.strip():
            before = text


def _doubled(br: Any) -> bool:
    """A `<br>` next to another one, with nothing but white space between them."""
    previous, following = br.getprevious(), br.getnext()
    after_one = previous is not None and previous.tag == "br" and not (previous.tail or "").strip()
    before_one = following is not None and following.tag == "br" and not (br.tail or "").strip()
    return after_one or before_one


def _drop_with_a_space(element: Any) -> None:
    """Take `element` out of its parent, a space in its place and its tail text kept (lxml would
    take the tail out with it)."""
    tail = " " + (element.tail or "")
    previous, parent = element.getprevious(), element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _article_text(tree: Any, text: str, links: set[str]) -> str:
    """`text`, trafilatura's, unless it is mostly the page's link text (`_mostly_links`): finding
    no article, trafilatura falls back to what text there is, the menus and "most read" lists.
    Its precise reading, which leaves out more link-dense blocks, is then taken if it is not menus
    too (an article of one paragraph with links in it); else the page has no article text ("").
    Not precise from the start: it loses whole articles (an old site laid out in a table)."""
    if not _mostly_links(text, links):
        return text
    precise = trafilatura.bare_extraction(
        tree, include_comments=False, include_tables=False, favor_precision=True
    )
    if not isinstance(precise, trafilatura.settings.Document) or not precise.text:
        return ""
    return "" if _mostly_links(precise.text, links) else precise.text


def _link_texts(tree: Any) -> set[str]:
    """The text of every link on the page (`tree`, lxml's, untyped here), and of each part of it
    (a card's headline and its teaser), its white space made single spaces."""
    texts: set[str] = set()
    for link in tree.iter("a"):
        parts = list(link.itertext())
        texts.update(" ".join(part.split()) for part in parts)
        texts.add(" ".join("".join(parts).split()))
    texts.discard("")
    return texts


def _mostly_links(text: str, links: set[str]) -> bool:
    """Whether most of the letters and digits of `text` are in lines that are the whole text of a
    link (`links`, a list item's dash aside): the menus, "most read" lists and footers that
    trafilatura falls back to when a page has no article. A link's text inside a paragraph of the
    article does not count, nor does a heading such as "Most read", so a page of menus alone
    still fails this test, and an article with a few "read next" links under it passes it."""
    linked = total = 0
    for line in text.splitlines():
        words = " ".join(line.split())
        letters = sum(ch.isalnum() for ch in words)
        total += letters
        if words in links or words.removeprefix("- ") in links:
            linked += letters
    return linked * 2 > total


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
