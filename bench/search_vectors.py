"""The search vector the trigger `claims_search_vector` would give a claim, assembled from the
vectors of its parts, each of which PostgreSQL computes once.

The trigger computes `to_tsvector('arabic', search_text) || to_tsvector('english', summary_en)`
for every row: for a million claims, most of a bulk load's database time. But a claim's search
text is its quote's search words then its title's, and a million claims repeat some 18,000
quotes, 2,000 titles and 8,000 summaries. So each distinct part is sent to `to_tsvector` once,
and a row's vector is put together here as PostgreSQL would: the title's positions follow the
quote's (the Arabic configuration has no stop words, so a text's last word holds its last
position), and `||` moves the summary's positions past the last position before it.
tests/bench/test_archive.py compares every loaded row with the trigger's own result.
"""

import itertools
from collections.abc import Iterable
from typing import Any

import psycopg

PARTS = """
SELECT t.i, u.lexeme, u.positions
  FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS t(text, i),
       unnest(to_tsvector(%(config)s::regconfig, t.text)) AS u
"""


class Vector:
    """One text's tsvector, from its (lexeme, positions) entries."""

    def __init__(self, entries: list[tuple[str, tuple[int, ...]]]) -> None:
        self.positions = [p for _, positions in entries for p in positions]
        self.last = max(self.positions, default=0)
        """Its highest position (0 for no lexeme), past which `||` moves what follows it."""
        slots = itertools.count()
        self.template = " ".join(
            _quoted(lexeme) + ":" + ",".join(f"{{{next(slots)}}}" for _ in positions)
            for lexeme, positions in entries
        )
        """`'lexeme':{0},{1} 'other':{2}`: a shifted copy is one format() of the positions."""
        self.shifted: dict[int, bytes] = {}

    def literal(self, shift: int) -> bytes:
        """The vector as tsvector input, every position moved by `shift`, and a space to part it
        from what follows (tsvector input skips spaces); PostgreSQL merges a lexeme written
        twice in one literal, as `||` merges one found on both sides."""
        try:
            return self.shifted[shift]
        except KeyError:
            shifted = self.template.format(*[p + shift for p in self.positions])
            self.shifted[shift] = shifted.encode() + b" "
            return self.shifted[shift]


def _quoted(lexeme: str) -> str:
    """A lexeme as tsvector input writes it, its braces doubled for str.format."""
    quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted.replace("{", "{{").replace("}", "}}")


class SearchVectors:
    """Each row's vector from its quote's and title's search words and its summary."""

    def __init__(self) -> None:
        self.parts: dict[tuple[str, str], Vector] = {}  # (config, text) → vector

    def learn(self, conn: psycopg.Connection[Any], config: str, texts: Iterable[str]) -> None:
        """Ask PostgreSQL for the vectors of the texts not known yet, in one statement."""
        new = list({t for t in texts if (config, t) not in self.parts})
        if not new:
            return
        found: dict[int, list[tuple[str, tuple[int, ...]]]] = {i: [] for i in range(len(new))}
        for i, lexeme, positions in conn.execute(PARTS, {"texts": new, "config": config}):
            found[i - 1].append((lexeme, tuple(positions)))
        for i, entries in found.items():
            self.parts[(config, new[i])] = Vector(entries)

    def pieces(self, quote: str, title: str, summary: str) -> tuple[bytes, bytes, bytes]:
        """`to_tsvector('arabic', quote + ' ' + title) || to_tsvector('english', summary)`, as
        tsvector input, encoded, in three pieces to be written one after the other; `quote` and
        `title` are search texts (app.extract.search_text)."""
        first, second = self.parts[("arabic", quote)], self.parts[("arabic", title)]
        return (
            first.literal(0),
            second.literal(first.last),
            self.parts[("english", summary)].literal(first.last + second.last),
        )
