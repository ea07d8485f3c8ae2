"""Each run is traced (a span per node and per LLM call) and its proposals keep the trace id."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agents import runs
from agents.copilot import Copilot
from agents.ports import DecisionInfo
from app.runtime import Runtime
from domain.db import unit_of_work
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink, RecordingTracer

STATUS = "draft this week's status for Northwind"


def test_nodes_and_llm_calls_are_spans_and_proposals_keep_the_trace(
    make_copilot: Callable[..., Copilot],
    sink: RecordingSink,
    talk_to: Callable[[Copilot], Conversation],
    runtime: Runtime,
) -> None:
    tracer = RecordingTracer()
    copilot = make_copilot(tracer=tracer, proposals=sink)
    result = talk_to(copilot).say(STATUS)

    [trace] = tracer.traces
    names = [s.name for s in trace.spans]
    assert names == [
        "understand",
        "draft_summary",
        "llm.status_summary",
        "submit_proposals",
        "respond",
        "await_decision",
    ]
    llm = trace.spans[2]
    assert llm.attributes["prompt"]["id"] == "status_summary"
    assert llm.attributes["provider"] == "offline"
    assert trace.ended == {
        "outputs": {"status": "awaiting_decision", "proposal_ids": [result.proposals[0]["id"]]},
        "error": None,
    }
    [p] = sink.submitted
    assert p.evidence["trace_id"] == p.run_links["trace_id"] == trace.trace_id == result.trace_id
    with unit_of_work(runtime.sessions) as s:
        run = runs.get_run(s, result.run_key)
        assert run is not None and run.trace_id == trace.trace_id

    # The resume is a trace of its own; the run keeps pointing at the one its proposal cites.
    copilot.resume_after_decision(
        result.run_key, DecisionInfo(result.proposals[0]["id"], "accepted", "rita@example.com")
    )
    assert len(tracer.traces) == 2
    with unit_of_work(runtime.sessions) as s:
        assert runs.get_run(s, result.run_key).trace_id == trace.trace_id  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def mlflow_tracer(tmp_path_factory: pytest.TempPathFactory) -> object:
    from agents.adapters.mlflow_tracer import MlflowTracer

    store = Path(tmp_path_factory.mktemp("mlflow")) / "mlflow.db"
    return MlflowTracer(f"sqlite:///{store}", "copilot-tests")


def test_runs_are_traced_in_mlflow(
    mlflow_tracer: object,
    make_copilot: Callable[..., Copilot],
    sink: RecordingSink,
    talk_to: Callable[[Copilot], Conversation],
) -> None:
    import mlflow

    result = talk_to(make_copilot(tracer=mlflow_tracer, proposals=sink)).say(STATUS)

    trace_id = sink.submitted[0].evidence["trace_id"]
    assert trace_id == result.trace_id and trace_id.startswith("tr-")
    # Only the test waits for the export; the request path never flushes.
    mlflow.flush_trace_async_logging()
    trace = mlflow.get_trace(trace_id)
    assert trace is not None
    spans = {s.name: s for s in trace.data.spans}
    assert {"copilot.run", "understand", "draft_summary", "llm.status_summary", "respond"} <= set(
        spans
    )
    assert spans["llm.status_summary"].parent_id == spans["draft_summary"].span_id
    assert spans["llm.status_summary"].attributes["prompt"]["id"] == "status_summary"
    assert spans["draft_summary"].parent_id == spans["copilot.run"].span_id


def _wait_until(done: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.02)
    return done()


def test_traces_are_written_when_the_server_is_quiet(
    monkeypatch: pytest.MonkeyPatch,
    mlflow_tracer: object,
    make_copilot: Callable[..., Copilot],
    sink: RecordingSink,
    talk_to: Callable[[Copilot], Conversation],
) -> None:
    import mlflow

    from agents.adapters.mlflow_tracer import MlflowTracer

    # The tracer switches MLflow to exporting in its writer thread; undone after the test.
    monkeypatch.delenv("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", raising=False)
    # Same store as the module's tracer: MLflow's tracking URI is one per process.
    tracer = MlflowTracer(
        mlflow.get_tracking_uri(), "copilot-tests", export_when_idle=True, quiet_seconds=0.1
    )
    result = talk_to(make_copilot(tracer=tracer, proposals=sink)).say(STATUS)

    assert sink.submitted[0].evidence["trace_id"] == result.trace_id
    assert _wait_until(lambda: tracer.pending == 0)
    mlflow.flush_trace_async_logging()
    trace = mlflow.get_trace(result.trace_id)  # type: ignore[arg-type]
    assert trace is not None
    spans = {s.name: s for s in trace.data.spans}
    root, node, llm = spans["copilot.run"], spans["draft_summary"], spans["llm.status_summary"]
    assert node.parent_id == root.span_id and llm.parent_id == node.span_id
    assert llm.attributes["prompt"]["id"] == "status_summary"
    # Spans keep the times they ran at, not the time they were written.
    assert root.start_time_ns <= node.start_time_ns <= llm.start_time_ns
    assert llm.end_time_ns <= node.end_time_ns <= root.end_time_ns
    assert spans["await_decision"].status.status_code == "ERROR"  # the interrupt
    assert trace.info.state == "OK"


def test_flush_writes_queued_traces_at_once(
    monkeypatch: pytest.MonkeyPatch,
    mlflow_tracer: object,
    make_copilot: Callable[..., Copilot],
    sink: RecordingSink,
    talk_to: Callable[[Copilot], Conversation],
) -> None:
    import mlflow

    from agents.adapters.mlflow_tracer import MlflowTracer

    monkeypatch.delenv("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", raising=False)
    tracer = MlflowTracer(
        mlflow.get_tracking_uri(), "copilot-tests", export_when_idle=True, quiet_seconds=3600
    )
    result = talk_to(make_copilot(tracer=tracer, proposals=sink)).say(STATUS)
    assert tracer.pending == 1

    tracer.flush()
    assert tracer.pending == 0
    trace = mlflow.get_trace(result.trace_id)  # type: ignore[arg-type]
    assert trace is not None and "respond" in {s.name for s in trace.data.spans}


def test_a_server_that_is_never_quiet_still_writes_its_traces() -> None:
    from agents.adapters.mlflow_tracer import _Finished, _IdleWriter

    writer = _IdleWriter(quiet_seconds=0.5, max_delay_seconds=30.0, max_pending=2)
    queued = [_Finished(None, [], None, None, 0, queued_at=100.0 + i) for i in range(3)]
    writer._pending.extend(queued)
    writer._running = 1  # a run is always in flight
    writer._last_activity = 200.0
    assert writer._due(102.5)[0]  # more than max_pending wait: write the oldest
    writer._pending.popleft()
    assert not writer._due(110.0)[0]  # back under the cap, nothing overdue
    assert writer._due(131.0)[0]  # the oldest has waited max_delay_seconds
    writer._running = 0
    writer._pending.popleft()
    writer._pending[0].queued_at = 199.0
    assert not writer._due(200.3)[0]  # quiet for 0.3 s only
    assert writer._due(200.6) == (True, 0.0)  # quiet long enough
