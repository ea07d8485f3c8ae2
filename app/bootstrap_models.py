"""Make sure every model the service loads has a registered champion."""

from __future__ import annotations

import importlib

from app.loaders import LOADERS
from app.settings import Settings


def ensure_models(settings: Settings) -> None:
    for name in LOADERS:
        try:
            module = importlib.import_module(f"app.loaders.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.loaders.{name}":
                raise
            continue
        ensure = getattr(module, "ensure_trained", None)
        if ensure is not None:
            ensure(settings)
