"""Reading annotated-article and actor-registry files, with one clear message per bad file."""

import codecs
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.ingest.schema import (
    ARTICLE_FORMAT,
    PATTERN_WORDS,
    REGISTRY_FORMAT,
    USERS_FORMAT,
    ArticleDocument,
    RegistryDocument,
    UsersDocument,
)

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
ESCAPED_UNSTORABLE = re.compile(r"\\u(0000|[dD][89a-fA-F])")
"""JSON carries NUL or a surrogate only escaped (`\\u0000`, `\\ud800`): look closer only then."""

Document = ArticleDocument | RegistryDocument | UsersDocument
MODELS: dict[str, type[Document]] = {
    ARTICLE_FORMAT: ArticleDocument,
    REGISTRY_FORMAT: RegistryDocument,
    USERS_FORMAT: UsersDocument,
}


class InvalidFile(Exception):
    """A file that cannot be loaded; `str()` names the file and the place: `x.json: claims[3].stance: …`."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders as the `.json` files directly inside them, in name order, but for
    hidden ones (a Mac's `._x.json` beside each file copied through it, an editor's lock). A file
    named twice (`seeds/articles seeds/articles/x.json`) is kept once, where it first appears:
    loaded twice, it would be refused as a duplicate of itself."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        for file in _in_folder(path) if path.is_dir() else [path]:
            if (resolved := _resolved(file)) not in seen:
                seen.add(resolved)
                files.append(file)
    return files


def _in_folder(folder: Path) -> list[Path]:
    return sorted(f for f in folder.glob("*.json") if not f.name.startswith("."))


def _resolved(path: Path) -> Path:
    """The file a path names, to tell two names of one file apart. A symlink loop names no file:
    it is kept as given, so that reading it refuses that file alone, by name."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a loop: RuntimeError up to Python 3.12, OSError after
        return path.absolute()


def read_document(path: Path, *, max_bytes: int) -> Document:
    return parse_document(read_bytes(path, max_bytes=max_bytes), path)


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidFile(path, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        return path.read_bytes()
    except OSError as error:
        raise InvalidFile(path, error.strerror or str(error)) from None


def parse_document(raw: bytes, path: Path | str) -> Document:
    # Some Windows editors begin UTF-8 with a byte-order mark: no part of the JSON, as it is no
    # part of an article's text to `extract` or the import form.
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        at = error.start + len(raw) - len(body)  # counted in the file, as an editor shows it
        line = raw.count(b"\n", 0, at) + 1
        raise InvalidFile(path, f"not valid UTF-8: byte {at}, line {line}") from None
    try:
        data = json.loads(text, object_pairs_hook=_object_without_repeats)
    except json.JSONDecodeError as error:
        raise InvalidFile(
            path, f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RepeatedKey as repeated:
        raise InvalidFile(path, f"the key {repeated.key!r} appears twice in one object") from None
    if not isinstance(data, dict):
        raise InvalidFile(path, f"expected a JSON object, found {type(data).__name__}")
    if ESCAPED_UNSTORABLE.search(text) and (found := unstorable(data)) is not None:
        raise InvalidFile(path, f"{found[0]}: contains {found[1]}, which cannot be stored")
    model = MODELS.get(data.get("format"))  # type: ignore[arg-type]
    if model is None:
        known = " or ".join(repr(name) for name in MODELS)
        raise InvalidFile(path, f"format: {data.get('format')!r} is not {known}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidFile(path, describe(error.errors()[0])) from None


class RepeatedKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; JSON lets a key appear twice and keeps the last, which in a hand-edited
    file is a slip that would silently store the wrong value."""
    found = dict(pairs)
    if len(found) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        raise RepeatedKey(next(key for key, _ in pairs if counts[key] > 1))
    return found


def describe(error: Any) -> str:
    """`claims[3].stance: 'maybe' is not one of stay, leave, …` from one pydantic error."""
    place = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
    kind, message = error["type"], error["msg"]
    if kind in ("enum", "literal_error"):
        expected = error["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        message = f"{error['input']!r} is not one of {expected}"
    elif kind == "missing":
        message = "is missing"
    elif kind == "string_pattern_mismatch":
        wanted = PATTERN_WORDS.get(error["ctx"]["pattern"], "in the form the format asks for")
        message = f"{error['input']!r} is not {wanted}"
    elif kind.startswith("date"):
        message = f"{error['input']!r} is not a valid date (YYYY-MM-DD)"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
        if ":" in message.split(" ", 1)[0]:  # the validator already names its place
            return f"{place.lstrip('.')}.{message}" if place else message
    return f"{place.lstrip('.')}: {message}" if place else message


def unstorable(value: Any, place: str = "") -> tuple[str, str] | None:
    """The place and description of the first character PostgreSQL text cannot hold (NUL, or
    half of a surrogate pair) in a key or a string; None when there is none."""
    if isinstance(value, str):
        found = UNSTORABLE.search(value)
        return (place or "(top)", _describe(found.group())) if found else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if found := UNSTORABLE.search(key):
                return f"{place}.{key!r}".lstrip("."), _describe(found.group())
            items.append((f"{place}.{key}".lstrip("."), item))
    elif isinstance(value, list):
        items = [(f"{place}[{i}]", item) for i, item in enumerate(value)]
    return next((f for key, item in items if (f := unstorable(item, key)) is not None), None)


def _describe(char: str) -> str:
    if char == "\x00":
        return "a NUL character (U+0000)"
    return f"an unpaired surrogate (U+{ord(char):04X})"
