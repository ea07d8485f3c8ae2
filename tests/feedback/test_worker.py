"""The delivery worker: an outage loses nothing, each decision is delivered once, a crashed
worker's claim is taken over, and a committed decision wakes the worker."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.feedback.worker import FeedbackWorker
from app.runtime import Runtime
from domain.db import unit_of_work
from domain.types import utcnow
from governance import feedback_queue as queue
from governance.feedback import FeedbackDelivery
from governance.service import Governance
from governance.types import ProposalType
from tests.feedback.conftest import propose
from tests.feedback.fakes import DownSink, RecordingSink, RefusingSink
from tests.governance.factories import APPROVER, decision, make_firm

T = ProposalType


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def decide_some(runtime: Runtime, gov: Governance, n: int, *, traced: bool = True) -> list[int]:
    """``n`` risk flags accepted by an approver, committed; returns the proposal ids."""
    ids = []
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        for _ in range(n):
            trace = f"tr-{uuid.uuid4().hex}" if traced else None
            p = propose(s, gov, T.flag_risk, firm, trace_id=trace)
            gov.decide(s, p.id, APPROVER, decision("accept", "risk_confirmed"))
            ids.append(p.id)
    return ids


def rows(runtime: Runtime) -> list[FeedbackDelivery]:
    with unit_of_work(runtime.sessions) as s:
        return list(s.scalars(select(FeedbackDelivery).order_by(FeedbackDelivery.id)))


def test_an_outage_loses_nothing_and_each_decision_is_delivered_once(runtime: Runtime) -> None:
    decide_some(runtime, Governance.load(), 5)
    clock = Clock()
    down = DownSink()
    worker = FeedbackWorker(runtime.sessions, down, outage_after=3, clock=clock)

    first = worker.run_once()
    # Three failures in a row: the store is down, the other two go back untried.
    assert (first.claimed, first.retrying, first.released, first.delivered) == (5, 3, 2, 0)
    assert down.calls == 3
    stored = rows(runtime)
    assert [r.status for r in stored] == ["pending"] * 5
    assert sorted(r.attempts for r in stored) == [0, 0, 1, 1, 1]
    tried = [r for r in stored if r.attempts == 1]
    assert all(r.last_error == "ConnectionError: Connection refused" for r in tried)
    assert all(r.next_attempt_at >= clock.now + timedelta(seconds=5) for r in tried)

    assert worker.run_once().claimed == 2  # the untried two are still due
    assert worker.run_once().claimed == 0  # the rest wait for their backoff

    back = RecordingSink()
    recovered = FeedbackWorker(runtime.sessions, back, clock=clock)
    assert recovered.run_once().claimed == 0
    clock.advance(minutes=5)
    report = recovered.drain()
    assert report.delivered == 5
    stored = rows(runtime)
    assert sorted(back.delivery_ids) == [r.id for r in stored]  # each exactly once
    assert all(r.status == "delivered" and r.assessment_id and r.delivered_at for r in stored)
    clock.advance(hours=2)
    assert recovered.drain().claimed == 0
    assert len(back.sent) == 5


def test_rows_the_store_refuses_do_not_hold_up_the_others(runtime: Runtime) -> None:
    decide_some(runtime, Governance.load(), 6)
    first_three = {r.id for r in rows(runtime)[:3]}
    sink = RefusingSink(refuse=first_three)
    report = FeedbackWorker(runtime.sessions, sink, outage_after=2).run_once()
    # Three refusals in a row are not an outage: the store answered.
    assert (report.retrying, report.delivered, report.released) == (3, 3, 0)
    stored = {r.id: r for r in rows(runtime)}
    assert {i for i, r in stored.items() if r.status == "pending"} == first_three
    assert all("RESOURCE_DOES_NOT_EXIST" in stored[i].last_error for i in first_three)


def test_feedback_that_keeps_failing_is_kept_until_requeued(runtime: Runtime) -> None:
    decide_some(runtime, Governance.load(), 1)
    clock = Clock()
    worker = FeedbackWorker(runtime.sessions, DownSink("HTTP 503"), max_attempts=2, clock=clock)
    assert worker.run_once().retrying == 1
    clock.advance(minutes=1)
    assert worker.run_once().failed == 1
    clock.advance(days=1)
    assert worker.run_once().claimed == 0
    [row] = rows(runtime)
    assert (row.status, row.attempts, row.last_error) == ("failed", 2, "ConnectionError: HTTP 503")

    with unit_of_work(runtime.sessions) as s:
        assert queue.status_counts(s) == {"failed": 1}
        assert queue.oldest_waiting(s) == row.created_at
        assert queue.requeue_failed(s, now=clock.now) == 1
    sink = RecordingSink()
    assert FeedbackWorker(runtime.sessions, sink, clock=clock).drain().delivered == 1
    assert [i.attempts for i in sink.sent] == [1]  # a fresh attempt budget
    assert rows(runtime)[0].status == "delivered"


def test_a_crashed_workers_claim_is_taken_over_when_its_lease_ends(runtime: Runtime) -> None:
    decide_some(runtime, Governance.load(), 1)
    clock = Clock()
    with unit_of_work(runtime.sessions) as s:  # a worker claims, then dies mid-send
        [claimed] = queue.claim(s, token="dead", now=clock.now, lease=timedelta(minutes=10))
    sink = RecordingSink()
    worker = FeedbackWorker(runtime.sessions, sink, clock=clock)
    assert worker.run_once().claimed == 0  # still leased
    clock.advance(minutes=11)
    assert worker.run_once().delivered == 1
    assert [i.attempts for i in sink.sent] == [2]  # the sink sees a retry (and checks first)
    with unit_of_work(runtime.sessions) as s:
        assert not queue.complete(
            s, claimed.delivery_id, token="dead", now=clock.now, assessment_id="late"
        )
    [row] = rows(runtime)
    assert (row.status, row.assessment_id) == ("delivered", f"a-{claimed.delivery_id}-1")


def test_decisions_without_a_trace_are_never_sent(runtime: Runtime) -> None:
    decide_some(runtime, Governance.load(), 2, traced=False)
    sink = RecordingSink()
    assert FeedbackWorker(runtime.sessions, sink).drain().claimed == 0
    assert sink.sent == [] and {r.status for r in rows(runtime)} == {"no_trace"}


def test_a_committed_decision_wakes_the_worker_thread(runtime: Runtime) -> None:
    gov = Governance.load()
    sink = RecordingSink()
    worker = FeedbackWorker(runtime.sessions, sink)
    gov.add_decision_listener(worker)
    # Polling only every ten minutes: a delivery within the test means the decision woke it.
    worker.start_thread(poll_seconds=600)
    try:
        decide_some(runtime, gov, 1)
        deadline = time.monotonic() + 30
        while not sink.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(sink.sent) == 1
    finally:
        worker.close()
    assert not worker.running


def test_the_worker_refuses_settings_that_could_never_deliver(runtime: Runtime) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        FeedbackWorker(runtime.sessions, RecordingSink(), max_attempts=0)
