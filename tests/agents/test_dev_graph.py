"""``langgraph dev`` opens the graph from ``langgraph.json`` and runs it without a context."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import Engine

from agents.dev import make_graph
from tests.agents.conftest import db_url_of
from tests.agents.firm import Firm

ROOT = Path(__file__).resolve().parents[2]


def test_langgraph_json_points_at_the_graph_factory() -> None:
    spec = json.loads((ROOT / "langgraph.json").read_text())
    path, attr = spec["graphs"]["copilot"].split(":")
    module = importlib.import_module(path.removeprefix("./").removesuffix(".py").replace("/", "."))
    graph = getattr(module, attr)()
    assert {"understand", "await_decision", "submit_proposals"} <= set(graph.nodes)
    assert graph.get_context_jsonschema() == {}  # the dev server asks for it


def test_the_dev_graph_answers_on_its_default_context(committed_engine: Engine, firm: Firm) -> None:
    url = db_url_of(committed_engine)
    graph = make_graph({"configurable": {"database_url": url}})
    graph.checkpointer = InMemorySaver()  # what the dev server provides
    out = graph.invoke(
        {
            "run_key": "dev-1",
            "message": "how is Northwind doing?",
            "trigger": {"kind": "chat", "event_type": None, "payload": {}},
            "requester": {
                "user_id": None,
                "email": "dev@example.com",
                "role": "delivery_manager",
                "name": "Dev",
            },
        },
        {"configurable": {"thread_id": "dev-1"}},
    )
    assert "Northwind Analytics Rollout" in out["reply"]
