"""Make sure every model the service loads has a registered champion."""

from __future__ import annotations

from app.loaders import loader_modules
from app.settings import Settings


def ensure_models(settings: Settings) -> None:
    for module in loader_modules():
        ensure = getattr(module, "ensure_trained", None)
        if ensure is not None:
            ensure(settings)
