"""Fixtures for feedback tests: the shipped policies, a small firm, proposals with a trace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.feedback import FeedbackDelivery
from governance.schemas import Evidence, ProposalCreate
from governance.service import Governance
from governance.tables import Proposal
from governance.types import ProposalType
from tests.governance.factories import DM, Firm, make_firm, payload

EXPERIMENT = "feedback-tests"


@pytest.fixture
def gov() -> Governance:
    return Governance.load()


@pytest.fixture
def firm(session: Session) -> Firm:
    return make_firm(session)


def propose(
    session: Session,
    gov: Governance,
    kind: ProposalType,
    firm: Firm,
    *,
    trace_id: str | None = "tr-" + "a" * 32,
    model_version: str | None = "m-1",
    prompt_version: str | None = "p-1",
    now: datetime | None = None,
    **kw: Any,
) -> Proposal:
    """A pending proposal as the copilot submits it: versions, run links, a trace id."""
    data = ProposalCreate(
        type=kind,
        payload=payload(kind, firm, **kw),
        evidence=Evidence(summary="because", features={"burn": 1.3}),
        model_version=model_version,
        prompt_id="status_summary" if kind is ProposalType.send_status_summary else None,
        prompt_version=prompt_version,
        thread_id="thread-1",
        run_id="run-1",
        mlflow_trace_id=trace_id,
        requested_by=DM.email,
    )
    return gov.submit(session, data, submitted_by="agent:copilot", now=now).proposal


def feedback_of(session: Session, proposal_id: int) -> list[FeedbackDelivery]:
    return list(
        session.scalars(
            select(FeedbackDelivery)
            .where(FeedbackDelivery.proposal_id == proposal_id)
            .execution_options(populate_existing=True)
        )
    )


@pytest.fixture(scope="session")
def mlflow_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite MLflow store for the whole run (creating one takes seconds)."""
    from mlflow import MlflowClient

    path: Path = tmp_path_factory.mktemp("mlflow") / "mlflow.db"
    uri = f"sqlite:///{path}"
    MlflowClient(tracking_uri=uri).create_experiment(EXPERIMENT)
    return uri


@pytest.fixture
def tracing(mlflow_uri: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """MLflow's process-wide tracking URI pointed at the test store for one test (the trace
    exporter reads it), exporting traces synchronously; all put back afterwards."""
    import mlflow

    previous = mlflow.get_tracking_uri()
    # Synchronous export: a trace is stored when its span ends. Flushing the asynchronous
    # queue instead costs one to two seconds each time.
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")
    mlflow.tracing.reset()
    mlflow.set_tracking_uri(mlflow_uri)
    mlflow.set_experiment(EXPERIMENT)
    try:
        yield mlflow_uri
    finally:
        monkeypatch.undo()
        mlflow.tracing.reset()
        mlflow.set_tracking_uri(previous)


def new_trace(name: str = "copilot-run") -> str:
    """A finished agent-run trace, stored, so feedback can be attached to it."""
    import mlflow

    with mlflow.start_span(name=name, span_type="AGENT") as span:
        span.set_inputs({"message": "staff the data engineer role"})
        span.set_outputs({"status": "awaiting_decision"})
        trace_id: str = span.trace_id
    return trace_id
