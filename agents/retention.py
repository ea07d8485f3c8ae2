"""Delete what finished runs no longer need: their LangGraph checkpoints.

A run that waits for a decision lives in the checkpointer until the decision resumes it.
Once a run is done nothing reads its checkpoints again (a late decision finds no interrupt
to resume, with or without them), yet they stay: a few kilobytes per chat turn or event,
for good. Pruning deletes them for runs that ended before a cutoff and stamps each run
(``checkpoint_deleted_at``) so the next pass skips it. The run's own row — intent,
proposals, timings, trace id — is the history and stays; so do the checkpoints of runs that
wait, are running, or failed (kept for whoever looks into the failure).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from agents.tables import AgentRun
from domain.db import unit_of_work
from domain.types import utcnow

PRUNABLE = "done"
BATCH = 500


def prunable_runs(session: Session, before: datetime) -> list[str]:
    """Run keys of runs done before ``before`` whose checkpoints are still there, oldest first."""
    return list(
        session.scalars(
            select(AgentRun.run_key)
            .where(
                AgentRun.status == PRUNABLE,
                AgentRun.updated_at < before,
                AgentRun.checkpoint_deleted_at.is_(None),
            )
            .order_by(AgentRun.updated_at, AgentRun.run_key)
        )
    )


def prune_checkpoints(
    sessions: sessionmaker[Session],
    saver: BaseCheckpointSaver[Any],
    *,
    before: datetime,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Delete the checkpoints of runs done before ``before``; how many runs that was (or would
    be, on a dry run). ``progress(done, total)`` after each batch. Safe to stop and run
    again: a run is stamped only after its checkpoints are gone, and deleting them twice
    does nothing."""
    with unit_of_work(sessions) as session:
        keys = prunable_runs(session, before)
    if dry_run:
        return len(keys)
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        for run_key in batch:
            saver.delete_thread(run_key)
        with unit_of_work(sessions) as session:
            session.execute(
                update(AgentRun)
                .where(AgentRun.run_key.in_(batch))
                # Keep updated_at: it is when the run ended, which the cutoff is about.
                .values(checkpoint_deleted_at=utcnow(), updated_at=AgentRun.updated_at)
            )
        if progress is not None:
            progress(start + len(batch), len(keys))
    return len(keys)
