import click
import uvicorn

from app.cli.common import check_read_database, database_url, settings
from app.db import migrate
from app.settings import UnsafeSettings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1), help="App processes."
)
def serve(host: str, port: int, workers: int) -> None:
    """Bring the schema up to date, then serve basewatch."""
    configured = settings()
    try:  # before the migrations: a server that may not start must not change the schema
        configured.check_for_production()
    except UnsafeSettings as unsafe:
        raise click.ClickException(str(unsafe)) from None
    migrate.upgrade(database_url())
    if configured.database_read_url:
        check_read_database(configured.database_read_url)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
    )
