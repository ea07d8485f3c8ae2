"""Make sure every model the service loads has a trained champion (filled in by the models work)."""

from __future__ import annotations

from app.settings import Settings


def ensure_models(settings: Settings) -> None:
    return None
