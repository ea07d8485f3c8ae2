"""Deliver outbox events to webhooks: signed, retried with exponential backoff, dead-lettered.

Each step is its own short transaction (fan out, claim, then record each result), and no
transaction is open while an HTTP request is in flight. Several dispatchers can run at once,
in threads or processes: claims never overlap while a lease holds, and the lease outlives the
HTTP timeout, so one delivery is never in flight twice.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from domain.db import unit_of_work
from domain.types import utcnow
from governance import outbox, signing
from governance.hashing import canonical_json

log = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    fanned_out: int = 0
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


class Dispatcher:
    """Delivers due webhook deliveries; ``run_once`` for a pass, ``run`` for a loop."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        endpoints: Sequence[str],
        secret: str,
        *,
        max_attempts: int = 8,
        backoff_seconds: float = 5.0,
        backoff_cap_seconds: float = 3600.0,
        jitter: float = 0.1,
        timeout_seconds: float = 10.0,
        batch: int = 50,
        client: httpx.Client | None = None,
        clock: Callable[[], datetime] = utcnow,
        name: str | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.sessions = sessions
        self.endpoints = list(endpoints)
        self.secret = secret
        self.max_attempts = max_attempts
        self.backoff = backoff_seconds
        self.backoff_cap = backoff_cap_seconds
        self.jitter = jitter
        self.timeout = timeout_seconds
        # The lease must outlive a request, or a slow delivery could be claimed twice.
        self.lease = timedelta(seconds=timeout_seconds * 3 + 5)
        self.batch = batch
        self.client = client or httpx.Client(timeout=timeout_seconds)
        self.clock = clock
        self.name = name or f"dispatcher-{uuid.uuid4().hex[:8]}"

    def retry_delay(self, attempts: int) -> timedelta:
        base = min(self.backoff_cap, self.backoff * 2 ** max(0, attempts - 1))
        return timedelta(seconds=base * (1 + self.jitter * random.random()))

    def run_once(self) -> DispatchReport:
        """Fan out new events, claim due deliveries, send them and record each result."""
        report = DispatchReport()
        with unit_of_work(self.sessions) as s:
            report.fanned_out = outbox.fan_out(s, self.endpoints, now=self.clock())
        token = uuid.uuid4().hex
        with unit_of_work(self.sessions) as s:
            claimed = outbox.claim(
                s, token=token, now=self.clock(), lease=self.lease, limit=self.batch
            )
        report.claimed = len(claimed)
        for item in claimed:
            status_code, error = self._send(item)
            with unit_of_work(self.sessions) as s:
                if error is None:
                    outbox.complete(
                        s, item.delivery_id, token=token, now=self.clock(),
                        status_code=status_code or 0,
                    )  # fmt: skip
                    report.delivered += 1
                    continue
                state = outbox.fail(
                    s, item, token=token, now=self.clock(), error=error,
                    status_code=status_code, max_attempts=self.max_attempts,
                    retry_in=self.retry_delay(item.attempts),
                )  # fmt: skip
                if state == outbox.DEAD:
                    report.dead += 1
                elif state == outbox.PENDING:
                    report.retrying += 1
        return report

    def _send(self, item: outbox.Claimed) -> tuple[int | None, str | None]:
        body = canonical_json(item.body).encode()
        ts = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "OpsCopilot-Webhooks/1",
            signing.EVENT_ID_HEADER: item.body["id"],
            signing.EVENT_TYPE_HEADER: item.body["type"],
            signing.TIMESTAMP_HEADER: str(ts),
            signing.SIGNATURE_HEADER: signing.sign(self.secret, ts, body),
            signing.ATTEMPT_HEADER: str(item.attempts),
        }
        try:
            response = self.client.post(item.endpoint, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"

    def run(self, stop: threading.Event, *, poll_seconds: float = 1.0) -> None:
        """Dispatch until ``stop`` is set; sleeps only when there was nothing to do."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # a bad pass must not end the loop; the next pass retries
                log.exception("%s: dispatch pass failed", self.name)
                report = DispatchReport()
            if report.claimed == 0 and report.fanned_out == 0:
                stop.wait(poll_seconds)

    def start_thread(
        self, *, poll_seconds: float = 1.0
    ) -> tuple[threading.Thread, threading.Event]:
        """Run the loop in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        thread = threading.Thread(
            target=self.run, args=(stop,), kwargs={"poll_seconds": poll_seconds},
            name=self.name, daemon=True,
        )  # fmt: skip
        thread.start()
        return thread, stop
