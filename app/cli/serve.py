import click
import uvicorn

from app.cli.common import database_url
from app.db import migrate


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1), help="App processes."
)
def serve(host: str, port: int, workers: int) -> None:
    """Bring the schema up to date, then serve basewatch."""
    migrate.upgrade(database_url())
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
    )
