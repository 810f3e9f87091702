"""Signing in and out, the limit on guessing, CSRF, cookies and the headers on every page."""

import statistics
import threading
import time
from datetime import timedelta

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_engine, make_sessionmaker
from app.main import create_app
from app.models import LoginSession, User
from app.models.vocab import Role
from app.services import auth
from app.settings import Settings
from app.web.security import SESSION_COOKIE
from tests.editors import PASSWORD, basewatch, csrf_of, make_user, sign_in
from tests.live import serving


def post_login(
    client: TestClient, username: str, password: str, *, csrf: str | None = None, next: str = ""
) -> Response:
    data = {"username": username, "password": password, "next": next}
    if csrf is not None:
        data["csrf_token"] = csrf
    return client.post("/login", data=data, follow_redirects=False)


class TestSignIn:
    def test_signs_in_and_returns_to_the_page_asked_for(
        self, client: TestClient, session: Session
    ) -> None:
        make_user(session, "layla")
        response = post_login(client, "Layla", PASSWORD, csrf=csrf_of(client), next="/review")
        assert response.status_code == 303
        assert response.headers["location"] == "/review"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=")
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        page = BeautifulSoup(client.get("/review").text, "html.parser")
        assert "layla" in page.select_one("nav.account").text
        assert page.body.has_attr("hx-headers")

    def test_cookie_is_secure_over_https(self, client: TestClient, session: Session) -> None:
        make_user(session, "layla")
        client.base_url = client.base_url.copy_with(scheme="https")
        response = post_login(client, "layla", PASSWORD, csrf=csrf_of(client))
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]
        assert response.headers["strict-transport-security"].startswith("max-age=")

    @pytest.mark.parametrize(
        "target",
        # The last two: a bracketed host that is no IPv6 address, which urlsplit refuses.
        ["//evil.example/", "https://evil.example/", "/\\evil", "http://[x/", "//[x/"],
    )
    def test_never_returns_to_another_site(
        self, client: TestClient, session: Session, target: str
    ) -> None:
        make_user(session, "layla")
        assert client.get("/login", params={"next": target}).status_code == 200
        response = post_login(client, "layla", PASSWORD, csrf=csrf_of(client), next=target)
        assert response.headers["location"] == "/review"

    def test_refuses_without_the_csrf_token(self, client: TestClient, session: Session) -> None:
        make_user(session, "layla")
        csrf_of(client)  # the browser has its pre-session cookie, but sends no token
        response = post_login(client, "layla", PASSWORD)
        assert response.status_code == 403
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
        forged = post_login(client, "layla", PASSWORD, csrf="0" * 64)
        assert forged.status_code == 403

    def test_a_form_posted_after_the_session_ended_returns_to_its_page(
        self, client: TestClient, session: Session
    ) -> None:
        # A plain form (the claim and actor merges) posts to an address that answers no GET:
        # signing in must lead back to the page that held the form, not to a 405.
        _, csrf = sign_in(client, session, "layla")
        client.post("/logout", data={"csrf_token": csrf})
        client.cookies.set(SESSION_COOKIE, "ended")  # the tab still sends its old cookie
        page = "/actors/dmitry-peskov/edit"
        refused = client.post(
            "/actors/dmitry-peskov/merge",
            data={"csrf_token": csrf, "into": "x"},
            headers={"Referer": f"http://testserver{page}"},
        )
        assert refused.status_code == 401
        link = BeautifulSoup(refused.text, "html.parser").select_one("#refused a")["href"]
        assert link == f"/login?next={page}"
        # Another site's page is never returned to.
        elsewhere = client.post(
            "/actors/dmitry-peskov/merge",
            data={"into": "x"},
            headers={"Referer": "https://evil.example/actors/dmitry-peskov/edit"},
        )
        assert "evil.example" not in elsewhere.text
        garbled = client.post("/actors/dmitry-peskov/merge", headers={"Referer": "http://[x/"})
        assert garbled.status_code == 401
        login = BeautifulSoup(client.get(link).text, "html.parser")
        target = login.select_one("input[name=next]")["value"]
        response = post_login(client, "layla", PASSWORD, csrf=csrf_of(client), next=target)
        assert response.headers["location"] == page

    def test_unknown_name_and_wrong_password_look_alike(
        self, client: TestClient, session: Session
    ) -> None:
        make_user(session, "layla")
        csrf = csrf_of(client)

        def attempt(name: str) -> tuple[int, str, float]:
            started = time.perf_counter()
            response = post_login(client, name, "not the password", csrf=csrf)
            elapsed = time.perf_counter() - started
            error = BeautifulSoup(response.text, "html.parser").select_one(".form-error")
            return response.status_code, error.text, elapsed

        wrong = [attempt("layla") for _ in range(3)]
        unknown = [attempt("nobody") for _ in range(3)]
        assert {(s, m) for s, m, _ in wrong} == {(s, m) for s, m, _ in unknown}
        assert wrong[0][0] == 401
        # Both verify an argon2 hash: neither answers markedly faster.
        fast, slow = sorted(
            [statistics.median(t for *_, t in wrong), statistics.median(t for *_, t in unknown)]
        )
        assert fast > slow / 3

    def test_disabled_accounts_cannot_sign_in_and_are_signed_out(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, session, "layla")
        assert client.get("/review", follow_redirects=False).status_code == 200
        auth.set_disabled(session, auth.find_user(session, "layla"), True)
        session.commit()
        assert client.get("/review", follow_redirects=False).status_code == 303
        response = post_login(client, "layla", PASSWORD, csrf=csrf_of(client))
        assert response.status_code == 401


