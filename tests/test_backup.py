"""Backup and restore: `basewatch export --all` then `basewatch load` into an empty database gives
back the same archive (canonical checksums), claim ids, history and editors' work included.

The 100,000-claim version is `make roundtrip` (bench/roundtrip.py); this one has 300 claims.
"""

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from app.models import Claim, User
from app.services import auth
from bench.generate import write_articles
from bench.roundtrip import basewatch, checksums_of, enrich, round_trip
from tests.editors import basewatch as operator
from tests.factories import TAG_COPIES_DIFFERING, article_doc, write_json

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def target_url(pg_admin_url: str, template_database_url: str) -> Iterator[str]:
    """A second empty database, to restore into."""
    from tests.conftest import _copy_of_template

    yield from _copy_of_template(pg_admin_url, template_database_url)


@pytest.fixture
def source_url(fresh_database_url: str, tmp_path: Path) -> str:
    """30 generated articles of 10 claims each, loaded by the loader, then worked on by editors."""
    engine = make_engine(fresh_database_url)
    maker = make_sessionmaker(engine)
    files = write_articles(tmp_path / "articles", 30, 10)
    report = load_paths(maker, [SEEDS / "actors.json", *files], max_bytes=10**7)
    assert report.refused == []
    with maker.begin() as session:
        counts = enrich(session, share=0.1)
    engine.dispose()
    assert all(counts.values()), counts
    return fresh_database_url


def _maker(url: str) -> sessionmaker[Session]:
    return sessionmaker(create_engine(url), expire_on_commit=False)


