"""Webhook delivery against a real local receiver: signed, retried, dead-lettered, redelivered,
and never in flight twice, however many dispatchers run."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from domain.db import make_session_factory, unit_of_work
from domain.errors import NotFound
from domain.types import utcnow
from governance import audit, outbox, signing
from governance.dispatcher import Dispatcher
from governance.tables import AuditEvent, WebhookDelivery

SECRET = "s3cret-for-tests"


class Receiver:
    """A webhook endpoint that fails the first ``fail_first`` attempts of each event."""

    def __init__(self, fail_first: int = 0, always_fail: bool = False, delay: float = 0.0):
        self.fail_first, self.always_fail, self.delay = fail_first, always_fail, delay
        self.attempts: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()  # 2xx answers per event id
        self.in_flight: Counter[str] = Counter()
        self.overlaps = 0
        self.bad_signatures = 0
        self.bodies: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def handle(self, headers: Any, body: bytes) -> int:
        event_id = headers[signing.EVENT_ID_HEADER]
        ok = signing.verify(SECRET, body=body, timestamp=headers[signing.TIMESTAMP_HEADER],
                            signature=headers[signing.SIGNATURE_HEADER])  # fmt: skip
        with self.lock:
            self.bad_signatures += not ok
            self.attempts[event_id] += 1
            self.in_flight[event_id] += 1
            self.overlaps += self.in_flight[event_id] > 1
            fail = self.always_fail or self.attempts[event_id] <= self.fail_first
        time.sleep(self.delay)
        with self.lock:
            self.in_flight[event_id] -= 1
            if fail or not ok:
                return 500 if ok else 401
            if event_id not in self.accepted:  # a receiver that dedupes by event id
                self.bodies[event_id] = json.loads(body)
            self.accepted[event_id] += 1
            return 200


@pytest.fixture
def receivers() -> Iterator[tuple[dict[str, Receiver], str]]:
    """Receivers keyed by path on one local server; yields them and the base URL."""
    routes: dict[str, Receiver] = defaultdict(Receiver)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = routes[self.path].handle(self.headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield routes, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _events(sessions: sessionmaker[Session], n: int) -> list[str]:
    with unit_of_work(sessions) as s:
        rows = [outbox.enqueue(s, "test.event", {"n": i}, at=utcnow()) for i in range(n)]
        s.flush()
        return [r.event_id for r in rows]


def _drain(*workers: Dispatcher, until: Any, passes: int = 200) -> None:
    for _ in range(passes):
        for w in workers:
            w.run_once()
        if until():
            return
        time.sleep(0.01)
    raise AssertionError("deliveries did not finish")


def _statuses(sessions: sessionmaker[Session]) -> Counter[str]:
    with unit_of_work(sessions) as s:
        return Counter(s.scalars(select(WebhookDelivery.status)))


def test_every_event_arrives_signed_once_despite_failures(
    committed_engine: Engine, receivers: tuple[dict[str, Receiver], str]
) -> None:
    routes, base = receivers
    routes["/flaky"] = Receiver(fail_first=2)
    sessions = make_session_factory(committed_engine)
    ids = _events(sessions, 12)
    worker = Dispatcher(sessions, [f"{base}/flaky"], SECRET, max_attempts=5,
                        backoff_seconds=0.01, jitter=0)  # fmt: skip
    _drain(worker, until=lambda: _statuses(sessions) == Counter(delivered=12))

    flaky = routes["/flaky"]
    assert set(flaky.accepted) == set(ids) and set(flaky.accepted.values()) == {1}
    assert set(flaky.attempts.values()) == {3} and flaky.bad_signatures == 0
    assert flaky.bodies[ids[0]]["type"] == "test.event" and flaky.bodies[ids[0]]["data"] == {"n": 0}
    with unit_of_work(sessions) as s:
        assert set(s.scalars(select(WebhookDelivery.attempts))) == {3}


def test_backoff_grows_exponentially() -> None:
    worker = Dispatcher(sessionmaker(), [], SECRET, backoff_seconds=2, jitter=0,
                        backoff_cap_seconds=60)  # fmt: skip
    assert [worker.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 10)] == [2, 4, 8, 16, 60]


def test_dead_letter_after_n_failures_then_manual_redelivery(
    committed_engine: Engine, receivers: tuple[dict[str, Receiver], str]
) -> None:
    routes, base = receivers
    routes["/down"] = Receiver(always_fail=True)
    sessions = make_session_factory(committed_engine)
    (event_id,) = _events(sessions, 1)
    worker = Dispatcher(sessions, [f"{base}/down"], SECRET, max_attempts=3,
                        backoff_seconds=0.01, jitter=0)  # fmt: skip
    _drain(worker, until=lambda: _statuses(sessions) == Counter(dead=1))
    assert routes["/down"].attempts[event_id] == 3

    with unit_of_work(sessions) as s:
        [(dead, event)] = outbox.list_deliveries(s, status="dead")
        assert event.event_id == event_id and dead.last_status == 500
        assert "HTTP 500" in dead.last_error
        dead_id = dead.id
        actions = list(s.scalars(select(AuditEvent.action)))
        assert "outbox.dead_lettered" in actions
    worker.run_once()
    assert routes["/down"].attempts[event_id] == 3  # dead letters are left alone

    routes["/down"].always_fail = False
    with unit_of_work(sessions) as s:
        outbox.redeliver(s, dead_id, actor="ops@firm.test", now=utcnow())
    _drain(worker, until=lambda: _statuses(sessions) == Counter(delivered=1))
    assert routes["/down"].accepted[event_id] == 1
    with unit_of_work(sessions) as s:
        assert audit.verify(s).ok
        with pytest.raises(NotFound):
            outbox.redeliver(s, 999_999, actor="ops", now=utcnow())


def test_parallel_dispatchers_never_deliver_one_event_twice(
    committed_engine: Engine, receivers: tuple[dict[str, Receiver], str]
) -> None:
    routes, base = receivers
    routes["/a"] = Receiver(delay=0.002)
    routes["/b"] = Receiver(delay=0.002, fail_first=1)
    sessions = make_session_factory(committed_engine)
    ids = _events(sessions, 60)
    endpoints = [f"{base}/a", f"{base}/b"]
    workers = [Dispatcher(make_session_factory(committed_engine), endpoints, SECRET, batch=5,
                          backoff_seconds=0.01, jitter=0) for _ in range(3)]  # fmt: skip
    done = threading.Event()

    def loop(w: Dispatcher) -> None:
        while not done.is_set():
            w.run_once()

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while _statuses(sessions) != Counter(delivered=120) and time.monotonic() < deadline:
        time.sleep(0.05)
    done.set()
    for t in threads:
        t.join()

    for path in ("/a", "/b"):
        r = routes[path]
        assert set(r.accepted) == set(ids) and set(r.accepted.values()) == {1}, path
        assert r.overlaps == 0
    assert set(routes["/a"].attempts.values()) == {1}


def test_a_crashed_dispatchers_claim_is_picked_up_after_its_lease(
    committed_engine: Engine, receivers: tuple[dict[str, Receiver], str]
) -> None:
    routes, base = receivers
    sessions = make_session_factory(committed_engine)
    (event_id,) = _events(sessions, 1)
    now = utcnow()
    crashed = Dispatcher(sessions, [f"{base}/ok"], SECRET, clock=lambda: now)
    with unit_of_work(sessions) as s:
        outbox.fan_out(s, crashed.endpoints, now=now)
    with unit_of_work(sessions) as s:
        assert len(outbox.claim(s, token="dead-worker", now=now, lease=crashed.lease)) == 1
    # ... and the process died before sending. Nobody else may take it while the lease holds:
    other = Dispatcher(sessions, [f"{base}/ok"], SECRET, clock=lambda: now + timedelta(seconds=1))
    assert other.run_once().claimed == 0
    later = Dispatcher(sessions, [f"{base}/ok"], SECRET,
                       clock=lambda: now + crashed.lease + timedelta(seconds=1))  # fmt: skip
    assert later.run_once().delivered == 1
    assert routes["/ok"].accepted[event_id] == 1


def test_the_dispatcher_thread_starts_and_stops(
    committed_engine: Engine, receivers: tuple[dict[str, Receiver], str]
) -> None:
    routes, base = receivers
    sessions = make_session_factory(committed_engine)
    ids = _events(sessions, 3)
    dispatcher = Dispatcher(sessions, [f"{base}/bg"], SECRET)
    thread = dispatcher.start_thread(poll_seconds=0.02)
    deadline = time.monotonic() + 20
    while len(routes["/bg"].accepted) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    dispatcher.close(timeout=5)
    assert not thread.is_alive() and not dispatcher.running
    assert set(routes["/bg"].accepted) == set(ids)


def test_receivers_can_verify_signatures() -> None:
    body = b'{"id":"e1"}'
    header = signing.sign(SECRET, 1_700_000_000, body)
    assert header.startswith("sha256=")
    kw = {"body": body, "timestamp": "1700000000", "signature": header}
    assert signing.verify(SECRET, now=1_700_000_100, **kw)  # type: ignore[arg-type]
    assert not signing.verify("wrong", now=1_700_000_100, **kw)  # type: ignore[arg-type]
    assert not signing.verify(SECRET, now=1_700_009_999, **kw)  # type: ignore[arg-type]  # replay
    assert not signing.verify(SECRET, body=b"{}", timestamp="1700000000", signature=header,
                              now=1_700_000_000)  # fmt: skip
