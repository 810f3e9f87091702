"""Accounts and sign-in: argon2 password hashes, sessions kept in the database, and a limit on
guessing that holds across app processes because it is counted in the database too."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from app.errors import FieldsInvalid, Invalid
from app.messages import N_, Message
from app.models import LoginAttempt, LoginSession, User
from app.models.user import account_name, username_problem
from app.models.vocab import Role

SESSION_LIFETIME = timedelta(hours=12)
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Checked against when the account does not exist, so that an unknown name takes as long to
# refuse as a wrong password (no way to learn which names exist by timing).
_UNKNOWN_USER_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInRefused(Exception):
    """Wrong name or password, or a disabled account: one answer for all three."""


class TooManyAttempts(Exception):
    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(f"too many sign-in attempts; try again in {retry_after}")
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    """Goes in the cookie; the database keeps only its hash."""


def now() -> datetime:
    return datetime.now(UTC)


def password_problem(password: str) -> Message | None:
    """Why `password` cannot be an account's, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("password: use at least %(length)d characters", length=MIN_PASSWORD_LENGTH)
    return None


def hash_password(password: str) -> str:
    if problem := password_problem(password):
        raise Invalid(problem)
    return _hasher.hash(password)


def add_user(session: Session, username: str, role: Role, password: str) -> User:
    if problem := username_problem(username):
        raise FieldsInvalid({"username": problem})
    name = account_name(username)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Invalid(N_("username: %(name)r is taken", name=name))
    user = User(username=name, role=role.value, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == account_name(username)))
    if user is None:
        raise Invalid(N_("username: no account named %(name)r", name=username))
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = find_user(session, username)
    user.password_hash = hash_password(password)
    end_all_sessions(session, user)
    return user


def set_disabled(session: Session, user: User, disabled: bool) -> None:
    """Stop an account signing in (its sessions end), or let it again. One without a password
    (restored from a backup) could not, so it is refused until it has one, not listed as active."""
    if not disabled and user.password_hash is None:
        raise Invalid(
            N_(
                "username: %(name)r has no password yet: give it one with basewatch users set-password first",
                name=user.username,
            )
        )
    user.disabled = disabled
    if disabled:
        end_all_sessions(session, user)
    session.flush()


def end_all_sessions(session: Session, user: User) -> None:
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def sign_in(
    session: Session, username: str, password: str, *, address: str, at: datetime | None = None
) -> SignedIn:
    """Check the password and open a session; raise SignInRefused or TooManyAttempts."""
    at = at or now()
    name = account_name(username)[:200]
    # One sign-in per account name at a time, so that parallel guesses cannot all slip under the limit.
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
    _check_limits(session, name, address, at)
    user = session.scalar(select(User).where(User.username == name))
    ok = _verify(user.password_hash if user and user.password_hash else None, password)
    session.add(LoginAttempt(username=name, address=address, at=at, succeeded=ok))
    session.flush()
    if not ok or user is None or user.disabled:
        raise SignInRefused
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return SignedIn(user, start_session(session, user, at=at))


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        matched = _hasher.verify(password_hash or _UNKNOWN_USER_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def _check_limits(session: Session, name: str, address: str, at: datetime) -> None:
    since = at - ATTEMPT_WINDOW
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == name, LoginAttempt.succeeded
        )
    )
    account_since = max(since, last_success) if last_success else since
    failures = [
        (LoginAttempt.username == name, account_since, MAX_FAILURES_PER_ACCOUNT),
        (LoginAttempt.address == address, since, MAX_FAILURES_PER_ADDRESS),
    ]
    for who, start, limit in failures:
        times = list(
            session.scalars(
                select(LoginAttempt.at)
                .where(who, LoginAttempt.at > start, LoginAttempt.succeeded.is_(False))
                .order_by(LoginAttempt.at.desc())
                .limit(limit)
            )
        )
        if len(times) >= limit:
            # The oldest of the last `limit` failures must leave the window first.
            raise TooManyAttempts(times[-1] + ATTEMPT_WINDOW - at)


def start_session(session: Session, user: User, *, at: datetime | None = None) -> str:
    at = at or now()
    session.execute(delete(LoginSession).where(LoginSession.expires_at < at))
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(id=_digest(token), user_id=user.id, expires_at=at + SESSION_LIFETIME))
    session.flush()
    return token


def end_session(session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.id == _digest(token)))


def user_for_token(session: Session, token: str, *, at: datetime | None = None) -> User | None:
    """The enabled user a live session token belongs to, or None."""
    return session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.id == _digest(token),
            LoginSession.expires_at > (at or now()),
            User.disabled.is_(False),
        )
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
