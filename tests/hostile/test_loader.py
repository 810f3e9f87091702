"""The hostile corpus through article files: every free-text field of an article and its claim
holds a payload. What the archive can store is stored exactly and exported back exactly; what it
cannot is refused whole, with a message naming the file and the place; nothing else is stored."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.batch import load_paths
from app.ingest.export import articles_to_export, export_articles
from app.models import Article, Claim
from tests.factories import write_json
from tests.hostile.archive import hostile_doc
from tests.hostile.corpus import INVALID_UTF8, PAYLOADS, REFUSED, Payload

LIMIT = 10_000_000
FIELDS = ["title", "outlet", "quote", "name", "name_en", "role", "via", "summary_en", "tags"]


def _load(maker: sessionmaker[Session], *paths: Path) -> list[str]:
    return load_paths(maker, list(paths), max_bytes=LIMIT).refused


def test_every_storable_payload_is_stored_and_exported_exactly(
    maker: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    docs = {
        f"hostile-{i:03d}": hostile_doc(f"hostile-{i:03d}", p.text) for i, p in enumerate(PAYLOADS)
    }
    refused = _load(maker, *(write_json(tmp_path / f"{k}.json", d) for k, d in docs.items()))
    assert refused == []
    exported = export_articles(session, articles_to_export(session))
    for doc in exported:
        original = docs[doc.article.key]
        back = json.loads(doc.model_dump_json())
        assert back["article"] == original["article"], doc.article.key
        [claim] = back["claims"]
        expected = original["claims"][0]
        for field in ("quote", "via", "summary_en", "extractor", "start", "end"):
            assert claim[field] == expected[field], (doc.article.key, field)
        # A tag is its words without the spaces around them, as editors type it.
        assert claim["tags"] == [tag.strip() for tag in expected["tags"]], doc.article.key
        assert claim["speaker"]["name"] == expected["speaker"]["name"]
        assert claim["speaker"]["role"] == expected["speaker"]["role"]


@pytest.mark.parametrize("payload", REFUSED, ids=[p.name for p in REFUSED])
@pytest.mark.parametrize("field", FIELDS)
def test_unstorable_text_is_refused_by_place(
    maker: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    payload: Payload,
    field: str,
) -> None:
    doc = hostile_doc("plain-key", "نص عادي")
    target = doc["claims"][0]
    if field in ("title", "outlet"):
        doc["article"][field] = payload.text
        place = f"article.{field}"
    elif field in ("name", "name_en", "role"):
        target["speaker"][field] = payload.text
        place = f"claims[0].speaker.{field}"
    elif field in ("via", "tags"):
        target[field] = [payload.text]
        place = f"claims[0].{field}[0]"
    elif field == "quote":
        doc["article"]["text"] = doc["article"]["text"].replace("نص عادي", payload.text)
        target["quote"], target["end"] = payload.text, target["start"] + len(payload.text)
        place = "article.text"  # the first place that holds it
    else:
        target[field] = payload.text
        place = f"claims[0].{field}"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))  # escaped: a lone surrogate cannot be written as UTF-8
    good = write_json(tmp_path / "good.json", hostile_doc("good-one", "نص"))
    refused = _load(maker, path, good)
    what = "a NUL character (U+0000)" if payload.kind == "nul" else "an unpaired surrogate"
    assert len(refused) == 1 and refused[0].startswith(f"{path}: {place}: contains {what}")
    assert session.scalars(select(Article.key)).all() == ["good-one"]


@pytest.mark.parametrize(("name", "raw"), INVALID_UTF8, ids=[n for n, _ in INVALID_UTF8])
def test_invalid_utf8_is_refused_with_its_byte(
    maker: sessionmaker[Session], session: Session, tmp_path: Path, name: str, raw: bytes
) -> None:
    body = json.dumps(hostile_doc("utf8", "PLACEHOLDER"), ensure_ascii=False).encode()
    path = tmp_path / f"{name}.json"
    path.write_bytes(body.replace(b"PLACEHOLDER", raw))
    [message] = _load(maker, path)
    assert message.startswith(f"{path}: not valid UTF-8: byte ")
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


@pytest.mark.parametrize(
    "payload",
    [p for p in PAYLOADS if p.kind in ("path", "url", "header", "sql")],
    ids=lambda p: p.name,
)
def test_keys_urls_and_languages_take_only_their_shape(
    maker: sessionmaker[Session], session: Session, tmp_path: Path, payload: Payload
) -> None:
    """Keys become file names and addresses, URLs links: path traversal, markup, quotes or CRLF
    cannot be one (an apostrophe can: it is legal in a URL, and pages escape it)."""
    legal_url = payload.name == "http-quote"
    for field in ("key", "url", "language"):
        doc = hostile_doc("shape", "نص")
        doc["article"][field] = payload.text
        refused = _load(maker, write_json(tmp_path / f"{field}.json", doc))
        if field == "url" and legal_url:
            assert refused == []
            continue
        assert len(refused) == 1, (field, payload.name)
        assert f"article.{field}: {payload.text!r} is not " in refused[0]
    assert session.scalar(select(func.count()).select_from(Article)) == int(legal_url)
