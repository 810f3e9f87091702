"""The search vector the trigger `claims_search_vector` would give a claim, assembled from the
vectors of its parts, each of which PostgreSQL computes once.

The trigger computes `strip(to_tsvector('arabic', search_text) || to_tsvector('english',
summary_en))` for every row: for a million claims, most of a bulk load's database time. But a
claim's search text is its quote's search words then its title's, and a million claims repeat
some 18,000 quotes, 2,000 titles and 8,000 summaries. So each distinct part is sent to
`to_tsvector` once, and a row's vector is written as its parts' lexemes one after the other:
a stripped vector is a set of lexemes, and tsvector input merges a lexeme written twice.
tests/bench/test_archive.py compares every loaded row with the trigger's own result.
"""

from collections.abc import Iterable
from typing import Any

import psycopg

PARTS = """
SELECT t.text, strip(to_tsvector(%(config)s::regconfig, t.text))::text
  FROM unnest(%(texts)s::text[]) AS t(text)
"""


class SearchVectors:
    """Each row's vector from its quote's and title's search words and its summary."""

    def __init__(self) -> None:
        self.parts: dict[tuple[str, str], bytes] = {}
        """(config, text) → the text's lexemes as tsvector input, and a space to part them from
        what follows."""

    def learn(self, conn: psycopg.Connection[Any], config: str, texts: Iterable[str]) -> None:
        """Ask PostgreSQL for the vectors of the texts not known yet, in one statement."""
        new = list({t for t in texts if (config, t) not in self.parts})
        if new:
            for text, vector in conn.execute(PARTS, {"texts": new, "config": config}):
                self.parts[(config, text)] = vector.encode() + b" "

    def pieces(self, quote: str, title: str, summary: str) -> tuple[bytes, bytes, bytes]:
        """`strip(to_tsvector('arabic', quote + ' ' + title) || to_tsvector('english',
        summary))`, as tsvector input, encoded, in three pieces to be written one after the
        other; `quote` and `title` are search texts (app.extract.search_text)."""
        parts = self.parts
        return parts["arabic", quote], parts["arabic", title], parts["english", summary]
