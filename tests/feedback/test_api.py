"""A decision over HTTP never waits on MLflow: its feedback is committed with it and sent
later by the worker the app loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.feedback.worker import FeedbackWorker
from app.loaders import feedback as loader
from app.runtime import Runtime
from app.services import Services, close_services
from domain.db import unit_of_work
from governance.feedback import FeedbackDelivery
from governance.service import Governance
from governance.types import ProposalType
from tests.feedback.conftest import propose
from tests.feedback.fakes import DownSink, RecordingSink
from tests.governance.factories import make_firm


def test_the_decision_request_never_calls_mlflow(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlflow.tracing.client import TracingClient

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("MLflow was called while serving the decision")

    monkeypatch.setattr(TracingClient, "log_assessment", refuse)
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    worker: FeedbackWorker = services.extras["feedback"]
    down = DownSink()
    worker.sink = down
    dm, _ = make_user("delivery_manager")
    _, approver = make_user("approver", practices=["Data & AI"], regions=["EMEA"])
    gov: Governance = client.app.state.services.extras["governance"]  # type: ignore[attr-defined]
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        firm.project.delivery_manager_email = dm.email
        p = propose(s, gov, ProposalType.assign_staff, firm, trace_id="tr-" + "c" * 32)
        other = firm.consultant_2.id

    r = client.post(f"/v1/proposals/{p.id}/decision", headers=approver,
                    json={"action": "override", "reason_code": "client_preference",
                          "note": "Client asked for Ana", "choice": other})  # fmt: skip

    assert r.status_code == 200, r.text
    assert down.calls == 0
    with unit_of_work(runtime.sessions) as s:  # committed with the decision, waiting
        [row] = s.scalars(select(FeedbackDelivery).where(FeedbackDelivery.proposal_id == p.id))
        assert (row.status, row.value, row.attempts) == ("pending", "overridden", 0)
    # Later, off the request path, the worker sends it.
    sink = RecordingSink()
    worker.sink = sink
    assert worker.drain().delivered == 1
    assert [i.value for i in sink.sent] == ["overridden"]


def test_the_loader_plugs_the_worker_into_the_queue_and_close_stops_it(
    runtime: Runtime,
) -> None:
    gov = Governance.load()
    services = Services(extras={"governance": gov})
    loader.load(runtime, services)  # the test environment: no thread
    worker: FeedbackWorker = services.extras["feedback"]
    assert worker in gov.ctx.decision_listeners
    assert not worker.running

    started = Services()
    loader.load(runtime, started, start_worker=True, poll_seconds=0.05)
    running: FeedbackWorker = started.extras["feedback"]
    assert running.running
    close_services(started)
    assert not running.running


@pytest.mark.parametrize(("setting", "expect_thread"), [(True, True), (False, False)])
def test_a_deployment_can_leave_delivery_to_a_separate_process(
    runtime: Runtime, setting: bool, expect_thread: bool
) -> None:
    """``OPSCOPILOT_MLFLOW__FEEDBACK_WORKER=false`` keeps the thread off outside tests, for a
    deployment that runs ``opscopilot feedback deliver`` on its own."""
    settings = runtime.settings.model_copy(update={"environment": "development"})
    settings.mlflow = settings.mlflow.model_copy(update={"feedback_worker": setting})
    served = Runtime(settings=settings, engine=runtime.engine, sessions=runtime.sessions)
    services = Services()
    loader.load(served, services, poll_seconds=0.05)
    worker: FeedbackWorker = services.extras["feedback"]
    try:
        assert worker.running is expect_thread
    finally:
        close_services(services)