class TestSignOut:
    def test_ends_the_session_for_good(self, client: TestClient, session: Session) -> None:
        _, csrf = sign_in(client, session)
        token = client.cookies[SESSION_COOKIE]
        response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303
        assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
        client.cookies.set(SESSION_COOKIE, token)  # a stolen copy of the cookie is worthless now
        assert client.get("/review", follow_redirects=False).status_code == 303

    def test_sessions_expire(self, session: Session) -> None:
        user = make_user(session)
        token = auth.start_session(session, user)
        assert auth.user_for_token(session, token) == user
        later = auth.now() + auth.SESSION_LIFETIME + timedelta(seconds=1)
        assert auth.user_for_token(session, token, at=later) is None


class TestRateLimit:
    def test_an_account_locks_after_repeated_failures_even_for_the_right_password(
        self, client: TestClient, session: Session
    ) -> None:
        make_user(session, "layla")
        csrf = csrf_of(client)
        for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
            assert post_login(client, "layla", "guess", csrf=csrf).status_code == 401
        refused = post_login(client, "layla", PASSWORD, csrf=csrf)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        # Unknown names lock the same way, so a lock-out tells nothing about which names exist.
        for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
            post_login(client, "nobody", "guess", csrf=csrf)
        assert post_login(client, "nobody", "guess", csrf=csrf).status_code == 429

    def test_the_lock_lifts_after_the_window(self, session: Session) -> None:
        make_user(session, "layla")
        start = auth.now()
        for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
            with pytest.raises(auth.SignInRefused):
                auth.sign_in(session, "layla", "guess", address="10.0.0.1", at=start)
        with pytest.raises(auth.TooManyAttempts):
            auth.sign_in(session, "layla", PASSWORD, address="10.0.0.1", at=start)
        later = start + auth.ATTEMPT_WINDOW + timedelta(seconds=1)
        assert auth.sign_in(session, "layla", PASSWORD, address="10.0.0.1", at=later).token

    def test_an_address_locks_across_account_names(self, session: Session) -> None:
        start = auth.now()
        for i in range(auth.MAX_FAILURES_PER_ADDRESS):
            with pytest.raises(auth.SignInRefused):
                auth.sign_in(session, f"name{i}", "guess", address="10.0.0.2", at=start)
        with pytest.raises(auth.TooManyAttempts):
            auth.sign_in(session, "fresh-name", "guess", address="10.0.0.2", at=start)
        # Another address is not held back.
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(session, "fresh-name", "guess", address="10.0.0.3", at=start)


class TestHeaders:
    @pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
    def test_every_page_carries_the_security_headers(self, client: TestClient, path: str) -> None:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["x-frame-options"] == "DENY"

    def test_pages_have_no_inline_script_or_style(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, session)
        for path in ["/", "/login", "/review"]:
            page = BeautifulSoup(client.get(path).text, "html.parser")
            assert all(script.get("src") for script in page.select("script")), path
            assert page.select("[style]") == [] and page.select("style") == [], path

    def test_signed_in_pages_are_not_cached(self, client: TestClient, session: Session) -> None:
        assert "no-store" not in client.get("/").headers.get("cache-control", "")
        sign_in(client, session)
        assert "no-store" in client.get("/").headers["cache-control"]


def test_users_cli_creates_lists_and_disables(fresh_database_url: str) -> None:
    added = basewatch(
        fresh_database_url, PASSWORD + "\n", "users", "add", "Layla", "--role", "admin"
    )
    assert added.returncode == 0, added.stderr
    assert "added: layla (admin)" in added.stdout
    short = basewatch(fresh_database_url, "short\n", "users", "add", "omar")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    again = basewatch(fresh_database_url, PASSWORD + "\n", "users", "add", "layla")
    assert again.returncode == 1 and "'layla' is taken" in again.stderr
    assert basewatch(fresh_database_url, "", "users", "disable", "layla").returncode == 0
    listed = basewatch(fresh_database_url, "", "users", "list")
    assert listed.stdout.splitlines() == ["layla\tadmin\tdisabled"]
    changed = basewatch(
        fresh_database_url, "another long password\n", "users", "set-password", "layla"
    )
    assert changed.returncode == 0, changed.stderr


