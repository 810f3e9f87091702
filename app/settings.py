"""One settings object, read from the environment (and a `.env` file) when first asked for."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "development-only-secret-key-change-me"
MIN_SECRET_KEY_LENGTH = 32
MAX_TIMEOUT_MS = 2_147_483_647
"""PostgreSQL's largest statement_timeout. Limits are checked here, at start: out of range, the
server would start and then answer every page 503 (or every form 413, or refuse every file)."""


class UnsafeSettings(RuntimeError):
    """Settings that must not run in production."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    """PostgreSQL server to use. Unset: basewatch runs its own embedded PostgreSQL."""

    database_read_url: str | None = Field(default=None, alias="DATABASE_READ_URL")
    """A read replica for public pages. Unset: they read from DATABASE_URL's server."""

    data_dir: Path = Field(default=Path("var/pgdata"), alias="BASEWATCH_DATA_DIR")
    """Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset."""

    env: Literal["development", "production"] = Field(default="development", alias="BASEWATCH_ENV")
    """`production`: `basewatch serve` refuses a weak SECRET_KEY; templates are not re-read."""

    secret_key: str = Field(default=DEFAULT_SECRET_KEY, alias="SECRET_KEY")
    """Signs CSRF tokens and the read-your-writes cookie (sessions are random tokens)."""

    max_article_bytes: int = Field(default=10_000_000, gt=0, alias="BASEWATCH_MAX_ARTICLE_BYTES")
    """The largest annotated-article file the loader accepts."""

    query_timeout_ms: int = Field(
        default=10_000, gt=0, le=MAX_TIMEOUT_MS, alias="BASEWATCH_QUERY_TIMEOUT_MS"
    )
    """A page's database query that runs longer is cut off and the page answers 503."""

    max_request_bytes: int = Field(default=12_000_000, gt=0, alias="BASEWATCH_MAX_REQUEST_BYTES")
    """A request body larger than this is refused with 413 before it is read."""

    @field_validator("database_url", "database_read_url")
    @classmethod
    def _use_psycopg3(cls, url: str | None) -> str | None:
        """Accept the usual `postgres://` and `postgresql://` forms and drive them with psycopg 3."""
        if not url:
            return None
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    def check_for_production(self) -> None:
        """Refuse a key anyone can read in this repository, or one short enough to guess: it
        signs every CSRF token and the read-your-writes cookie."""
        weak = self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < MIN_SECRET_KEY_LENGTH
        if self.env == "production" and weak:
            raise UnsafeSettings(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} "
                "characters when BASEWATCH_ENV=production (e.g. python3 -c "
                "'import secrets; print(secrets.token_urlsafe(32))')"
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()
