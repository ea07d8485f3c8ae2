"""Each run is traced (a span per node and per LLM call) and its proposals keep the trace id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agents import runs
from agents.copilot import Copilot
from agents.ports import DecisionInfo, Requester
from app.runtime import Runtime
from domain.db import unit_of_work
from tests.agents.fakes import RecordingSink, RecordingTracer
from tests.agents.firm import Firm

STATUS = "draft this week's status for Northwind"


def test_nodes_and_llm_calls_are_spans_and_proposals_keep_the_trace(
    make_copilot: Callable[..., Copilot],
    sink: RecordingSink,
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    tracer = RecordingTracer()
    copilot = make_copilot(tracer=tracer, proposals=sink)
    result = copilot.chat(thread_of(dm), dm, STATUS)

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
    firm: Firm,
    dm: Requester,
    thread_of: Callable[[Requester], str],
) -> None:
    import mlflow

    copilot = make_copilot(tracer=mlflow_tracer, proposals=sink)
    result = copilot.chat(thread_of(dm), dm, STATUS)

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
