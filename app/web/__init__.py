"""Browser pages served by the API process itself: sign-in, chat, approval inbox, metrics,
portfolio. Templates and static files ship inside this package, so nothing is fetched from a
CDN at run time.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.staticfiles import StaticFiles

from app.web.pages import auth, chat, inbox, metrics, portfolio

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(chat.router)
router.include_router(inbox.router)
router.include_router(metrics.router)
router.include_router(portfolio.router)


def static_files() -> StaticFiles:
    """The pages' CSS and JS, mounted at ``/static``."""
    return StaticFiles(directory=STATIC_DIR)


__all__ = ["STATIC_DIR", "router", "static_files"]