def test_a_backup_restores_into_an_empty_database_exactly(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    result = round_trip(source_url, target_url, tmp_path / "backup")
    assert result.identical, result.summary()
    assert result.source["claims"].rows == 300
    assert result.source["history"].rows > 300  # creations and the editors' changes
    assert result.source["statements"].rows and result.source["reviews"].rows
    with _maker(target_url).begin() as session:  # new claims never collide with restored ids
        assert session.scalar(select(func.nextval("claims_id_seq"))) > session.scalar(
            select(func.max(Claim.id))
        )
        assert all(session.scalars(select(User.disabled)))  # no passwords came back
        assert not any(session.scalars(select(User.password_hash)))
        # The claims' copies of their tags are written again, by the triggers on claim_tags.
        assert session.scalar(text("SELECT count(*) FROM claims WHERE tag_ids <> '{}'"))
        assert session.scalar(text(TAG_COPIES_DIFFERING)) == 0


def test_the_backup_holds_no_password_hashes(source_url: str, tmp_path: Path) -> None:
    basewatch(source_url, "export", "--all", "--out", str(tmp_path / "backup"))
    accounts = json.loads((tmp_path / "backup" / "_users.json").read_text())
    assert {u["username"] for u in accounts["users"]} == {"amal", "boris", "carla"}
    assert "argon2" not in "".join(p.read_text() for p in (tmp_path / "backup").glob("*.json"))


def test_an_interrupted_restore_finishes_when_run_again(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup"
    basewatch(source_url, "export", "--all", "--out", str(backup))
    half = tmp_path / "half"
    half.mkdir()
    for path in sorted(backup.glob("*.json"))[:18]:
        shutil.copy(path, half)
    basewatch(target_url, "load", str(half))
    again = basewatch(target_url, "load", str(backup))
    assert "restoring a backup" in again.stdout
    assert checksums_of(target_url) == checksums_of(source_url)


def test_on_a_working_database_claims_match_by_id(source_url: str, tmp_path: Path) -> None:
    """A backup loaded onto a database that holds more than it (so no restore) pairs its claims
    with the stored ones by id: a claim whose span was corrected in the file is updated in place,
    not retired and added again."""
    backup = tmp_path / "backup"
    basewatch(source_url, "export", "--all", "--out", str(backup))
    other = write_articles(tmp_path / "other", 1, 3, seed=8)
    basewatch(source_url, "load", *map(str, other))
    path = sorted(backup.glob("bench-*.json"))[0]
    doc = json.loads(path.read_text())
    claim = next(c for c in doc["claims"] if c["archive"]["origin"] == "loader")
    claim["start"] += 1
    claim["quote"] = doc["article"]["text"][claim["start"] : claim["end"]]
    path.write_text(json.dumps(doc, ensure_ascii=False))
    loaded = basewatch(source_url, "load", str(backup))
    assert "restoring a backup" not in loaded.stdout
    assert "warning: not restoring: the database holds claims these files do not" in loaded.stdout
    assert "articles: 0 added, 1 updated, 29 unchanged" in loaded.stdout
    assert "claims: 0 added, 1 updated, 0 retired" in loaded.stdout
    with _maker(source_url)() as session:
        stored = session.get(Claim, claim["archive"]["id"])
        assert stored is not None and stored.quote == claim["quote"]


def test_a_plain_article_among_a_backup_s_files_is_refused_and_ids_stay(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    """Restored claims keep their ids only if nothing takes those ids first: a plain article
    dropped into the backup's folder is refused, to be loaded after the restore."""
    backup = tmp_path / "backup"
    basewatch(source_url, "export", "--all", "--out", str(backup))
    plain = write_json(tmp_path / "plain.json", article_doc(key="plain-article"))
    report = load_paths(_maker(target_url), [backup, plain], max_bytes=10**7)
    assert report.restoring
    assert report.refused == [f"{plain}: not part of the backup being restored: load it after"]
    assert checksums_of(target_url) == checksums_of(source_url)


def test_an_operator_can_let_a_restored_account_sign_in_again(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    """After a restore every account is disabled, administrators included, so nobody could sign
    in to enable the others at /users: the command line does it, once the account has a password."""
    round_trip(source_url, target_url, tmp_path / "backup")
    listed = operator(target_url, "", "users", "list").stdout.splitlines()
    assert all(line.endswith("\tdisabled, no password") for line in listed), listed
    early = operator(target_url, "", "users", "enable", "amal")
    assert early.returncode == 1
    assert "'amal' has no password yet: give it one with basewatch users set-password" in (
        early.stderr
    )
    password = "a long restored password"
    assert operator(target_url, password + "\n", "users", "set-password", "amal").returncode == 0
    assert "enabled: amal" in operator(target_url, "", "users", "enable", "amal").stdout
    with _maker(target_url).begin() as session:
        assert auth.sign_in(session, "amal", password, address="127.0.0.1").user.username == "amal"


def test_a_restore_without_the_backup_s_registry_or_accounts_says_so(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    """Article files copied without `_actors.json` and `_users.json` still restore, but not
    exactly: the operator is told what is missing and what it costs."""
    backup = tmp_path / "backup"
    basewatch(source_url, "export", "--all", "--out", str(backup))
    for part in ("_actors.json", "_users.json"):
        (backup / part).unlink()
    loaded = basewatch(target_url, "load", str(backup))
    assert "restoring a backup" in loaded.stdout
    assert "warning: restoring without _actors.json: speakers the database lacks" in loaded.stdout
    assert "warning: restoring without _users.json: accounts the history names" in loaded.stdout
    whole = tmp_path / "whole"
    basewatch(source_url, "export", "--all", "--out", str(whole))
    assert "warning" not in basewatch(source_url, "load", str(whole)).stdout


def test_a_backup_taken_while_editors_work_is_the_archive_at_one_moment(
    source_url: str, tmp_path: Path
) -> None:
    """The export reads every file from one snapshot: an editor who adds an actor and gives it a
    claim while the backup is written must not leave a claim whose speaker `_actors.json` lacks."""
    stop, moved = threading.Event(), list[int]()

    def editor_at_work() -> None:
        engine = create_engine(source_url)
        n = 0
        while not stop.is_set() or n == 0:
            n += 1
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "WITH new AS (INSERT INTO actors (slug, kind, name_ar, name_en)"
                        " SELECT s, 'person', s, s FROM CAST(:slug AS text) AS s RETURNING id)"
                        " UPDATE claims SET speaker_id = (SELECT id FROM new)"
                        " WHERE id = (SELECT id FROM claims ORDER BY random() LIMIT 1)"
                    ),
                    {"slug": f"moved-{n}"},
                )
            moved.append(n)
        engine.dispose()

    editor = threading.Thread(target=editor_at_work)
    editor.start()
    try:
        basewatch(source_url, "export", "--all", "--out", str(tmp_path / "backup"))
    finally:
        stop.set()
        editor.join()
    assert moved, "the editor made no change"
    files = tmp_path / "backup"
    actors = {a["slug"] for a in json.loads((files / "_actors.json").read_text())["actors"]}
    speakers = {
        claim["archive"]["speaker"]
        for path in files.glob("bench-*.json")
        for claim in json.loads(path.read_text())["claims"]
    }
    assert speakers - actors == set()


def test_a_backup_s_account_names_follow_the_rule_every_account_name_does(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An account file edited by hand: "Boris" is the account everyone reaches as boris (the
    sign-in and `basewatch users` fold names to lower case), and a name no account may have is
    refused with where it is."""
    users = tmp_path / "_users.json"
    accounts = [{"username": " Boris ", "role": "admin"}]
    users.write_text(json.dumps({"format": "basewatch-users/1", "users": accounts}))
    assert "accounts: 1 added" in basewatch(fresh_database_url, "load", str(users)).stdout
    password = "a long restored password"
    given = operator(fresh_database_url, password + "\n", "users", "set-password", "Boris")
    assert given.returncode == 0, given.stderr
    accounts = [{"username": "layla smith", "role": "editor"}]
    users.write_text(json.dumps({"format": "basewatch-users/1", "users": accounts}))
    refused = operator(fresh_database_url, "", "load", str(users))
    assert refused.returncode == 1
    assert "_users.json: users[0].username: 'layla smith' must be 2–80 of a-z" in refused.stderr
