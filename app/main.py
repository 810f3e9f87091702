"""The FastAPI application."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.db.engine import (
    make_engine,
    make_read_sessionmaker,
    make_sessionmaker,
    resolve_database_url,
)
from app.db.session import SharedRead
from app.queries.timeline import archive_state, last_change
from app.settings import Settings, get_settings
from app.web import (
    actors,
    api,
    articles,
    auth,
    bases,
    claims,
    editor,
    exports,
    feeds,
    handlers,
    timeline,
)
from app.web.caching import kept_responses
from app.web.counting import BackgroundCounts
from app.web.deps import export_slots, get_current_user
from app.web.head import HeadAsGet
from app.web.i18n import LanguageMiddleware
from app.web.limits import BodySizeLimit
from app.web.read_your_writes import ReadYourWrites
from app.web.templating import reload_changed_templates
from app.web.timing import ServerTiming
from app.web.urls import STATIC_PATH, static_url

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_for_production()
    reload_changed_templates(settings.env == "development")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(
            resolve_database_url(settings), statement_timeout_ms=settings.query_timeout_ms
        )
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.primary_reads = app.state.read_sessionmaker = make_read_sessionmaker(engine)
        engines = [engine]
        if settings.database_read_url:  # a replica for the public pages' reads
            engines.append(
                make_engine(
                    settings.database_read_url, statement_timeout_ms=settings.query_timeout_ms
                )
            )
            app.state.read_sessionmaker = make_read_sessionmaker(engines[-1])
        readers = (app.state.primary_reads, app.state.read_sessionmaker)
        app.state.archive_states = {maker: SharedRead(maker, archive_state) for maker in readers}
        app.state.last_changes = {maker: SharedRead(maker, last_change) for maker in readers}
        app.state.background_counts = BackgroundCounts()
        # What is loaded by now lives as long as the process: take it out of the cyclic
        # collector's reach, whose full passes over it (150-280 ms) were the pages' p99.
        gc.collect()
        gc.freeze()
        yield
        app.state.background_counts.close()
        for each in engines:
            each.dispose()

    # Every route knows its signed-in user (request.state.user), for pages and checks alike.
    app = FastAPI(
        title="basewatch",
        lifespan=lifespan,
        dependencies=[Depends(get_current_user)],
        # A text field may be as large as the request: an article pasted whole into /import.
        form_limits={"max_part_size": settings.max_request_bytes},
    )
    app.state.settings = settings
    app.state.kept_responses = kept_responses()
    app.state.overviews = timeline.Overviews()
    app.state.export_slots = export_slots()
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
    # Browsers ask for it on pages that name no icon (the JSON views, the feeds).
    app.add_api_route(
        "/favicon.ico",
        lambda: RedirectResponse(static_url("favicon.svg"), status_code=301),
        include_in_schema=False,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(LanguageMiddleware)
    if settings.database_read_url:
        app.add_middleware(ReadYourWrites, secret_key=settings.secret_key)
    app.add_middleware(ServerTiming)
    app.add_middleware(HeadAsGet)
    handlers.install(app)
    # The public pages first, the most read first: a request is matched against the routes in
    # order, and each route passed over cost a claim page a few percent of its time.
    app.include_router(timeline.router)
    app.include_router(claims.router)
    app.include_router(api.router)
    app.include_router(actors.router)
    app.include_router(bases.router)
    app.include_router(articles.router)
    app.include_router(exports.router)
    auth.install(app)
    app.include_router(editor.router)
    app.include_router(feeds.router)
    return app
