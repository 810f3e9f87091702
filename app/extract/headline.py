"""An article's headline and its site's name, told apart from page furniture.

A page's <title> is usually `headline | site`, `site - headline` or `Home | site`; a saved or
copied article often starts with a date line, a breadcrumb (`الرئيسيةاخبار عربية…`) or a template
name (`news-details`) before its headline. None of those is the headline.
"""

import re

from app.extract.dates import find_date_expressions, find_publication_date
from app.extract.normalize import normalize

_SEPARATOR = re.compile(r"\s+(?:[|•·»«›‹/~*]|[-–—]{1,2}|::)\s+")
"""Between the parts of a <title>; set off by spaces on both sides, so that the colon of
`بيسكوف: القوات باقية` and the hyphen of `al-Sharaa` do not cut a headline."""
_FURNITURE = frozenset(
    normalize(word).casefold()
    for word in (
        "home", "homepage", "home page", "main", "main page", "index", "news", "latest news",
        "article", "articles", "world", "politics", "الرئيسية", "الصفحة الرئيسية", "الرئيسة",
        "أخبار", "الأخبار", "آخر الأخبار", "خبر", "عاجل", "سياسة", "أخبار عربية ودولية",
    )
)  # fmt: skip
"""Navigation words a site puts in titles and breadcrumbs, not headlines."""
_FURNITURE_START = re.compile(
    normalize(r"^(?:الرئيسية|الصفحة الرئيسية)") + r"|^home(?:page)?\s*[|>»›/:]", re.IGNORECASE
)
"""A breadcrumb line starts with the site's home (`الرئيسيةاخبار…`, `Home > World > …`; not
`Home Office says …`)."""
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+$")
"""`news-details`, `article_page`: a template's name left in the page, not words."""
_HOSTNAME = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")
_SENTENCE_END = (".", "!", "؟", "?")
_HEADLINE_WORDS = 3
_DATE_LINE_WORDS = 8
_DATE_LABEL_WORDS = 2
_WORD = re.compile(r"\w+")
_HEADLINE_LENGTH = 200


def _key(text: str) -> str:
    return " ".join(normalize(text).casefold().split())


def is_furniture(text: str) -> bool:
    """Navigation or a template name rather than words of the article: `Home`, `الرئيسية`,
    `news-details`, `الرئيسيةاخبار عربية و دولية…`."""
    stripped = text.strip()
    return (
        not stripped
        or _key(stripped) in _FURNITURE
        or bool(_TEMPLATE_NAME.match(stripped))
        or bool(_FURNITURE_START.match(normalize(stripped)))
    )


def is_hostname(name: str) -> bool:
    """`www.example.org`: an address standing in for a site's name, only better than none."""
    return bool(_HOSTNAME.match(name.strip()))


def title_parts(title: str) -> list[str]:
    """The parts of a page <title> that are not navigation: `Home | Site - Headline` → [Site, Headline]."""
    return [part.strip() for part in _SEPARATOR.split(title) if not is_furniture(part)]


def same_name(a: str, b: str) -> bool:
    """The same words, whatever the spelling of alef, taa marbuta, case or spaces."""
    return _key(a) == _key(b)


def page_headline(found: str | None, page_title: str | None, site: str | None) -> str | None:
    """The headline of a page: the one its metadata or <h1> gives (`found`), unless that is
    furniture, the site's own name, or just one part of its <title>; else the part of the <title>
    with the most words that is neither furniture nor the site."""
    parts = [p for p in title_parts(page_title or "") if not (site and same_name(p, site))]
    one_of_parts = len(parts) > 1 and any(same_name(found or "", p) for p in parts)
    if found and not is_furniture(found) and not (site and same_name(found, site)):
        if not one_of_parts:
            return found.strip()
    return max(parts, key=lambda p: len(p.split()), default=None)


def page_site_name(
    declared: str | None, page_title: str | None, headline: str | None
) -> str | None:
    """The site's name: as the page declares it (og:site_name, the publisher in JSON-LD), else the
    part of its <title> beside the headline (`Headline | Site`), else a bare host name."""
    if declared and not is_hostname(declared) and not is_furniture(declared):
        return declared.strip()
    others = [p for p in title_parts(page_title or "") if not (headline and same_name(p, headline))]
    if len(others) == 1 and headline:
        return others[0]
    return declared.strip() if declared else None


def first_line(text: str) -> str:
    """The first line that is words of the article, not page furniture (`news-details`); "" if
    there is none: a title to fall back on."""
    return next((line for line in text.splitlines() if not is_furniture(line)), "")


def is_sentence(line: str) -> bool:
    """A finished sentence (`… باقية في حميميم.`), which a headline is not."""
    return line.strip().endswith(_SENTENCE_END)


def text_headline(text: str) -> str | None:
    """The first line of a plain text that reads like a headline: a few words, not too long, not a
    finished sentence, not a date line, a breadcrumb or a template name."""
    for line in text.splitlines():
        line = line.strip()
        if (
            len(line.split()) >= _HEADLINE_WORDS
            and len(line) <= _HEADLINE_LENGTH
            and not is_sentence(line)
            and not is_furniture(line)
            and not _is_date_line(line)
        ):
            return line
    return None


def _is_date_line(line: str) -> bool:
    """`السبت, أبريل 19, 2025`, `تاريخ النشر: 7th, February 2025 GMT`, `الثلاثاء 11 شباط`: a
    dateline, not a headline (a label of two words or so aside, nothing but dates)."""
    if find_publication_date(line) is not None and len(line.split()) <= _DATE_LINE_WORDS:
        return True
    normalized = normalize(line)
    rest = list(normalized)
    for expression in find_date_expressions(normalized):
        rest[expression.span.start : expression.span.end] = " " * len(expression.span)
    return len(_WORD.findall("".join(rest))) <= _DATE_LABEL_WORDS
