"""The graph for ``langgraph dev`` (see ``langgraph.json``), with a default context.

The dev server brings its own checkpointer and passes no context, so the graph falls back
to a context on the local database: ``var/opscopilot.db`` (what ``make run`` creates), or
``database_url`` from the run's ``configurable``. A minimal input is::

    {"run_key": "dev-1", "message": "how is the Fabrikam migration doing?",
     "trigger": {"kind": "chat", "event_type": null, "payload": {}},
     "requester": {"user_id": null, "email": "dev@example.com", "role": "delivery_manager",
                   "name": "Dev"}}
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from langgraph.graph.state import CompiledStateGraph

from agents.context import Ctx, build_context
from agents.graph import build_graph
from agents.state import State
from domain.db import make_engine, make_session_factory

DEFAULT_DATABASE = Path("var") / "opscopilot.db"


@cache
def default_context(database_url: str) -> Ctx:
    """A database-only context (offline LLM, default adapters) on ``database_url``."""
    return build_context(make_session_factory(make_engine(database_url)))


def make_graph(
    config: dict[str, Any] | None = None,
) -> CompiledStateGraph[State, Ctx, State, State]:
    """The graph ``langgraph dev`` serves; the server supplies checkpointer and config."""
    configurable = (config or {}).get("configurable", {})
    url = configurable.get("database_url") or f"sqlite:///{DEFAULT_DATABASE.resolve()}"
    return build_graph(default_context=lambda: default_context(url))
