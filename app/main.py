"""The FastAPI application. Heavy things load once, in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import web
from app.errors import install_error_handlers
from app.routers import (
    chat,
    classify,
    events,
    firm,
    health,
    proposals,
    queue_metrics,
    risk,
    staffing,
)
from app.runtime import Runtime, open_runtime
from app.services import Services, close_services, load_services
from app.settings import Settings, configure_process_environment


def create_app(
    settings: Settings | None = None,
    runtime: Runtime | None = None,
    services: Services | None = None,
) -> FastAPI:
    """Build the app; tests pass their own ``runtime`` (database), ``services`` or ``settings``."""
    configure_process_environment()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or open_runtime(settings)
        app.state.runtime = rt
        app.state.services = services or load_services(rt)
        # The approval queue the routers use is the one wired to the loaded models.
        if "governance" in app.state.services.extras:
            app.state.governance = app.state.services.extras["governance"]
        try:
            yield
        finally:
            if services is None:
                close_services(app.state.services)
            if runtime is None:
                rt.engine.dispose()

    app = FastAPI(
        title="OpsCopilot",
        version="0.1.0",
        description=(
            "An operations copilot for professional-services firms. Every action it suggests "
            "is a proposal in a governed approval queue. Authenticate with "
            "`Authorization: Bearer <API key>`."
        ),
        lifespan=lifespan,
    )
    install_error_handlers(app)
    # Routers, one line each.
    app.include_router(health.router)
    app.include_router(firm.router)
    app.include_router(chat.router)
    app.include_router(risk.router)
    app.include_router(staffing.router)
    app.include_router(proposals.router)
    app.include_router(events.router)
    app.include_router(queue_metrics.router)
    app.include_router(classify.router)
    app.include_router(web.router)
    app.mount("/static", web.static_files(), name="static")
    return app
