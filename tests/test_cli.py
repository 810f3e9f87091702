"""The basewatch command as a user runs it, against a database of the test's own."""

import json
import os
import pty
import resource
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app.cli import main
from app.ingest.files import parse_document
from app.ingest.schema import ArticleDocument
from tests.factories import TEXT, article_doc, write_json

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def run_sql(url: str, statement: str) -> None:
    """A change made behind the app's back: a stored state its own rules would refuse now."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def basewatch(url: str, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, **settings}
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


def test_export_of_one_article_joins_the_files_in_its_folder(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Only a backup's folder must be empty (it holds that backup alone): a second article's
    export into the same folder was refused; an article's file already there is kept."""
    loaded = basewatch(fresh_database_url, "load", str(SEEDS / "articles"))
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "out"
    keys = ["menber-2025-02-12-putin-sharaa-call", "mtinews-2025-04-19-russia-relations-damascus"]
    for key in keys:
        result = basewatch(fresh_database_url, "export", "--article", key, "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{key}.json" for key in keys]
    before = (out / f"{keys[0]}.json").read_bytes()
    again = basewatch(fresh_database_url, "export", "--article", keys[0], "--out", str(out))
    assert again.returncode == 1
    assert again.stderr == f"Error: {out / keys[0]}.json exists already; nothing was exported\n"
    assert (out / f"{keys[0]}.json").read_bytes() == before


def test_export_names_a_missing_article(fresh_database_url: str) -> None:
    result = basewatch(fresh_database_url, "export", "--article", "no-such-key")
    assert result.returncode == 1 and "no article with key 'no-such-key'" in result.stderr


