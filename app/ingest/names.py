"""Matching keys for names, so that spelling variants of one name find one actor."""

import re
import unicodedata

from app.extract.search_text import folded

_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """The key two spellings of a name share: every spelling search takes as one (`folded`:
    Arabic-normalised, a hamza on either seat, Persian letters, case), spaces collapsed.

    >>> name_key("بيسكوف") == name_key("بيسْكوف") == name_key("بیسکوف")
    True
    """
    return _SPACES.sub(" ", folded(name)).strip()


def slugify(name: str) -> str:
    """`Dmitry Peskov` → `dmitry-peskov`; an empty string when nothing Latin is left."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")[:100]
