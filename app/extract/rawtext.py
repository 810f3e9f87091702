"""An article's text as it arrives, pasted, uploaded or read from a file: the same rules for the
import form and `basewatch extract`."""


def storable(text: str) -> str:
    """Without NUL, which PostgreSQL cannot store: it comes with text copied from some PDFs and old
    pages, invisible, so that nobody could find it to take it out."""
    return text.replace("\x00", "")


def has_words(text: str) -> bool:
    """Whether `text` has a letter or a digit: white space and invisible format characters alone
    (zero-width spaces, direction marks, a byte-order mark: `str.strip` keeps them) are no text."""
    return any(ch.isalnum() for ch in text)
