"""The search vector the trigger `claims_search_vector` would give a claim, assembled from the
lexemes of its parts, each of which PostgreSQL computes once.

The trigger computes `strip(to_tsvector('arabic', search_text) || to_tsvector('english',
summary_en))` for every row: for a million claims, most of a bulk load's database time. But a
claim's search text is its quote's search words then its title's, and a million claims repeat
some 18,000 quotes, 2,000 titles and 8,000 summaries. So each distinct part is sent to
`to_tsvector` once, and a row's vector is the union of its parts' lexemes: a stripped vector is
a set of lexemes, with no positions. It is written in tsvector's binary form, which PostgreSQL
reads without parsing (`tsvectorrecv`), but which it takes as written: its lexemes must be
distinct and in PostgreSQL's order, so a whole batch's are merged here at once, as numbers.
tests/bench/test_archive.py compares every loaded row with the trigger's own result.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg

from bench.binary_copy import words
from bench.draws import Ints, Texts, as_text

PARTS = """
SELECT t.text, tsvector_to_array(strip(to_tsvector(%(config)s::regconfig, t.text)))
  FROM unnest(%(texts)s::text[]) AS t(text)
"""


@dataclass(frozen=True)
class Lexemes:
    """The numbers of some texts' lexemes (`SearchVectors.numbers`), by the texts' own numbers:
    text i's are `numbers[first[i] : first[i] + count[i]]`."""

    numbers: Ints
    first: Ints
    count: Ints

    @classmethod
    def of_none(cls) -> "Lexemes":
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))

    def then(self, more: "Lexemes") -> "Lexemes":
        """These texts' lexemes, then `more`'s, numbered after them."""
        return Lexemes(
            np.concatenate([self.numbers, more.numbers]),
            np.concatenate([self.first, more.first + len(self.numbers)]),
            np.concatenate([self.count, more.count]),
        )

    def of(self, texts: Ints) -> tuple[Ints, Ints]:
        """The lexemes of `texts`, each entry's one after the other, and the entry each is of."""
        count = self.count[texts]
        starts = np.repeat(self.first[texts] - (np.cumsum(count) - count), count)
        owners = np.repeat(np.arange(len(texts)), count)
        return self.numbers[starts + np.arange(len(owners))], owners


class SearchVectors:
    """Every lexeme met, numbered, and the lexemes of every part sent to `learn`."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.parts: dict[tuple[str, str], list[int]] = {}
        """(config, text) → the numbers of the text's lexemes."""
        self._ordered: tuple[Ints, Texts, Ints] | None = None

    def learn(self, conn: psycopg.Connection[Any], config: str, texts: Iterable[str]) -> None:
        """Ask PostgreSQL for the lexemes of the texts not known yet, in one statement."""
        new = list({t for t in texts if (config, t) not in self.parts})
        if not new:
            return
        for text, lexemes in conn.execute(PARTS, {"texts": new, "config": config}):
            numbers = self.numbers
            self.parts[(config, text)] = [numbers.setdefault(x, len(numbers)) for x in lexemes]
        self._ordered = None

    def table(self, config: str, texts: Sequence[str]) -> Lexemes:
        """The lexemes of `texts` (each learnt), by their place among them."""
        numbered = [self.parts[config, text] for text in texts]
        count = np.fromiter(map(len, numbered), np.int64, len(numbered))
        flat = np.fromiter((n for ns in numbered for n in ns), np.int64, int(count.sum()))
        return Lexemes(flat, np.cumsum(count) - count, count)

    def fields(self, parts: Sequence[tuple[Lexemes, Ints]]) -> tuple[Texts, Texts, Ints]:
        """The search vectors of rows made of `parts` (each a table and every row's text in it),
        as binary COPY fields: each row's head (the field's length, its count of lexemes), all
        the rows' lexemes one after the other, and each row's count of them."""
        rank, lexemes, lengths = self._order()
        rows = len(parts[0][1])
        gathered = [table.of(texts) for table, texts in parts]
        numbers = np.concatenate([numbers for numbers, _ in gathered])
        owners = np.concatenate([owners for _, owners in gathered])
        # One number a (row, lexeme), sorted and without repeats: each row's lexemes, distinct,
        # in PostgreSQL's order, the rows one after the other. (np.unique hashes them, then
        # sorts what it kept: 0.66 s a batch against 0.05 s for this sort.)
        kept = np.sort(owners * len(rank) + rank[numbers])
        kept = kept[np.concatenate(([True], kept[1:] != kept[:-1]))]
        owners, ranks = np.divmod(kept, len(rank))
        count = np.bincount(owners, minlength=rows)
        sizes = np.bincount(owners, weights=lengths[ranks], minlength=rows).astype(np.int64)
        return words(4 + sizes, count), lexemes[ranks], count

    def _order(self) -> tuple[Ints, Texts, Ints]:
        """Each lexeme number's place in PostgreSQL's order of lexemes (bytewise, a prefix
        first: Python's order of bytes), and the lexemes in that order as tsvector's binary form
        writes them (the lexeme, a NUL, no positions) with their lengths."""
        if self._ordered is None:
            encoded = [lexeme.encode() for lexeme in self.numbers]
            order = sorted(range(len(encoded)), key=encoded.__getitem__)
            rank = np.empty(len(order), np.int64)
            rank[order] = np.arange(len(order))
            pieces = [encoded[i] + b"\x00\x00\x00" for i in order]
            lengths = np.fromiter(map(len, pieces), np.int64, len(pieces))
            self._ordered = rank, as_text(pieces), lengths
        return self._ordered
