"""`expand_paths`: what `basewatch load` reads, from the files and folders it is given."""

from pathlib import Path

import pytest

from app.ingest.files import expand_paths


def test_a_file_named_twice_is_kept_once_where_it_first_appears(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("b.json", "a.json", "notes.txt"):
        (folder / name).write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    given = [Path("articles/b.json"), folder, Path("articles/../articles/a.json")]
    assert expand_paths(given) == [Path("articles/b.json"), folder / "a.json"]


def test_a_symlink_loop_is_kept_to_be_refused_by_name(tmp_path: Path) -> None:
    """Resolving it raised, so `basewatch load` of its folder, or of it, ended in a traceback and
    loaded nothing; read, it is refused alone (`Too many levels of symbolic links`)."""
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    assert expand_paths([tmp_path]) == [tmp_path / "a.json", tmp_path / "loop.json"]
    assert expand_paths([tmp_path / "loop.json"]) == [tmp_path / "loop.json"]


def test_a_folder_s_hidden_files_are_not_articles(tmp_path: Path) -> None:
    """A backup copied through a Mac holds `._a.json` beside each file (its metadata), an editor
    leaves `.#a.json` locks: each was read and refused, and the load exited 1. Named alone, a
    hidden file is read like any other."""
    for name in ("a.json", "._a.json", ".#a.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert expand_paths([tmp_path]) == [tmp_path / "a.json"]
    assert expand_paths([tmp_path / "._a.json"]) == [tmp_path / "._a.json"]