def test_only_the_hash_of_a_session_token_is_stored(session: Session) -> None:
    user = make_user(session, role=Role.ADMIN)
    token = auth.start_session(session, user)
    stored = session.scalars(select(LoginSession.id)).all()
    assert token not in stored and len(stored) == 1
    assert session.scalar(select(func.count()).select_from(LoginSession)) == 1


class TestAccountsPage:
    def test_a_plain_form_disables_and_returns_to_the_list(
        self, client: TestClient, session: Session
    ) -> None:
        """Without htmx the browser posts the form itself: it must land back on /users (303), so
        that reloading the page does not post the change again."""
        _, csrf = sign_in(client, session, "admin", Role.ADMIN)
        layla = make_user(session, "layla")
        response = client.post(
            f"/users/{layla.id}/disabled",
            data={"disabled": "true", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/users"
        assert auth.find_user(session, "layla").disabled

    def test_htmx_gets_the_table_back(self, client: TestClient, session: Session) -> None:
        _, csrf = sign_in(client, session, "admin", Role.ADMIN)
        layla = make_user(session, "layla")
        response = client.post(
            f"/users/{layla.id}/disabled",
            data={"disabled": "true"},
            headers={"X-CSRF-Token": csrf, "HX-Request": "true", "HX-Target": "users"},
        )
        assert response.status_code == 200
        table = BeautifulSoup(response.text, "html.parser")
        assert table.select_one("table#users") is not None and table.select_one("h1") is None

    def test_an_account_without_a_password_cannot_be_enabled(
        self, client: TestClient, session: Session
    ) -> None:
        """A restored account (disabled, no password) could not sign in if enabled: the page says
        what it needs instead of offering Enable, and a forged request is refused."""
        _, csrf = sign_in(client, session, "admin", Role.ADMIN)
        restored = User(username="layla", role=Role.EDITOR.value, disabled=True)
        session.add(restored)
        session.commit()
        page = BeautifulSoup(client.get("/users").text, "html.parser")
        row = next(tr for tr in page.select("#users tbody tr") if "layla" in tr.text)
        assert row.select("button") == [] and "basewatch users set-password layla" in row.text
        refused = client.post(
            f"/users/{restored.id}/disabled",
            data={"disabled": "false", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert refused.status_code == 422 and "no password yet" in refused.text
        assert auth.find_user(session, "layla").disabled


def test_two_administrators_disabling_each_other_at_once_leave_one_who_may_sign_in(
    fresh_database_url: str,
) -> None:
    """Each of the last two administrators disables the other at the same moment: one of them
    must stay, or no one is left who may manage the accounts."""
    engine = make_engine(fresh_database_url)
    maker = make_sessionmaker(engine)
    with maker.begin() as session:
        admins = [auth.add_user(session, name, Role.ADMIN, PASSWORD) for name in ("amira", "omar")]
        tokens = [auth.start_session(session, admin) for admin in admins]
        ids = [admin.id for admin in admins]
    with serving(create_app(Settings(DATABASE_URL=fresh_database_url))) as base:
        clients = []
        for token in tokens:
            client = httpx.Client(base_url=base, cookies={SESSION_COOKIE: token}, timeout=60)
            clients.append((client, csrf_of(client, "/users")))
        statuses: list[int] = []
        with maker() as holder:
            # Both requests pass their checks, then wait on the rows this transaction holds.
            holder.execute(select(User).where(User.id.in_(ids)).with_for_update())
            threads = [
                threading.Thread(
                    target=lambda client=client, csrf=csrf, other=other: statuses.append(
                        client.post(
                            f"/users/{other}/disabled",
                            data={"csrf_token": csrf, "disabled": "true"},
                        ).status_code
                    )
                )
                for (client, csrf), other in zip(clients, reversed(ids), strict=True)
            ]
            for thread in threads:
                thread.start()
            waiting_for_locks(maker, 2)
            holder.rollback()
        for thread in threads:
            thread.join(60)
    with maker() as session:
        enabled = session.scalars(select(User.username).where(User.disabled.is_(False))).all()
    engine.dispose()
    assert len(enabled) == 1, (enabled, statuses)
    assert sorted(statuses) == [303, 401], statuses  # the other is told to sign in


def waiting_for_locks(maker: sessionmaker[Session], count: int) -> None:
    """Return once `count` other connections to this database wait for a lock."""
    deadline = time.monotonic() + 30
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    while time.monotonic() < deadline:
        with maker() as session:
            if session.scalar(query) >= count:
                return
        time.sleep(0.05)
    raise AssertionError(f"{count} requests never waited for a lock")
