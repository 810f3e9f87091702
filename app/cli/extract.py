"""`basewatch extract` (one article → annotated-article JSON) and `basewatch eval` (gold → scores).

Neither reaches the network or a database: the registry is a file, the article is a file.
"""

import codecs
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from pydantic import TypeAdapter, ValidationError
from trafilatura.utils import decode_file

from app.cli.common import settings
from app.extract.dates import find_publication_date
from app.extract.headline import first_line, text_headline
from app.extract.htmltext import Page, is_saved_page, page_from_html
from app.extract.language import detect_language
from app.extract.lexicon import Lexicon
from app.extract.pipeline import extract_document
from app.extract.rawtext import has_words, storable, unix_lines
from app.extract.score import score_documents
from app.ingest.files import InvalidFile, expand_paths, parse_document, read_bytes
from app.ingest.schema import (
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    PATTERN_WORDS,
    WEB_URL_PATTERN,
    ArticleDocument,
    Key,
    WebUrl,
    date_problem,
    takes_web_url,
)

# The registry beside the code, wherever the command is run from: relative to the working folder,
# running elsewhere found none and extracted with an empty lexicon, without a word.
DEFAULT_ACTORS = Path(__file__).resolve().parents[2] / "seeds" / "actors.json"
REGISTRY_FORMAT = "actor-registry/1"
ARTICLE_FORMAT = "annotated-article/1"
_NOT_KEY = re.compile(r"[^A-Za-z0-9._-]+")
_TITLE_LENGTH = 80
_DIGEST = 10
_UNKNOWN_OUTLET = {"ar": "غير معروف"}
_READ_LANGUAGES = ("ar", "en")
"""The languages the extractor has cues and names for; another one's text gets no claims."""


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    if problem := date_problem(date):  # the format's rule: `load` would refuse the file
        raise click.BadParameter(str(problem))
    return date


Check = Callable[[click.Context, click.Parameter, str | None], str | None]


def _written_as(form: Any, expected: str) -> Check:
    """An option checked by the format's own rule for the field, so that `basewatch load` takes
    what `basewatch extract` prints."""
    adapter: TypeAdapter[str] = TypeAdapter(form)

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return adapter.validate_python(value)
        except ValidationError:
            raise click.BadParameter(f"{value!r} is not {expected}") from None

    return check


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.BadParameter(f"cannot read {what} {path}: {error}") from None


def _registry(path: Path) -> dict[str, Any]:
    registry = _read_json(path, "the actor registry")
    if not isinstance(registry, dict) or registry.get("format") != REGISTRY_FORMAT:
        raise click.BadParameter(f"{path} is not an {REGISTRY_FORMAT} file", param_hint="--actors")
    return registry


def load_lexicon(*paths: Path) -> Lexicon:
    """The lexicon of the given registries, the existing ones merged in order."""
    return Lexicon.from_registries(*(_registry(path) for path in paths if path.exists()))


def _read_article(path: Path) -> tuple[str, Page | None]:
    """The article's text, and the page it came from when it is a saved web page; read as the
    import form reads an upload. A page declares its own encoding (Arabic sites still save
    windows-1256); plain text is UTF-8. A byte-order mark is no part of either; line ends are
    `\n`, as the import form has them."""
    try:
        raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    except OSError as error:
        raise click.BadParameter(
            f"cannot read {path}: {error.strerror}", param_hint="PATH"
        ) from None
    if is_saved_page(path.name, raw):
        page = page_from_html(decode_file(raw))
        return storable(unix_lines(page.text)), page
    try:
        return storable(unix_lines(raw.decode("utf-8"))), None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise click.BadParameter(
            f"{path} is neither UTF-8 text nor a web page: byte {error.start}, line {line}",
            param_hint="PATH",
        ) from None


def _found_date(found: dt.date | None) -> dt.date | None:
    """The date the page or the text gives, unless the format refuses it (in the future, before
    1900): said on stderr, as `load` would refuse the whole file for it."""
    if found is None or (problem := date_problem(found)) is None:
        return found
    click.echo(
        f"warning: publication date left empty: {problem} (give it with --published)", err=True
    )
    return None


def _title(text: str) -> str:
    """The first line that reads like a headline (not a date line or a breadcrumb), else the
    start of the first line that is not page furniture (`news-details`)."""
    headline = text_headline(text)
    if headline:
        return headline
    return " ".join(first_line(text).split())[:_TITLE_LENGTH] or "-"


def _page_url(page: Page) -> str | None:
    """The page's own address (canonical link, og:url) when it is one the format takes; else none,
    said on stderr: `load` would refuse the whole file for it, and --url can give it."""
    if page.url is None or takes_web_url(page.url):
        return page.url
    click.echo(
        f"warning: the page's own address {page.url!r} is not "
        f"{PATTERN_WORDS[WEB_URL_PATTERN]}; url left empty (give it with --url)",
        err=True,
    )
    return None


