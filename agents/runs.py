"""One row per graph run in ``agent_runs``: what started it, what it used and produced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from agents.tables import AgentRun
from domain.types import utcnow


def start_run(
    session: Session,
    *,
    run_key: str,
    kind: str,
    trigger: str,
    requester: dict[str, Any],
    chat_thread_id: str | None = None,
    event_id: str | None = None,
) -> AgentRun:
    run = AgentRun(
        run_key=run_key,
        kind=kind,
        trigger=trigger,
        requester=requester,
        chat_thread_id=chat_thread_id,
        event_id=event_id,
        status="running",
    )
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run_key: str,
    *,
    status: str,
    values: dict[str, Any],
    trace_id: str | None,
    error: str | None = None,
) -> None:
    """Record the run's outcome from its final state (a resume updates the same row).

    A single UPDATE, so on SQLite the transaction starts by taking the write lock.
    """
    changes: dict[str, Any] = {"status": status, "error": error, "updated_at": utcnow()}
    if values:
        changes |= {
            "intent": (values.get("intent") or {}).get("label", ""),
            "proposal_ids": [p["id"] for p in values.get("proposals", [])],
            "llm_calls": list(values.get("llm_calls", [])),
            "timings_ms": dict(values.get("timings_ms", {})),
        }
    # The first run's trace is the one the proposals link to; a resume keeps it.
    changes["trace_id"] = func.coalesce(AgentRun.trace_id, trace_id)
    session.execute(update(AgentRun).where(AgentRun.run_key == run_key).values(**changes))


def link_thread(session: Session, run_key: str, thread_id: str | None) -> None:
    if thread_id is not None:
        session.execute(
            update(AgentRun).where(AgentRun.run_key == run_key).values(chat_thread_id=thread_id)
        )


def get_run(session: Session, run_key: str) -> AgentRun | None:
    return session.get(AgentRun, run_key)


def run_for_event(session: Session, event_id: str) -> AgentRun | None:
    """The run an event with this id already started, if it was delivered before."""
    return session.scalar(select(AgentRun).where(AgentRun.event_id == event_id))