def _unreachable_url() -> str:
    """A server address where nothing listens (a port the system just handed out and took back),
    with a password that must never be printed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql://postgres:s3cret-pw@127.0.0.1:{port}/basewatch"


@pytest.mark.parametrize(
    "command",
    [
        ["load", str(SEEDS / "articles")],
        ["checksum"],
        ["export", "--article", "x"],
        ["users", "list"],
        ["db", "upgrade"],
        ["serve"],
    ],
)
def test_an_unreachable_database_is_one_line_for_every_command(command: list[str]) -> None:
    """Said once, not blamed on each file; no traceback, no password."""
    url = _unreachable_url()
    result = basewatch(url, *command)
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: cannot reach the database at 127.0.0.1:{port}/basewatch: connection refused\n"
    )
    assert "s3cret-pw" not in result.stdout + result.stderr


def test_a_database_without_tables_says_to_upgrade(fresh_database_url: str) -> None:
    assert basewatch(fresh_database_url, "db", "downgrade", "base").returncode == 0
    for command in (["load", str(SEEDS / "articles")], ["checksum"], ["users", "list"]):
        result = basewatch(fresh_database_url, *command)
        assert result.returncode == 1
        assert (
            result.stderr.endswith("has no basewatch tables: run basewatch db upgrade\n")
            and result.stderr.count("\n") == 1
        ), result.stderr
    assert basewatch(fresh_database_url, "db", "upgrade").returncode == 0
    loaded = basewatch(fresh_database_url, "load", str(SEEDS / "actors.json"))
    assert loaded.returncode == 0, loaded.stderr


def test_a_bad_setting_is_one_line() -> None:
    url = _unreachable_url()
    result = basewatch(url, "load", str(SEEDS / "articles"), BASEWATCH_MAX_ARTICLE_BYTES="abc")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: BASEWATCH_MAX_ARTICLE_BYTES: input should be a valid integer, "
        "unable to parse string as an integer\n"
    )


def test_an_embedded_server_that_cannot_start_is_one_line() -> None:
    # An empty DATABASE_URL counts as unset (even over a .env file): the embedded server is used.
    result = basewatch("", "checksum", BASEWATCH_DATA_DIR="/dev/null/x")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: cannot start basewatch's own PostgreSQL in /dev/null/x: /dev/null is not a "
        "folder; set BASEWATCH_DATA_DIR to a folder basewatch may write, or DATABASE_URL to a "
        "server\n"
    )


def test_a_database_lost_during_a_command_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def lost(*args: object) -> None:
        cause = psycopg.OperationalError("server closed the connection unexpectedly")
        raise OperationalError("SELECT 1", {}, cause)

    monkeypatch.setattr("app.cli.data.open_sessionmaker", lost)
    result = CliRunner().invoke(main, ["checksum"])
    assert result.exit_code == 1
    assert (
        result.output == "Error: the database failed: server closed the connection unexpectedly\n"
    )


@pytest.mark.parametrize(
    ("option", "refused"),
    [
        (["--port", "65537"], "Invalid value for '--port': 65537 is not in the range 1<=x<=65535"),
        (["--port", "0"], "Invalid value for '--port': 0 is not in the range 1<=x<=65535"),
        (["--workers", "0"], "Invalid value for '--workers': 0 is not in the range x>=1"),
    ],
)
def test_serve_refuses_a_port_or_workers_out_of_range(option: list[str], refused: str) -> None:
    # Refused before the database is asked for: this one is unreachable.
    result = basewatch(_unreachable_url(), "serve", *option)
    assert result.returncode == 2 and refused in result.stderr, result.stderr


def test_load_refuses_a_folder_without_json_files(fresh_database_url: str, tmp_path: Path) -> None:
    (tmp_path / "only-a-subfolder").mkdir()
    (tmp_path / "notes.txt").write_text("not an article", encoding="utf-8")
    result = basewatch(fresh_database_url, "load", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"Error: no .json files in {tmp_path}\n"
    assert result.stdout == ""


def test_a_file_named_twice_loads_once(fresh_database_url: str, tmp_path: Path) -> None:
    path = write_json(tmp_path / "one.json", article_doc())
    result = basewatch(fresh_database_url, "load", str(tmp_path), str(path))
    assert result.returncode == 0, result.stderr
    assert "articles: 1 added, 0 updated, 0 unchanged" in result.stdout
    assert "files refused: 0" in result.stdout


def test_a_symlink_loop_is_refused_by_name_and_the_rest_loads(
    fresh_database_url: str, tmp_path: Path
) -> None:
    write_json(tmp_path / "good.json", article_doc())
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    result = basewatch(fresh_database_url, "load", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"{loop}: Too many levels of symbolic links\n"
    assert "articles: 1 added, 0 updated, 0 unchanged" in result.stdout


def test_ctrl_c_ends_a_command_in_one_line_with_status_130(fresh_database_url: str) -> None:
    """The password is awaited on a pipe that stays open: Ctrl-C then stops `users add`, which
    stores nothing."""
    env = {**os.environ, "DATABASE_URL": fresh_database_url}
    command = [sys.executable, "-m", "app.cli", "users", "add", "ana"]
    with subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    ) as process:
        _wait_until_reading_a_pipe(process.pid)
        process.send_signal(signal.SIGINT)
        _, error = process.communicate(timeout=30)
    assert process.returncode == 130, error
    assert error.strip() == (
        "interrupted: the work under way was not stored; what finished before stays"
    )
    with psycopg.connect(fresh_database_url.replace("+psycopg", "")) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)


def _interruptible() -> None:
    """Ctrl-C's default action, as a command run from a terminal has it. A shell starts its
    background jobs with SIGINT ignored, and the tests' children inherit that when the suite
    runs as one (the command then read an empty password and failed with status 1)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_reading_a_pipe(pid: int) -> None:
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + 60
    while "pipe_read" not in wchan.read_text():
        assert time.monotonic() < deadline, "the command never waited for its password"
        time.sleep(0.05)


