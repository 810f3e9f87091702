"""Arabic-aware full-text search in PostgreSQL, and which words of a result matched.

Both sides go through app.extract.search_text: the stored text of each claim (its generated
`search_vector`) and the query built here, so the same normalisation and stemmer meet.
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from app.db.session import read_rows
from app.extract.search_text import query_variants, search_text, unwrap, words

# Words as written, diacritics and tatweel included, for highlighting the original text; Latin
# letters joined by dots (U.S) one word, as search_text reads them.
_WORD_CHARS = r"\w\u0640\u064b-\u065f\u0670"
_WRITTEN_WORD = re.compile(f"[a-zA-Z](?:\\.[a-zA-Z])+|[{_WORD_CHARS}]+")
_MIN_PREFIX = 3
"""The shortest word of another script than Arabic looked for as a prefix (`_prefix`)."""


def _config(name: str) -> ColumnElement[Any]:
    """A text-search configuration as a constant (`'arabic'::regconfig`), not a parameter."""
    return literal_column(f"'{name}'::regconfig", REGCONFIG)


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)


@lru_cache(maxsize=1024)
def query_words(q: str) -> tuple[ColumnElement[Any], ...]:
    """Each word of `q` as a tsquery that matches it in any of its forms (made once per search:
    statements are immutable, and a search page needs them twice).

    An Arabic word is looked for normalised and unwrapped of its clitics, through the Arabic
    stemmer (قاعدة finds القاعدة and قاعدتها); another word through the English stemmer, as a
    prefix; a base or country name in every script it is written in (Khmeimim finds حميميم).
    """
    parts: list[ColumnElement[Any]] = []
    for word in dict.fromkeys(words(q)):
        variants = query_variants(word)
        arabic = _with_article([v for v in variants if _is_arabic(v)])
        others = [v for v in variants if not _is_arabic(v) and v != word]
        terms = [f"'{v}'" for v in arabic] + [_prefix(v) for v in others]
        part: ColumnElement[Any] | None = None
        if terms:
            part = func.to_tsquery(_config("arabic"), " | ".join(terms))
        if not _is_arabic(word):
            english = func.to_tsquery(_config("english"), _prefix(word))
            part = english if part is None else part.op("||")(english)
        if part is not None:
            parts.append(part)
    return tuple(parts)


def _prefix(word: str) -> str:
    """A word of another script than Arabic as a term: a prefix (withdraw finds withdrawal), but
    whole where it is too short for one (UN, the al of al-Sharaa), which would find every word
    that starts so (unclear, also)."""
    return f"'{word}':*" if len(word) >= _MIN_PREFIX else f"'{word}'"


def _with_article(forms: list[str]) -> list[str]:
    """The forms, each also with the definite article: the stemmer cuts a word with its article
    shorter (الاتفاقيات → اتفاق) than without (اتفاقيات → اتفاقيا), and the stored text holds a
    word as written and unwrapped (`search_text`), so a word typed without its article would
    miss what the same word with it finds."""
    bare = [f for f in forms if unwrap(f) == f]  # no article, nor any other clitic, to keep
    return list(dict.fromkeys([*forms, *("ال" + f for f in bare)]))


def only_common_words(session: Session, tsquery: ColumnElement[Any]) -> bool:
    """Whether the search's words are all too common to be indexed ("the", "في"): it then
    matches nothing, for want of a word to look for, not of claims. Asked only of an empty page."""
    return read_rows(session, select(func.numnode(tsquery))).scalar() == 0


def all_of(parts: Sequence[ColumnElement[Any]]) -> ColumnElement[Any] | None:
    """Every word must match (the search)."""
    return _combine(parts, "&&")


def any_of(parts: Sequence[ColumnElement[Any]]) -> ColumnElement[Any] | None:
    """Any word matches (which words of a result to highlight)."""
    return _combine(parts, "||")


def _combine(parts: Sequence[ColumnElement[Any]], operator: str) -> ColumnElement[Any] | None:
    if not parts:
        return None
    query = parts[0]
    for part in parts[1:]:
        query = query.op(operator)(part)
    return query


_CHECKED: dict[str, set[str]] = {}
_MATCHED: dict[str, set[str]] = {}
"""Search as typed → the words as written asked about, and those of them the search matches.
Pages of one search share most of their words, and asking the database again cost a search page
a fifth of its time."""
_MATCHED_MAX = 200_000


def matching_words(session: Session, texts: list[str], q: str) -> frozenset[str]:
    """The words of `texts` (as written) that any word of the search `q` matches: one round trip
    for the words not seen with this search before.

    The words go as two arrays, not a VALUES list, so that the statement has one shape whatever
    the page holds and SQLAlchemy compiles it once (compiling 400 parameters cost more than the
    query)."""
    # One scan of the page's text, and set operations: per-word Python work was a millisecond.
    written = set(_WRITTEN_WORD.findall(" ".join(texts)))
    unknown = written - _CHECKED.get(q, set())
    query = any_of(query_words(q)) if unknown else None
    if query is not None:
        found = _matching(session, sorted(unknown), query)
        if sum(map(len, _CHECKED.values())) + len(unknown) > _MATCHED_MAX:
            _CHECKED.clear()
            _MATCHED.clear()
        _MATCHED.setdefault(q, set()).update(found)  # first: what is checked is known
        _CHECKED.setdefault(q, set()).update(unknown)
    return frozenset(written & _MATCHED.get(q, set()))


def _matching(session: Session, written: list[str], query: ColumnElement[Any]) -> set[str]:
    table = (
        func.unnest(
            bindparam("written", written, type_=ARRAY(Text)),
            bindparam("indexed", [_indexed(word) for word in written], type_=ARRAY(Text)),
        )
        .table_valued("word", "indexed")
        .render_derived(name="w")
    )
    vector = func.to_tsvector(_config("arabic"), table.c.indexed).op("||")(
        func.to_tsvector(_config("english"), table.c.word)
    )
    return set(read_rows(session, select(table.c.word).where(vector.op("@@")(query))).scalars())


@lru_cache(maxsize=50_000)
def _indexed(word: str) -> str:
    """A word as the index holds it: pages of one archive share most words, and working out a
    page's few hundred anew cost a millisecond of every search."""
    return search_text(word)


def highlight(text: str, matched: frozenset[str]) -> tuple[tuple[str, bool], ...]:
    """`text` as (piece, is_match) runs for the template to wrap matches in <mark>: the text
    between two matches stays one piece, so the template escapes a few strings, not every word."""
    if not matched:
        return ((text, False),)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in _whole_words(matched).finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return tuple(pieces)


@lru_cache(maxsize=1024)
def _whole_words(matched: frozenset[str]) -> re.Pattern[str]:
    """Any of `matched` as a whole written word (no word character either side): the regex
    engine skips to the few words wanted, where walking every word of the text in Python cost
    a search page over a millisecond."""
    alternatives = "|".join(re.escape(word) for word in sorted(matched, key=len, reverse=True))
    return re.compile(f"(?<![{_WORD_CHARS}])(?:{alternatives})(?![{_WORD_CHARS}])")
