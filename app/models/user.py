import re

from sqlalchemy import Boolean, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, TimestampMixin
from app.messages import N_, Message
from app.models.vocab import Role, sql_in

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


def account_name(typed: str) -> str:
    """The account a typed name means: spaces around it dropped, letters folded to lower case,
    as everyone who signs in, adds or restores an account types it."""
    return typed.strip().casefold()


def username_problem(typed: str) -> Message | None:
    """Why `typed` cannot name an account, or None."""
    if _USERNAME.match(account_name(typed)):
        return None
    return N_(
        "%(name)r must be 2–80 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
        name=typed,
    )


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN ({sql_in(Role)})", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