@pytest.mark.parametrize(
    "secret_key", [None, "short-but-not-the-default"], ids=["default key", "short key"]
)
def test_serve_in_production_refuses_a_weak_secret_key_in_one_line(secret_key: str | None) -> None:
    # Refused before the database is asked for (this one is unreachable), let alone migrated.
    keys = {"SECRET_KEY": secret_key} if secret_key else {}
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"],
        capture_output=True,
        text=True,
        env=env | {"DATABASE_URL": _unreachable_url(), "BASEWATCH_ENV": "production"} | keys,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Error: SECRET_KEY must be a random value of at least 32 characters when "
        "BASEWATCH_ENV=production (e.g. python3 -c "
        "'import secrets; print(secrets.token_urlsafe(32))')\n"
    )


def test_serve_refuses_a_read_replica_that_does_not_answer(fresh_database_url: str) -> None:
    # Else the server would start, and answer every public page with a 503.
    try:
        result = basewatch(
            fresh_database_url, "serve", "--port", "8209", DATABASE_READ_URL=_unreachable_url()
        )
    except subprocess.TimeoutExpired:
        pytest.fail("basewatch serve started with a replica that does not answer")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: DATABASE_READ_URL: cannot reach the database at ")
    assert result.stderr.endswith(": connection refused\n") and "s3cret" not in result.stderr


@pytest.mark.parametrize(
    ("setting", "value", "refused"),
    [
        ("BASEWATCH_QUERY_TIMEOUT_MS", "-1", "input should be greater than 0"),
        ("BASEWATCH_QUERY_TIMEOUT_MS", "2147483648", "input should be less than or equal to"),
        ("BASEWATCH_MAX_REQUEST_BYTES", "0", "input should be greater than 0"),
        ("BASEWATCH_MAX_ARTICLE_BYTES", "-5", "input should be greater than 0"),
    ],
)
def test_a_limit_out_of_range_is_refused_in_one_line(
    setting: str, value: str, refused: str
) -> None:
    """Accepted, each would start a server that answers every page 503, or every form 413, or a
    loader that refuses every file."""
    result = basewatch(_unreachable_url(), "serve", **{setting: value})
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {setting}: {refused}"), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_password_too_short_is_refused_before_it_is_asked_again(
    fresh_database_url: str,
) -> None:
    """At a terminal the password is typed twice: a short one is refused at once."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "DATABASE_URL": fresh_database_url}
    command = [sys.executable, "-m", "app.cli", "users", "add", "ana"]
    with subprocess.Popen(
        command, env=env, stdin=terminal, stdout=terminal, stderr=terminal
    ) as process:
        os.close(terminal)
        try:  # a prompt that never comes must not leave the command waiting for ever
            seen = _read_until(controller, "Password: ")
            os.write(controller, b"short\n")
            seen += _read_until(controller, "Password: ")
            os.write(controller, b"a-long-enough-password\n")
            _read_until(controller, "Repeat for confirmation: ")
            os.write(controller, b"a-long-enough-password\n")
            seen += _read_until(controller, "added: ana (editor)")
            assert process.wait(30) == 0
        finally:
            process.kill()
            os.close(controller)
    assert "use at least 12 characters" in seen


def _read_until(fd: int, wanted: str, seconds: float = 60) -> str:
    """What the terminal shows until `wanted` appears."""
    seen, deadline = "", time.monotonic() + seconds
    while wanted not in seen:
        assert time.monotonic() < deadline, f"never saw {wanted!r} in {seen!r}"
        if select.select([fd], [], [], 1)[0]:
            seen += os.read(fd, 1024).decode(errors="replace")
    return seen


@pytest.mark.parametrize(
    "broken",
    ["no-article", "no-speaker", "no-such-day"],
    ids=["no article", "claim without speaker", "stated_on 2025-02-30"],
)
def test_eval_names_a_malformed_gold_file_and_its_field(tmp_path: Path, broken: str) -> None:
    """Checked as `load` checks it: the file and the field in one line, not a traceback."""
    gold = json.loads((SEEDS / "gold" / "gold-aljazeera-2024-12-13-bases-fate.json").read_text())
    if broken == "no-article":
        del gold["article"]
    elif broken == "no-speaker":
        del gold["claims"][0]["speaker"]
    else:
        gold["claims"][0]["stated_on"] = "2025-02-30"
    folder = tmp_path / "gold"
    folder.mkdir()
    path = write_json(folder / "a.json", gold)
    result = basewatch(_unreachable_url(), "eval", str(folder))  # offline: no database asked
    assert result.returncode == 1
    field = {
        "no-article": "article: is missing",
        "no-speaker": "claims[0].speaker: is missing",
        "no-such-day": "claims[0].stated_on: '2025-02-30' is not a valid date (YYYY-MM-DD)",
    }[broken]
    assert result.stderr == f"Error: {path}: {field}\n"


def test_extract_reads_a_saved_page_in_windows_1256(tmp_path: Path) -> None:
    """As the import form does: Arabic sites still save pages in their old encoding."""
    page = tmp_path / "page.html"
    page.write_bytes(
        (
            '<!DOCTYPE html><html lang="ar"><head><meta charset="windows-1256">'
            "<title>بيسكوف: القوات الروسية باقية</title></head>"
            f"<body><nav>الرئيسية</nav><article><p>{TEXT}</p></article></body></html>"
        ).encode("cp1256")
    )
    result = basewatch(_unreachable_url(), "extract", str(page))
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)["article"]
    assert "القوات الروسية باقية في قاعدتي حميميم" in article["text"]


def test_extract_refuses_a_publication_date_that_load_would_refuse(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = basewatch(_unreachable_url(), "extract", str(article), "--published", "1850-01-01")
    assert result.returncode == 2
    assert (
        "Error: Invalid value for '--published': 1850-01-01 is before 1900: check the year\n"
    ) in result.stderr


def test_extract_leaves_out_a_date_found_in_the_future_that_load_would_refuse(
    tmp_path: Path,
) -> None:
    """The text's own date is a guess: left empty and said, not written for `load` to refuse."""
    article = tmp_path / "a.txt"
    article.write_text(f"2099-05-01\n{TEXT}", encoding="utf-8")
    result = basewatch(_unreachable_url(), "extract", str(article))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "warning: publication date left empty: 2099-05-01 is in the future "
        "(give it with --published)\n"
    )
    document = parse_document(result.stdout.encode(), "extracted")
    assert isinstance(document, ArticleDocument) and document.article.published_on is None


