"""The basewatch command as a user runs it, against a database of the test's own."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.factories import article_doc, write_json

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def basewatch(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_load_refuses_a_bad_file_by_name_and_loads_the_rest(
    fresh_database_url: str, tmp_path: Path
) -> None:
    bad = article_doc(key="bad-one")
    bad["claims"][0]["stance"] = "maybe"
    bad_path = write_json(tmp_path / "bad.json", bad)
    good_path = write_json(tmp_path / "good.json", article_doc())
    result = basewatch(fresh_database_url, "load", str(bad_path), str(good_path))
    assert result.returncode == 1
    assert (
        f"{bad_path}: claims[0].stance: 'maybe' is not one of stay, leave, conditional, "
        "negotiating, review, unclear"
    ) in result.stderr
    assert "articles: 1 added, 0 updated, 0 unchanged" in result.stdout
    assert "files refused: 1" in result.stdout


def test_export_all_then_load_changes_nothing(fresh_database_url: str, tmp_path: Path) -> None:
    loaded = basewatch(
        fresh_database_url, "load", str(SEEDS / "actors.json"), str(SEEDS / "articles")
    )
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "export"
    exported = basewatch(fresh_database_url, "export", "--all", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert len(list(out.glob("*.json"))) == 7  # five articles, the registry and the accounts
    again = basewatch(fresh_database_url, "load", str(out))
    assert again.returncode == 0, again.stderr
    assert "articles: 0 added, 0 updated, 5 unchanged" in again.stdout
    assert "claims: 0 added, 0 updated, 0 retired" in again.stdout
    assert "actors: 0 added, 0 updated" in again.stdout
    one = basewatch(
        fresh_database_url, "export", "--article", "menber-2025-02-12-putin-sharaa-call"
    )
    assert json.loads(one.stdout)["article"]["key"] == "menber-2025-02-12-putin-sharaa-call"


def test_export_names_a_missing_article(fresh_database_url: str) -> None:
    result = basewatch(fresh_database_url, "export", "--article", "no-such-key")
    assert result.returncode == 1 and "no article with key 'no-such-key'" in result.stderr
