"""Twenty editors save the same claim at the same moment, against a real server and database: for
each version exactly one save wins, the others get 409, and the history holds exactly the
winners' changes."""

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.db.engine import make_engine, make_sessionmaker
from app.ingest.batch import load_paths
from app.main import create_app
from app.models import Actor, Claim, Revision
from app.models.vocab import Role
from app.services import auth
from app.settings import Settings
from app.web.security import SESSION_COOKIE
from tests.factories import article_doc, write_json
from tests.live import serving

CLIENTS = 20
ROUNDS = 3


@pytest.fixture
def server(fresh_database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    engine = make_engine(fresh_database_url)
    maker = make_sessionmaker(engine)
    load_paths(maker, [write_json(tmp_path / "a.json", article_doc())], max_bytes=10**7)
    with serving(create_app(Settings(DATABASE_URL=fresh_database_url))) as base:
        yield base, fresh_database_url
    engine.dispose()


def editor_clients(base: str, url: str, count: int = CLIENTS) -> list[httpx.Client]:
    """One signed-in client per editor, each with its own account, session and CSRF token."""
    engine = make_engine(url)
    clients = []
    with make_sessionmaker(engine).begin() as session:
        tokens = [
            auth.start_session(session, auth.add_user(session, f"editor{i}", Role.EDITOR, "x" * 12))
            for i in range(count)
        ]
    engine.dispose()
    for token in tokens:
        client = httpx.Client(base_url=base, cookies={SESSION_COOKIE: token}, timeout=60)
        csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/login").text)
        assert csrf is not None
        client.headers.update({"X-CSRF-Token": csrf.group(1), "HX-Request": "true"})
        clients.append(client)
    return clients


def test_one_save_wins_per_version(server: tuple[str, str]) -> None:
    base, url = server
    clients = editor_clients(base, url)
    engine = make_engine(url)
    maker = make_sessionmaker(engine)
    with maker() as session:
        claim_id = session.scalars(select(Claim.id).order_by(Claim.id)).first()
    winners: list[str] = []
    for round_ in range(ROUNDS):
        statuses = save_all_at_once(clients, claim_id, version=round_ + 1, text=f"r{round_}")
        assert sorted(statuses) == [200] + [409] * (CLIENTS - 1), statuses
        winners.append(f"r{round_} c{statuses.index(200)}")
    with maker() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None and claim.version == ROUNDS + 1
        history = session.execute(
            select(Revision.version, Revision.field, Revision.new_value)
            .where(Revision.claim_id == claim_id, Revision.source == "editor")
            .order_by(Revision.id)
        ).all()
    assert [tuple(row) for row in history] == [
        (n + 2, "summary_en", winner) for n, winner in enumerate(winners)
    ]
    assert claim.summary_en == winners[-1]
    for client in clients:
        client.close()
    engine.dispose()


def save_all_at_once(
    clients: list[httpx.Client], claim_id: int, *, version: int, text: str
) -> list[int]:
    """Every client saves `version` at the same moment; their statuses, by client."""
    answers = at_once(
        clients,
        lambda i, client: client.post(
            f"/claims/{claim_id}/edit",
            data={"version": str(version), "fields": "summary_en", "summary_en": f"{text} c{i}"},
            headers={"HX-Target": f"editor-{claim_id}"},
        ),
    )
    return [answer.status_code for answer in answers]


def at_once(
    clients: list[httpx.Client], send: Callable[[int, httpx.Client], httpx.Response]
) -> list[httpx.Response]:
    """Every client sends its request (`send(i, client)`) at the same moment; the answers, by
    client."""
    start = threading.Barrier(len(clients))
    answers: list[httpx.Response | None] = [None] * len(clients)

    def run(i: int) -> None:
        start.wait()
        answers[i] = send(i, clients[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(answers), "a request did not finish"
    return [answer for answer in answers if answer]


def test_one_actor_save_wins_of_those_made_from_one_form(server: tuple[str, str]) -> None:
    """Twenty editors opened Peskov's form and save it at the same moment: one save lands; each
    of the others is told someone saved it first, instead of silently replacing the one before."""
    base, url = server
    clients = editor_clients(base, url)
    page = clients[0].get("/actors/dmitry-peskov/edit").text
    seen = re.search(r'name="seen" value="([^"]+)"', page)
    assert seen is not None
    answers = at_once(
        clients,
        lambda i, client: client.post(
            "/actors/dmitry-peskov/edit",
            data={"seen": seen.group(1), "name_ar": "ديمتري بيسكوف", "name_en": "Dmitry Peskov",
                  "kind": "person", "affiliation": "RU", "role": f"role c{i}"},
        ),
    )  # fmt: skip
    statuses = [answer.status_code for answer in answers]
    assert sorted(statuses) == [303] + [409] * (CLIENTS - 1), statuses
    assert all(
        "someone saved this actor since you opened it" in a.text
        for a in answers
        if a.status_code == 409
    )
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        role = session.scalar(select(Actor.role).where(Actor.slug == "dmitry-peskov"))
    engine.dispose()
    assert role == f"role c{statuses.index(303)}"
    for client in clients:
        client.close()


@pytest.mark.parametrize(
    "merges",
    [
        [("murhaf-abu-qasra", "dmitry-peskov"), ("dmitry-peskov", "murhaf-abu-qasra")],
        [("murhaf-abu-qasra", "dmitry-peskov"), ("murhaf-abu-qasra", "maria-zakharova")],
    ],
    ids=["into each other", "one into two others"],
)
def test_two_merges_at_once_of_one_actor_one_is_done_the_other_told_why_not(
    server: tuple[str, str], merges: list[tuple[str, str]]
) -> None:
    """Two editors merge at the same moment, each of two actors into the other, or one actor into
    two others: one merge is done; the other waits for it and is refused, since an actor it
    merges is gone; neither deadlocks into an answer that the database is unavailable."""
    base, url = server
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        session.add(
            Actor(slug="maria-zakharova", kind="person", name_ar="ماريا زاخاروفا",
                  name_en="Maria Zakharova", aliases=[])
        )  # fmt: skip
    engine.dispose()
    clients = editor_clients(base, url, 2)
    answers = at_once(
        clients,
        lambda i, client: client.post(f"/actors/{merges[i][0]}/merge", data={"into": merges[i][1]}),
    )
    statuses = [answer.status_code for answer in answers]
    assert sorted(statuses) == [303, 422], statuses
    refused = answers[statuses.index(422)].text
    assert "into another actor meanwhile: nothing was merged" in refused
    for client in clients:
        client.close()
