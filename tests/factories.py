"""Builders for test data: annotated-article documents as plain dicts, and files of them."""

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

TEXT = (
    "قال الناطق باسم الكرملين ديمتري بيسكوف، الخميس، إن القوات الروسية باقية في قاعدتي حميميم "
    "وطرطوس. وأضاف: «لا نخطط لسحب قواتنا». "
    "وقال وزير الدفاع السوري مرهف أبو قصرة إن دمشق منفتحة على بقاء القاعدتين إذا خدمتا مصالح سوريا."
)


TAG_COPIES_DIFFERING = (
    "SELECT count(*) FROM claims c WHERE c.tag_ids"
    " <> ARRAY(SELECT tag_id FROM claim_tags t WHERE t.claim_id = c.id ORDER BY tag_id)"
)
"""How many claims' `tag_ids` differ from their claim_tags rows, in order as the triggers on
claim_tags write them."""


def _claim(quote: str, **fields: Any) -> dict[str, Any]:
    start = TEXT.index(quote)
    claim = {
        "speaker": {
            "name": "ديمتري بيسكوف",
            "name_en": "Dmitry Peskov",
            "kind": "person",
            "role": "Kremlin spokesman",
            "affiliation": "RU",
        },
        "via": [],
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "direct": False,
        "stated_on": "2025-02-06",
        "stated_on_precision": "day",
        "bases": ["hmeimim", "tartus"],
        "stance": "stay",
        "summary_en": "Peskov says Russian forces remain at Hmeimim and Tartus.",
    }
    claim.update(fields)
    return claim


BASE_DOC: dict[str, Any] = {
    "format": "annotated-article/1",
    "article": {
        "key": "test-2025-02-07-peskov",
        "url": "https://example.org/news/1",
        "outlet": "Test Outlet",
        "title": "بيسكوف: القوات الروسية باقية",
        "language": "ar",
        "published_on": "2025-02-07",
        "text": TEXT,
    },
    "claims": [
        _claim("القوات الروسية باقية في قاعدتي حميميم وطرطوس"),
        _claim(
            "لا نخطط لسحب قواتنا",
            direct=True,
            summary_en="Peskov: we are not planning to withdraw our forces.",
        ),
        _claim(
            "دمشق منفتحة على بقاء القاعدتين إذا خدمتا مصالح سوريا",
            speaker={
                "name": "مرهف أبو قصرة",
                "name_en": "Murhaf Abu Qasra",
                "kind": "person",
                "role": "Syrian Defence Minister",
                "affiliation": "SY",
            },
            stated_on=None,
            stated_on_precision="unknown",
            stance="conditional",
            summary_en="Abu Qasra says Damascus is open to the bases staying if they serve Syria.",
        ),
    ],
}


def article_doc(**article_fields: Any) -> dict[str, Any]:
    """A valid document with three claims; keyword arguments replace article fields."""
    doc = copy.deepcopy(BASE_DOC)
    doc["article"].update(article_fields)
    return doc


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@contextmanager
def statements_sent(session: Session) -> Iterator[list[str]]:
    """The SQL of every statement sent through `session`'s engine meanwhile, in order."""
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(bind, "before_cursor_execute", record)
