"""Feedback on real MLflow traces (a SQLite tracking store): what an approver decided shows on
the run's trace, once, even when MLflow was down or a worker died after sending."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta
from typing import Any

import pytest

from app.feedback.sink import MlflowFeedbackSink
from app.feedback.worker import FeedbackWorker
from app.runtime import Runtime
from domain.db import unit_of_work
from domain.types import utcnow
from governance import feedback_queue as queue
from governance.service import Governance
from governance.types import ProposalType
from tests.feedback.conftest import EXPERIMENT, new_trace, propose
from tests.feedback.test_worker import Clock, rows
from tests.governance.factories import APPROVER, decision, make_firm

T = ProposalType


def assessments(uri: str, trace_id: str) -> list[Any]:
    from mlflow import MlflowClient

    return list(MlflowClient(tracking_uri=uri).get_trace(trace_id).info.assessments)


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_an_override_shows_on_the_agent_runs_trace(runtime: Runtime, tracing: str) -> None:
    trace_id = new_trace()
    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        p = propose(s, gov, T.assign_staff, firm, trace_id=trace_id)
        gov.decide(s, p.id, APPROVER, decision("override", "client_preference",
                   note="Client asked for Ana", choice=firm.consultant_2.id))  # fmt: skip

    report = FeedbackWorker(runtime.sessions, MlflowFeedbackSink(tracing)).drain()

    assert report.delivered == 1
    [fb] = assessments(tracing, trace_id)
    assert (fb.name, fb.value) == ("approver_decision", "overridden")
    assert (fb.source.source_type, fb.source.source_id) == ("HUMAN", APPROVER.email)
    assert fb.rationale == "client_preference: Client asked for Ana"
    assert fb.metadata["reason_code"] == "client_preference"
    assert fb.metadata["decider_role"] == "approver"
    assert fb.metadata["model_version"] == "m-1"
    assert fb.metadata["chosen_option"] == str(firm.consultant_2.id)
    [row] = rows(runtime)
    assert row.assessment_id == fb.assessment_id


def test_an_expired_proposal_shows_as_expired_on_the_trace(runtime: Runtime, tracing: str) -> None:
    from agents.adapters.mlflow_tracer import MlflowTracer

    # The trace as the copilot writes it (spans without MLflow's context-local state).
    run = MlflowTracer(tracing, EXPERIMENT).start("chat", inputs={"message": "risk check"})
    run.end({"status": "awaiting_decision"})
    assert run.trace_id is not None
    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        p = propose(s, gov, T.flag_risk, make_firm(s), trace_id=run.trace_id)
        gov.sweep(s, p.due_at + timedelta(minutes=1))

    FeedbackWorker(runtime.sessions, MlflowFeedbackSink(tracing)).drain()

    [fb] = assessments(tracing, run.trace_id)
    assert (fb.value, fb.source.source_type, fb.source.source_id) == (
        "expired", "CODE", "policy:sla.flag_risk"
    )  # fmt: skip


def test_mlflow_down_then_back_loses_nothing_and_logs_each_once(
    runtime: Runtime, tracing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MLflow's own HTTP retries would take minutes against a closed port.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    traces = [new_trace() for _ in range(4)]
    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        for t in traces:
            p = propose(s, gov, T.flag_risk, firm, trace_id=t)
            gov.decide(s, p.id, APPROVER, decision("reject", "false_positive"))
    clock = Clock()
    down = MlflowFeedbackSink(f"http://127.0.0.1:{unused_port()}")
    outage = FeedbackWorker(runtime.sessions, down, outage_after=2, clock=clock)
    first = outage.run_once()
    assert (first.delivered, first.retrying, first.released) == (0, 2, 2)
    assert outage.run_once().retrying == 2
    stored = rows(runtime)
    assert {r.status for r in stored} == {"pending"}
    assert all("127.0.0.1" in r.last_error for r in stored)
    assert all(assessments(tracing, t) == [] for t in traces)

    clock.advance(minutes=2)
    back = FeedbackWorker(runtime.sessions, MlflowFeedbackSink(tracing), clock=clock)
    assert back.drain().delivered == 4
    for t in traces:
        [fb] = assessments(tracing, t)
        assert fb.value == "rejected" and fb.source.source_id == APPROVER.email
    clock.advance(hours=1)
    assert back.drain().claimed == 0
    assert {r.status for r in rows(runtime)} == {"delivered"}


def test_feedback_stored_by_a_worker_that_died_before_recording_it_is_not_logged_twice(
    runtime: Runtime, tracing: str
) -> None:
    trace_id = new_trace()
    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        p = propose(s, gov, T.flag_risk, make_firm(s), trace_id=trace_id)
        gov.decide(s, p.id, APPROVER, decision("accept", "risk_confirmed"))
    now: datetime = utcnow()
    sink = MlflowFeedbackSink(tracing)
    with unit_of_work(runtime.sessions) as s:
        [item] = queue.claim(s, token="crashed", now=now, lease=timedelta(minutes=10))
    first_id = sink.send(item)  # MLflow stored it; the worker died before marking the row

    clock = Clock()
    clock.now = now + timedelta(minutes=11)
    assert FeedbackWorker(runtime.sessions, sink, clock=clock).drain().delivered == 1

    [fb] = assessments(tracing, trace_id)
    assert fb.assessment_id == first_id == rows(runtime)[0].assessment_id


def test_a_trace_the_store_does_not_have_is_refused_and_the_rest_still_go(
    runtime: Runtime, tracing: str
) -> None:
    missing = "tr-" + "0" * 32  # say, traced into another store
    present = [new_trace() for _ in range(3)]
    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        for t in [missing, missing, *present]:
            p = propose(s, gov, T.flag_risk, firm, trace_id=t)
            gov.decide(s, p.id, APPROVER, decision("accept", "risk_confirmed"))

    report = FeedbackWorker(
        runtime.sessions, MlflowFeedbackSink(tracing), outage_after=2
    ).run_once()

    assert (report.delivered, report.retrying, report.released) == (3, 2, 0)
    assert all(len(assessments(tracing, t)) == 1 for t in present)
    refused = [r for r in rows(runtime) if r.trace_id == missing]
    assert all(r.status == "pending" and "not found" in r.last_error for r in refused)
