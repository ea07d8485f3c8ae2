"""One loader module per heavy collaborator, in the order they load.

Each module defines ``load(runtime, services)`` (called once in the app's lifespan; it puts
what it loaded into ``services``) and may define ``ensure_trained(settings)`` (called by
``opscopilot bootstrap`` so a fresh machine has a champion of every model). Later loaders use
what earlier ones loaded: the encoder first, the copilot after the models and the queue.
"""

from __future__ import annotations

import importlib
from types import ModuleType

LOADERS = (
    "encoder",
    "classifier",
    "staffing",
    "risk",
    "governance",
    "feedback",
    "copilot",
    "promotion",
)


def loader_modules() -> list[ModuleType]:
    """The loader modules, imported in load order (they pull in the heavy libraries)."""
    return [importlib.import_module(f"app.loaders.{name}") for name in LOADERS]