def _key(outlet: str, published: dt.date | None, path: Path, text: str) -> str:
    """A stable key from what is known: `unknown-2025-04-19-index-3f2a9c01d4`. The text's digest
    ends it, as the import form's keys: pages of one site and day are often all saved as
    `index.html`, and one key for two articles would have the second replace the first."""
    outlet_part = _NOT_KEY.sub("-", outlet.lower()).strip("-._") or "unknown"
    parts = [outlet_part, published.isoformat() if published else "undated", path.stem]
    digest = hashlib.sha256(text.encode()).hexdigest()[:_DIGEST]
    named = _NOT_KEY.sub("-", "-".join(parts)).strip("-._")[: KEY_MAX_LENGTH - _DIGEST - 1]
    return f"{named.rstrip('-._')}-{digest}"


@click.command("extract")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--published", callback=_date, help="Publication date, YYYY-MM-DD (else found in the text)."
)
@click.option(
    "--language", type=click.Choice(_READ_LANGUAGES), help="Else detected from the script."
)
@click.option("--outlet", help="The outlet's name (else the page's site name, or unknown).")
@click.option(
    "--url",
    callback=_written_as(WebUrl, PATTERN_WORDS[WEB_URL_PATTERN]),
    help="Where the article came from.",
)
@click.option(
    "--key",
    callback=_written_as(Key, PATTERN_WORDS[KEY_PATTERN]),
    help="The article's key (else made from outlet, date, file name and text).",
)
@click.option(
    "--actors",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_ACTORS,
    show_default=True,
    help="The actor registry the speakers are matched against.",
)
def extract_command(
    path: Path,
    published: dt.date | None,
    language: str | None,
    outlet: str | None,
    url: str | None,
    key: str | None,
    actors: Path,
) -> None:
    """Propose the claims of one article (plain UTF-8 text or a saved HTML page) and print them as
    one annotated-article/1 document. Offline: no network, no model."""
    lexicon = load_lexicon(actors)
    text, page = _read_article(path)
    if not has_words(text):
        raise click.BadParameter(f"{path} has no text to read", param_hint="PATH")
    language = language or detect_language(text)
    if language not in _READ_LANGUAGES:  # detected: --language offers only these
        click.echo(
            f"warning: no claims proposed: the extractor reads Arabic and English, not {language}",
            err=True,
        )
    published = published or _found_date(
        (page.published if page else None) or find_publication_date(text)
    )
    outlet = outlet or (page.outlet if page else None) or _UNKNOWN_OUTLET.get(language, "unknown")
    article = {
        "key": key or _key(outlet, published, path, text),
        "url": url or (_page_url(page) if page else None),
        "outlet": outlet,
        "title": (page.title if page else None) or _title(text),
        "language": language,
        "published_on": published,
        "text": text,
    }
    document = json.dumps(extract_document(article, lexicon=lexicon), ensure_ascii=False, indent=2)
    size, limit = len(document.encode()) + 1, settings().max_article_bytes  # + its line end
    if size > limit:
        click.echo(
            f"warning: the document is {size:,} bytes, over the {limit:,}-byte limit that"
            " `basewatch load` applies (BASEWATCH_MAX_ARTICLE_BYTES): raise it to load this one",
            err=True,
        )
    click.echo(document)


def _gold_documents(gold_dir: Path) -> Iterator[dict[str, Any]]:
    """The gold articles, each checked as `basewatch load` checks it: a bad one is named with
    its field, not met later as a traceback. As read, with every field the file may leave out
    written out (`via`: []), as the scorer reads them. Registries are skipped (GOLD_DIR/actors.json
    is merged into the lexicon). The folder is read as `load` reads one (hidden files left out)."""
    max_bytes = settings().max_article_bytes
    for path in expand_paths([gold_dir]):
        try:
            document = parse_document(read_bytes(path, max_bytes=max_bytes), path)
        except InvalidFile as error:
            raise click.ClickException(str(error)) from None
        if isinstance(document, ArticleDocument):
            yield document.model_dump(mode="json")


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--actors",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_ACTORS,
    show_default=True,
    help="The actor registry; an actors.json inside GOLD_DIR is merged into it.",
)
def eval_command(gold_dir: Path, actors: Path) -> None:
    """Run the extractor over gold annotated-article files and print precision, recall and F1 of
    claims, and the accuracy of stance, bases, direct and date over matched claims, per language."""
    lexicon = load_lexicon(actors, gold_dir / "actors.json")
    documents = list(_gold_documents(gold_dir))
    if not documents:
        raise click.BadParameter(f"no {ARTICLE_FORMAT} files in {gold_dir}", param_hint="GOLD_DIR")
    pairs = [
        (gold, extract_document(gold["article"], lexicon=lexicon)["claims"]) for gold in documents
    ]
    click.echo(score_documents(pairs, lexicon).table())
