"""Pruning checkpoints: runs that ended long ago lose theirs, runs that wait keep theirs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from typer.testing import CliRunner

from agents import retention, runs
from agents.copilot import Copilot, RunResult
from agents.ports import DecisionInfo
from agents.tables import AgentRun
from app.runtime import Runtime
from domain.db import unit_of_work
from domain.types import utcnow
from tests.agents.conversation import Conversation

STAFFING = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"


def _has_checkpoint(copilot: Copilot, run_key: str) -> bool:
    return copilot.checkpointer.get_tuple({"configurable": {"thread_id": run_key}}) is not None


def _ended_days_ago(runtime: Runtime, run_key: str, days: int) -> None:
    with unit_of_work(runtime.sessions) as s:
        s.execute(
            update(AgentRun)
            .where(AgentRun.run_key == run_key)
            .values(updated_at=utcnow() - timedelta(days=days))
        )


@pytest.fixture
def three_runs(
    copilot: Copilot, talk_to: Callable[[Copilot], Conversation], runtime: Runtime
) -> tuple[RunResult, RunResult, RunResult]:
    """An old decided run, an old run still waiting, and a run decided today."""
    old, waiting, recent = (talk_to(copilot).say(STAFFING) for _ in range(3))
    for run in (old, recent):
        pid = run.proposals[0]["id"]
        resumed = copilot.resume_after_decision(run.run_key, DecisionInfo(pid, "accepted", "rita"))
        assert resumed is not None and resumed.status == "done"
    assert waiting.status == "awaiting_decision"
    _ended_days_ago(runtime, old.run_key, 40)
    _ended_days_ago(runtime, waiting.run_key, 40)
    return old, waiting, recent


def test_old_finished_runs_lose_their_checkpoints_and_waiting_runs_still_resume(
    copilot: Copilot, runtime: Runtime, three_runs: tuple[RunResult, RunResult, RunResult]
) -> None:
    old, waiting, recent = three_runs
    before = utcnow() - timedelta(days=30)
    seen: list[tuple[int, int]] = []

    would = retention.prune_checkpoints(
        runtime.sessions, copilot.checkpointer, before=before, dry_run=True
    )
    assert would == 1
    assert _has_checkpoint(copilot, old.run_key)

    pruned = retention.prune_checkpoints(
        runtime.sessions, copilot.checkpointer, before=before, progress=lambda *p: seen.append(p)
    )

    assert pruned == 1 and seen == [(1, 1)]
    assert not _has_checkpoint(copilot, old.run_key)
    assert _has_checkpoint(copilot, waiting.run_key) and _has_checkpoint(copilot, recent.run_key)
    with unit_of_work(runtime.sessions) as s:
        row = runs.get_run(s, old.run_key)
        assert row is not None and row.status == "done" and row.proposal_ids  # history stays
        assert row.checkpoint_deleted_at is not None
        assert utcnow() - row.updated_at > timedelta(days=39)  # still when it ended
    # A late decision for the pruned run is ignored, as for any finished run.
    pid = old.proposals[0]["id"]
    assert copilot.resume_after_decision(old.run_key, DecisionInfo(pid, "rejected", "x")) is None
    # The waiting run is resumed by its decision as before.
    pid = waiting.proposals[0]["id"]
    resumed = copilot.resume_after_decision(waiting.run_key, DecisionInfo(pid, "accepted", "rita"))
    assert resumed is not None and resumed.status == "done"
    # A second pass finds nothing left to do.
    assert retention.prune_checkpoints(runtime.sessions, copilot.checkpointer, before=before) == 0


@pytest.fixture
def cli_env(
    runtime: Runtime, committed_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    from app.settings import get_settings

    # The command opens the same database and checkpointer as the copilot under test.
    monkeypatch.setenv(
        "OPSCOPILOT_DATABASE_URL", committed_engine.url.render_as_string(hide_password=False)
    )
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(runtime.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_command_counts_then_prunes(
    copilot: Copilot, three_runs: tuple[RunResult, RunResult, RunResult], cli_env: None
) -> None:
    from app.cli.main import cli

    old = three_runs[0]
    runner = CliRunner()
    dry = runner.invoke(cli, ["agent", "prune-checkpoints", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith("1 finished run ended before ")
    assert dry.stdout.rstrip().endswith("checkpoints to delete (nothing deleted)")
    assert _has_checkpoint(copilot, old.run_key)

    done = runner.invoke(cli, ["agent", "prune-checkpoints", "--older-than-days", "30"])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("deleted the checkpoints of 1 finished run ended before ")
    assert not _has_checkpoint(copilot, old.run_key)

    bad = runner.invoke(cli, ["agent", "prune-checkpoints", "--older-than-days", "0"])
    assert bad.exit_code == 2 and "older-than-days" in bad.output