def test_extract_warns_of_a_document_too_large_for_load_to_take(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """A long text's document is printed whole, with a warning that `load` will refuse it at
    the limit it applies, rather than found refused later."""
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    limit = {"BASEWATCH_MAX_ARTICLE_BYTES": "3000"}
    result = basewatch(
        fresh_database_url, "extract", str(article), "--published", "2025-02-07", **limit
    )
    assert result.returncode == 0, result.stderr
    size = len(result.stdout.encode())
    assert result.stderr == (
        f"warning: the document is {size:,} bytes, over the 3,000-byte limit that"
        " `basewatch load` applies (BASEWATCH_MAX_ARTICLE_BYTES): raise it to load this one\n"
    )
    (tmp_path / "a.json").write_text(result.stdout, encoding="utf-8")
    loaded = basewatch(fresh_database_url, "load", str(tmp_path / "a.json"), **limit)
    assert f"file is {size:,} bytes, over the 3,000-byte limit" in loaded.stdout + loaded.stderr
    roomier = {"BASEWATCH_MAX_ARTICLE_BYTES": str(size)}
    assert (
        basewatch(
            fresh_database_url, "extract", str(article), "--published", "2025-02-07", **roomier
        ).stderr
        == ""
    )


def test_what_extract_prints_of_a_text_with_nul_loads(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """NUL, which PostgreSQL cannot store, is taken out as the import form takes it out."""
    article = tmp_path / "a.txt"
    article.write_text(TEXT.replace("الخميس", "الخم\x00يس"), encoding="utf-8")
    extracted = basewatch(fresh_database_url, "extract", str(article), "--published", "2025-02-07")
    assert extracted.returncode == 0, extracted.stderr
    assert "\\u0000" not in extracted.stdout
    (tmp_path / "a.json").write_text(extracted.stdout, encoding="utf-8")
    loaded = basewatch(fresh_database_url, "load", str(tmp_path / "a.json"))
    assert loaded.returncode == 0, loaded.stderr
    assert "articles: 1 added" in loaded.stdout


@pytest.mark.parametrize("command", [["upgrade", "nonexistent"], ["downgrade", "zzz"]])
def test_db_names_a_revision_it_cannot_find_in_one_line(
    fresh_database_url: str, command: list[str]
) -> None:
    result = basewatch(fresh_database_url, "db", *command)
    assert result.returncode == 1
    assert result.stderr.endswith(f"Error: Can't locate revision identified by '{command[1]}'\n"), (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_export_to_a_folder_that_cannot_be_made_is_one_line() -> None:
    """Said before the database is asked (this one is unreachable)."""
    result = basewatch(_unreachable_url(), "export", "--all", "--out", "/proc/basewatch-backup")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: /proc/basewatch-backup: No such file or directory; nothing was exported\n"
    )


def test_an_export_that_fills_the_disk_leaves_no_part_of_a_backup(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """A folder holding part of a backup would restore part of the archive without a word."""
    small = write_json(tmp_path / "small.json", article_doc())
    big = write_json(
        tmp_path / "big.json", article_doc(key="test-big", text=TEXT + " كلمة" * 20_000)
    )
    assert basewatch(fresh_database_url, "load", str(small), str(big)).returncode == 0
    out = tmp_path / "backup"
    result = _basewatch_with_file_size_limit(
        fresh_database_url, 50_000, "export", "--all", "--out", str(out)
    )
    assert result.returncode == 1
    assert result.stderr == f"Error: {out}/test-big.json: File too large; nothing was exported\n"
    assert not out.exists()


def test_an_article_the_format_cannot_hold_is_named_and_nothing_is_exported(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Two claims left on the same words (editors could do it before it was refused): the
    backup says which article to correct, in one line, and writes nothing."""
    assert (
        basewatch(
            fresh_database_url, "load", str(write_json(tmp_path / "a.json", article_doc()))
        ).returncode
        == 0
    )
    run_sql(
        fresh_database_url,
        "UPDATE claims c SET span_start = f.span_start, span_end = f.span_end,"
        " quote = f.quote FROM claims f WHERE f.id = (SELECT min(id) FROM claims)"
        " AND c.id = (SELECT min(id) + 1 FROM claims)",
    )
    out = tmp_path / "backup"
    result = basewatch(fresh_database_url, "export", "--all", "--out", str(out))
    assert result.returncode == 1
    assert result.stderr == (
        "Error: article test-2025-02-07-peskov cannot be exported: claims[1]: the same words by"
        " the same speaker as claims[0]; nothing was exported\n"
    )
    assert not out.exists()


def test_a_registry_the_format_cannot_hold_is_named_and_nothing_is_exported(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An alias that another actor goes by, stored before the loader and the editors' form
    both refused it: the backup ended in a pydantic traceback; it says which name, in one line."""
    loaded = basewatch(fresh_database_url, "load", str(SEEDS / "actors.json"))
    assert loaded.returncode == 0, loaded.stderr
    run_sql(
        fresh_database_url,
        "INSERT INTO actor_aliases (actor_id, name, key) SELECT id, 'Dmitry Peskov',"
        " 'dmitry peskov' FROM actors WHERE slug = 'vladimir-putin'",
    )
    out = tmp_path / "backup"
    result = basewatch(fresh_database_url, "export", "--all", "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the actor registry cannot be exported: actors[")
    assert result.stderr.endswith(
        "'Dmitry Peskov' already names 'dmitry-peskov'; nothing was exported\n"
    )
    assert not out.exists()


def _basewatch_with_file_size_limit(
    url: str, max_bytes: int, *args: str
) -> subprocess.CompletedProcess[str]:
    """`basewatch` as on a disk that takes no file over `max_bytes` (Python ignores SIGXFSZ,
    so the write fails as on a full disk, with an OSError)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        timeout=120,
        preexec_fn=limit,
    )
