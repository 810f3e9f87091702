"""`basewatch extract` and `basewatch eval` through click's runner (no database)."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from app.cli.extract import eval_command, extract_command
from app.ingest.schema import ArticleDocument
from tests.extract.registry import REGISTRY

ARTICLE = (
    "السبت, أبريل 19, 2025\n"
    "وأكد المتحدث باسم الكرملين دميتري بيسكوف، الجمعة، أن القوات الروسية باقية في قاعدة حميميم.\n"
)


def _registry(tmp_path: Path) -> Path:
    path = tmp_path / "actors.json"
    path.write_text(json.dumps(REGISTRY, ensure_ascii=False), encoding="utf-8")
    return path


def test_extract_a_text_file(tmp_path: Path) -> None:
    article = tmp_path / "peskov.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        extract_command, [str(article), "--actors", str(_registry(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["article"]["published_on"] == "2025-04-19"
    assert document["article"]["language"] == "ar"
    assert document["article"]["text"] == ARTICLE
    (claim,) = document["claims"]
    assert claim["speaker"]["name_en"] == "Dmitry Peskov"
    assert claim["stated_on"] == "2025-04-18"
    assert claim["quote"] == ARTICLE[claim["start"] : claim["end"]]


def test_extract_of_an_undated_article_prints_what_load_takes(tmp_path: Path) -> None:
    """A year still to come in the attribution is no statement's date, with a publication date
    or without one (`load` refuses a file dated in the future)."""
    article = tmp_path / "undated.txt"
    article.write_text(
        "روسيا والقواعد\n\n"
        f"وقال وزير الخارجية الروسي سيرغي لافروف عام {dt.date.today().year + 2} إن روسيا ستحتفظ "
        "بقاعدة حميميم الجوية وقاعدة طرطوس البحرية.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        extract_command, [str(article), "--actors", str(_registry(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    document = ArticleDocument.model_validate(json.loads(result.output))
    assert document.article.published_on is None
    assert [claim.stated_on_precision for claim in document.claims] == ["unknown"]


def test_extract_a_saved_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = "<p>" + ARTICLE.splitlines()[1] + "</p>" + "<p>نص إضافي عن العلاقات بين البلدين.</p>" * 3
    page.write_text(
        f"<html><head><title>بيسكوف</title></head><body><nav>القائمة</nav><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        extract_command,
        [str(page), "--actors", str(_registry(tmp_path)), "--published", "2025-04-19"],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert "القائمة" not in document["article"]["text"]
    assert len(document["claims"]) == 1


def test_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(extract_command, [str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    bad_date = runner.invoke(extract_command, [str(article), "--published", "2025-13-01"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    invisible = tmp_path / "invisible.txt"  # a zero-width space, a direction mark, a BOM
    invisible.write_text("\u200b\u200f \n\ufeff", encoding="utf-8")
    empty = runner.invoke(extract_command, [str(invisible)])
    assert empty.exit_code == 2 and "has no text to read" in empty.output


def _gold_dir(tmp_path: Path) -> Path:
    """A folder with one gold article: Peskov's one claim in ARTICLE."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    text = ARTICLE
    quote = "القوات الروسية باقية في قاعدة حميميم"
    start = text.index(quote)
    gold = {
        "format": "annotated-article/1",
        "article": {"key": "g1", "url": None, "outlet": "x", "title": "t", "language": "ar",
                    "published_on": "2025-04-19", "text": text},
        "claims": [{
            "speaker": {"name": "ديمتري بيسكوف", "name_en": "Dmitry Peskov", "kind": "person"},
            "via": [], "quote": quote, "start": start, "end": start + len(quote), "direct": False,
            "stated_on": "2025-04-18", "stated_on_precision": "day", "bases": ["hmeimim"], "stance": "stay",
        }],
    }  # fmt: skip
    (gold_dir / "g1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return gold_dir


def test_eval_prints_the_table(tmp_path: Path) -> None:
    gold_dir = _gold_dir(tmp_path)
    result = CliRunner().invoke(eval_command, [str(gold_dir), "--actors", str(_registry(tmp_path))])
    assert result.exit_code == 0, result.output
    ar = next(line for line in result.output.splitlines() if line.startswith("ar"))
    assert ar.split()[1:8] == ["1", "1", "1", "1", "1.000", "1.000", "1.000"]


def test_eval_reads_a_folder_as_load_does_hidden_files_left_out(tmp_path: Path) -> None:
    """A gold folder copied through a Mac has a `._g1.json` of resource data beside each file:
    `basewatch load` leaves hidden files out, and so does eval, instead of stopping on it."""
    gold_dir = _gold_dir(tmp_path)
    (gold_dir / "._g1.json").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    result = CliRunner().invoke(eval_command, [str(gold_dir), "--actors", str(_registry(tmp_path))])
    assert result.exit_code == 0, result.output
    assert (
        next(line for line in result.output.splitlines() if line.startswith("ar")).split()[1] == "1"
    )


def test_the_registry_is_found_from_any_folder_and_a_missing_one_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run elsewhere, the default registry is still the project's: the speaker is named. A
    registry that is not there is an error, not an empty lexicon."""
    article = tmp_path / "peskov.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = CliRunner().invoke(extract_command, [str(article)])
    assert found.exit_code == 0, found.output
    (claim,) = json.loads(found.output)["claims"]
    assert claim["speaker"]["name_en"] == "Dmitry Peskov"
    missing = CliRunner().invoke(extract_command, [str(article), "--actors", "nowhere.json"])
    assert missing.exit_code == 2
    assert "'nowhere.json' does not exist" in missing.output


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--key", "my key"),
        ("--key", "-starts-with-a-dash"),
        ("--key", "k" * 201),
        ("--url", "www.example.org/a"),
        ("--url", "https://example.org/a b"),
        ("--url", "https://example.org/" + "a" * 1981),
    ],
)
def test_a_key_or_url_that_load_would_refuse_is_refused_up_front(
    tmp_path: Path, option: str, value: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        extract_command, [str(article), "--actors", str(_registry(tmp_path)), option, value]
    )
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': {value!r} is not a " in result.output
    limit = "at most 200 characters" if option == "--key" else "at most 2,000 characters"
    assert limit in result.output  # the rule it broke may be the length


def test_a_key_and_url_in_the_format_are_taken(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    options = ["--key", "peskov_2025.04-19", "--url", "https://example.org/a?b=1#c"]
    result = CliRunner().invoke(
        extract_command, [str(article), "--actors", str(_registry(tmp_path)), *options]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert ArticleDocument.model_validate(document).article.key == "peskov_2025.04-19"
    assert document["article"]["url"] == "https://example.org/a?b=1#c"


def test_eval_says_n_a_for_the_accuracy_of_no_matched_claim(tmp_path: Path) -> None:
    """With no claim matched there is no accuracy to give: 0.000 would read as all wrong."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    gold = {
        "format": "annotated-article/1",
        "article": {"key": "g1", "url": None, "outlet": "x", "title": "t", "language": "ar",
                    "published_on": "2025-04-19", "text": "نص عن الطقس في دمشق اليوم.\n"},
        "claims": [],
    }  # fmt: skip
    (gold_dir / "g1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(eval_command, [str(gold_dir), "--actors", str(_registry(tmp_path))])
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines()[1:]:
        assert line.split()[4:] == ["0", "0.000", "0.000", "0.000", "n/a", "n/a", "n/a", "n/a"]


def _extract(tmp_path: Path, name: str, content: str, *options: str) -> tuple[dict[str, Any], str]:
    """The document `extract` prints for a file, and what it said on stderr."""
    article = tmp_path / name
    article.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        extract_command, [str(article), "--actors", str(_registry(tmp_path)), *options]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def _html(head: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        f"<nav>Home | World | Politics</nav><article>{body}</article><footer>©</footer></body></html>"
    )


PESKOV_EN = (
    "<h1>Russia will not withdraw from Hmeimim, Kremlin says</h1>"
    "<p>Russia will not withdraw its forces from the Hmeimim air base, Kremlin spokesman Dmitry"
    " Peskov said on Monday, speaking to reporters in Moscow after the talks.</p>"
    "<p>The talks with Damascus on the future of the bases are continuing, Peskov added.</p>"
)


def test_a_page_address_that_load_would_refuse_is_left_out_with_a_warning(tmp_path: Path) -> None:
    head = '<title>t</title><meta property="og:url" content="https://exa mple.org/news/1">'
    document, warning = _extract(tmp_path, "page.html", _html(head, PESKOV_EN))
    assert document["article"]["url"] is None
    assert "'https://exa mple.org/news/1' is not a web address" in warning
    ArticleDocument.model_validate(document)


def test_a_page_address_in_the_format_is_taken(tmp_path: Path) -> None:
    head = '<title>t</title><link rel="canonical" href="https://example.org/news/1">'
    document, warning = _extract(tmp_path, "page.html", _html(head, PESKOV_EN))
    assert (document["article"]["url"], warning) == ("https://example.org/news/1", "")


def test_a_page_headline_and_site_come_from_the_page_not_its_menus(tmp_path: Path) -> None:
    document, _ = _extract(
        tmp_path, "page.html", _html("<title>Home | World News Daily</title>", PESKOV_EN)
    )
    article = document["article"]
    assert article["title"] == "Russia will not withdraw from Hmeimim, Kremlin says"
    assert article["outlet"] == "World News Daily"
    assert article["key"].startswith("world-news-daily-")


def test_a_headline_repeated_in_the_text_is_not_a_claim(tmp_path: Path) -> None:
    """`…, Kremlin says` heads the article; the claims are in its body."""
    document, _ = _extract(
        tmp_path, "page.html", _html("<title>x</title>", PESKOV_EN), "--published", "2025-03-04"
    )
    text = document["article"]["text"]
    headline_end = text.index("\n")
    assert document["claims"], "the body's statements are claims"
    assert all(claim["start"] > headline_end for claim in document["claims"])
    plain, _ = _extract(
        tmp_path,
        "a.txt",
        "Russia will not withdraw from Hmeimim, Kremlin says\n\n" + text[headline_end:],
    )
    assert all(claim["start"] > headline_end for claim in plain["claims"])


def test_a_plain_text_title_skips_the_date_line_and_breadcrumb(tmp_path: Path) -> None:
    text = (
        "السبت, أبريل 19, 2025\nالرئيسيةاخبار عربية و دوليةروسيا تؤكد أن قواتها باقية\n\n"
        "روسيا تؤكد أن قواتها باقية في سوريا\n\n" + ARTICLE.splitlines()[1] + "\n"
    )
    document, _ = _extract(tmp_path, "a.txt", text)
    assert document["article"]["title"] == "روسيا تؤكد أن قواتها باقية في سوريا"
    assert document["article"]["published_on"] == "2025-04-19"


def test_eval_takes_a_gold_file_without_the_fields_the_format_lets_it_leave_out(
    tmp_path: Path,
) -> None:
    """`via` may be left out (heard directly, as `[]`): an unnamed speaker's claim without it
    ended eval in a KeyError. Left out or written out, the scores are the same."""
    seed = Path(__file__).resolve().parents[2] / "seeds" / "articles"
    gold = json.loads((seed / "unknown-2024-12-27-tass-russian-bases-agreements.json").read_text())
    anonymous = [c for c in gold["claims"] if c["speaker"]["kind"] == "anonymous"]
    assert anonymous
    tables = []
    for name, drop in (("written", False), ("left-out", True)):
        for claim in anonymous:
            claim["via"] = []
            if drop:
                del claim["via"]
        folder = tmp_path / name
        folder.mkdir()
        (folder / "g.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        result = CliRunner().invoke(eval_command, [str(folder)])
        assert result.exit_code == 0, result.output
        tables.append(result.output)
    assert tables[0] == tables[1]


@pytest.mark.parametrize("line_end", ["\r\n", "\r", "\u2029"])
def test_line_ends_of_any_system_read_as_the_import_form_reads_them(
    tmp_path: Path, line_end: str
) -> None:
    """A file saved on Windows (CRLF), by an old Mac tool (CR) or by a word processor (U+2029)
    gives the text and claims of the same file with LF, as the import form gives them: the
    paragraphs stay apart, and a date told in one does not spill into the next."""
    text = (
        "السبت, أبريل 19, 2025\n\n"
        "وقال وزير الخارجية الروسي سيرغي لافروف أمس إن القوات الروسية باقية في قاعدة حميميم.\n\n"
        "وذكر مصدر دبلوماسي روسي أن موسكو لن تغادر قاعدة طرطوس.\n"
    )
    documents = []
    for name, written in (("lf", text), ("other", text.replace("\n", line_end))):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(written.encode("utf-8"))
        result = CliRunner().invoke(
            extract_command, [str(path), "--actors", str(_registry(tmp_path))]
        )
        assert result.exit_code == 0, result.output
        documents.append(json.loads(result.output))
    lf, other = documents
    assert other["article"]["text"] == lf["article"]["text"]
    assert other["claims"] == lf["claims"]
    assert [c["stated_on_precision"] for c in lf["claims"]] == ["day", "unknown"]


def test_two_pages_saved_under_one_name_get_two_keys_and_one_page_keeps_its_key(
    tmp_path: Path,
) -> None:
    """Pages saved from one site on one day are often all `index.html`: a key made of outlet, date
    and file name was the same for both, and loading the second replaced the first article (its
    claims retired). The text tells them apart; the same text keeps its key, so that a reload
    changes nothing."""
    other = ARTICLE.replace("حميميم", "طرطوس")
    keys = []
    for folder, text in (("a", ARTICLE), ("b", other), ("c", ARTICLE)):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "index.txt"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(
            extract_command, [str(path), "--actors", str(_registry(tmp_path))]
        )
        assert result.exit_code == 0, result.output
        keys.append(json.loads(result.output)["article"]["key"])
    assert keys[0] != keys[1] and keys[0] == keys[2]
    assert keys[0].startswith("unknown-2025-04-19-index-")


def test_a_text_in_a_language_the_extractor_does_not_read_says_so(tmp_path: Path) -> None:
    """A Russian article gives a document `load` takes, with no claims: said on stderr, so that
    nobody reads the empty list as an article without statements on the bases."""
    text = (
        "Песков: Россия не уйдёт из Сирии\n\n"
        "Пресс-секретарь президента России Дмитрий Песков заявил, что Россия не планирует "
        "выводить войска с авиабазы Хмеймим.\n"
    )
    document, warning = _extract(tmp_path, "peskov-ru.txt", text, "--published", "2025-11-14")
    assert (document["article"]["language"], document["claims"]) == ("ru", [])
    assert "warning: no claims proposed: the extractor reads Arabic and English, not ru" in warning
    ArticleDocument.model_validate(document)
    _, quiet = _extract(tmp_path, "peskov.txt", ARTICLE)
    assert quiet == ""


def test_a_text_without_a_headline_keeps_the_claim_of_its_first_line(tmp_path: Path) -> None:
    """A body pasted without its headline starts with a statement: the title falls back on its
    first line, and that line, a sentence and not a headline, was then dropped as the headline
    repeated in the text."""
    text = (
        "وقال المتحدث باسم الكرملين دميتري بيسكوف إن القوات الروسية باقية في حميميم.\n\n"
        "وأضاف بيسكوف أن القاعدتين تعملان بشكل طبيعي.\n"
    )
    document, _ = _extract(tmp_path, "body.txt", text, "--published", "2025-04-19")
    quotes = [claim["quote"] for claim in document["claims"]]
    assert quotes == ["القوات الروسية باقية في حميميم", "القاعدتين تعملان بشكل طبيعي"]
