"""A canonical dump of the archive's content, as one checksum per part: two databases with the
same checksums hold the same archive, whatever their row ids, physical order or history of loads.

What counts is what people see and cite (docs/backup.md): articles, actors and their addresses,
claims under their permanent ids with tags, history, statement groups and review decisions, and
the accounts' names and roles. Derived columns (search text, content hashes) and access state
(passwords, sessions, sign-in attempts, whether an account is enabled) do not.
"""

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

PARTS = {
    "articles": """
        SELECT a.key, a.url, o.name AS outlet, a.title, a.language, a.published_on, a.text
        FROM articles a JOIN outlets o ON o.id = a.outlet_id ORDER BY a.key""",
    "actors": """
        SELECT a.slug, a.kind, a.name_ar, a.name_en, a.name_ru, a.role, a.affiliation,
               a.needs_review,
               (SELECT array_agg(array[al.name, al.is_title::text] ORDER BY al.name, al.is_title)
                FROM actor_aliases al WHERE al.actor_id = a.id) AS aliases,
               (SELECT array_agg(r.slug ORDER BY r.slug)
                FROM actor_redirects r WHERE r.actor_id = a.id) AS former_slugs
        FROM actors a ORDER BY a.slug""",
    "claims": """
        SELECT c.id, a.key AS article, s.slug AS speaker, c.speaker_name, c.speaker_role,
               c.speaker_affiliation, c.via, c.quote, c.span_start, c.span_end, c.direct,
               c.stated_on, c.stated_on_precision, c.bases, c.stance, c.summary_en,
               c.summary_machine, c.status, c.origin, c.extractor, c.note, c.version,
               c.merged_into_id, c.created_at, c.updated_at,
               (SELECT array_agg(t.name ORDER BY t.name) FROM claim_tags ct
                JOIN tags t ON t.id = ct.tag_id WHERE ct.claim_id = c.id) AS tags
        FROM claims c JOIN articles a ON a.id = c.article_id JOIN actors s ON s.id = c.speaker_id
        ORDER BY c.id""",
    "history": """
        SELECT r.claim_id, r.version, r.source, u.username, r.at, r.field, r.old_value,
               r.new_value, r.note
        FROM revisions r LEFT JOIN users u ON u.id = r.user_id ORDER BY r.claim_id, r.id""",
    "statements": """
        SELECT m.claim_id, m.statement_id, m.confirmed, u.username AS decided_by, m.decided_at
        FROM statement_members m LEFT JOIN users u ON u.id = m.decided_by ORDER BY m.claim_id""",
    "reviews": """
        SELECT d.claim_id, u.username, d.at, d.decision, d.fields, d.reason, d.extractor
        FROM review_decisions d JOIN users u ON u.id = d.user_id ORDER BY d.claim_id, d.id""",
    "accounts": "SELECT username, role FROM users ORDER BY username",
}


@dataclass(frozen=True)
class Part:
    rows: int
    sha256: str


def checksums(session: Session) -> dict[str, Part]:
    """Each part's row count and the sha256 of its rows in order, written as JSON."""
    session.execute(text("SET LOCAL TimeZone = 'UTC'"))  # timestamps read the same everywhere
    found = {}
    for name, query in PARTS.items():
        digest, count = hashlib.sha256(), 0
        for row in session.execute(text(query)):
            line = json.dumps(list(row), sort_keys=True, ensure_ascii=False, default=str)
            digest.update(line.encode() + b"\n")
            count += 1
        found[name] = Part(count, digest.hexdigest())
    return found
