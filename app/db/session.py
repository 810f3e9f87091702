"""Transaction scopes. Only these commit: services flush, the boundary commits or rolls back."""

from collections.abc import Iterator

from sqlalchemy.orm import Session, sessionmaker


def session_scope(maker: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session inside one transaction: committed if the caller finishes, else rolled back."""
    with maker.begin() as session:
        yield session
