"""`basewatch extract` and `basewatch eval` through click's runner (no database)."""

import json
from pathlib import Path

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


def test_eval_prints_the_table(tmp_path: Path) -> None:
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
    result = CliRunner().invoke(eval_command, [str(gold_dir), "--actors", str(_registry(tmp_path))])
    assert result.exit_code == 0, result.output
    ar = next(line for line in result.output.splitlines() if line.startswith("ar"))
    assert ar.split()[1:8] == ["1", "1", "1", "1", "1.000", "1.000", "1.000"]


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
