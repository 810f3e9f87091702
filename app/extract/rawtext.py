"""An article's text as it arrives, pasted, uploaded or read from a file: the same rules for the
import form and `basewatch extract`."""

import re

_LINE_END = re.compile("\r\n?|[\u2028\u2029]")


def storable(text: str) -> str:
    """Without NUL, which PostgreSQL cannot store: it comes with text copied from some PDFs and old
    pages, invisible, so that nobody could find it to take it out."""
    return text.replace("\x00", "")


def has_words(text: str) -> bool:
    """Whether `text` has a letter or a digit: white space and invisible format characters alone
    (zero-width spaces, direction marks, a byte-order mark: `str.strip` keeps them) are no text."""
    return any(ch.isalnum() for ch in text)


def unix_lines(text: str) -> str:
    """Every line end as `\n`: Windows' CRLF, an old Mac's CR and a word processor's line and
    paragraph separators (U+2028, U+2029) would otherwise leave paragraphs run together, and a
    date told in one would date the statements of the next."""
    return _LINE_END.sub("\n", text)
