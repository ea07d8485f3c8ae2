"""The copilot's graph, assembled from the nodes and routers.

    START -> understand | interpret_event
          -> clarify | triage | recommend_staff | assess_risk | draft_summary
             | raise_change_request | setup_project | answer | answer_people | portfolio
          -> submit_proposals (if anything was drafted) -> respond
          -> await_decision (interrupt) -> post_outcome -> ... -> END

No node applies an effect: the only writes are proposals to the queue, chat messages and
the agent's own memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import RetryPolicy
from sqlalchemy.exc import IntegrityError, OperationalError

from agents import nodes
from agents.context import Ctx
from agents.routing import (
    route_after_outcome,
    route_after_respond,
    route_after_work,
    route_intent,
    route_trigger,
)
from agents.state import State

Node = Callable[[State, Runtime[Ctx]], dict[str, Any]]
WORK_NODES: dict[str, Node] = {
    "clarify": nodes.clarify,
    "triage": nodes.triage,
    "recommend_staff": nodes.recommend_staff,
    "assess_risk": nodes.assess_risk,
    "draft_summary": nodes.draft_summary,
    "raise_change_request": nodes.raise_change_request,
    "setup_project": nodes.setup_project,
    "answer": nodes.answer,
    "answer_people": nodes.answer_people,
    "portfolio": nodes.portfolio,
}


def transient(exc: Exception) -> bool:
    """A database conflict that running the (idempotent) node again resolves.

    SQLite: a transaction that read and then writes fails at once if another connection
    committed in between (SQLITE_BUSY_SNAPSHOT), or times out waiting for the writer lock.
    Both backends: two runs racing to insert the same key; the rerun sees the winner's row.
    """
    if isinstance(exc, IntegrityError):
        return True
    return isinstance(exc, OperationalError) and any(
        word in str(exc.orig) for word in ("locked", "busy", "could not serialize")
    )


# Nodes are idempotent, so a rerun after a rolled-back transaction is safe.
RETRY = RetryPolicy(initial_interval=0.05, backoff_factor=2.0, max_attempts=4, retry_on=transient)


def instrumented(name: str, fn: Node, default_context: Callable[[], Ctx] | None) -> Node:
    """``fn`` with a trace span and its time added to ``timings_ms``.

    Without a context from the caller (``langgraph dev``), the default context is used.
    """

    def node(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
        if runtime.context is None and default_context is not None:
            runtime = runtime.override(context=default_context())
        started = time.perf_counter()
        with runtime.context.trace.span(name, span_type="CHAIN") as span:
            update = fn(state, runtime) or {}
            span.set_outputs({k: v for k, v in update.items() if k in ("reply", "proposals")})
        ms = round((time.perf_counter() - started) * 1000, 3)
        return {**update, "timings_ms": {name: ms}}

    node.__name__ = name
    return node


def build_graph(
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    *,
    default_context: Callable[[], Ctx] | None = None,
) -> CompiledStateGraph[State, Ctx, State, State]:
    """The compiled graph; runs that propose need a checkpointer to be resumed."""
    g: StateGraph[State, Ctx, State, State] = StateGraph(State, context_schema=Ctx)

    def add(name: str, fn: Node) -> None:
        node = instrumented(name, fn, default_context)
        g.add_node(name, node, retry_policy=RETRY)  # type: ignore[call-overload]

    add("understand", nodes.understand)
    add("interpret_event", nodes.interpret_event)
    for name, fn in WORK_NODES.items():
        add(name, fn)
    add("submit_proposals", nodes.submit_proposals)
    add("respond", nodes.respond)
    add("await_decision", nodes.await_decision)
    add("post_outcome", nodes.post_outcome)

    g.add_conditional_edges(START, route_trigger)
    g.add_conditional_edges("understand", route_intent)
    g.add_conditional_edges("interpret_event", route_intent)
    for name in WORK_NODES:
        if name != "clarify":
            g.add_conditional_edges(name, route_after_work)
    g.add_edge("clarify", "respond")
    g.add_edge("submit_proposals", "respond")
    g.add_conditional_edges("respond", route_after_respond)
    g.add_edge("await_decision", "post_outcome")
    g.add_conditional_edges("post_outcome", route_after_outcome)
    return g.compile(checkpointer=checkpointer)


__all__ = ["END", "build_graph"]
