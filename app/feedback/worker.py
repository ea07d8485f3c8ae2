"""Send pending decision feedback to the tracking store, off the request path.

Each step is its own short transaction (claim, then settle each row) and no transaction is
open while the sink talks to MLflow. Failures are retried with exponential backoff; when
several sends fail in a row the store is taken to be down and the rest of the batch is handed
back untried, so an outage costs a few attempts per pass, not one per row. A refusal of one
row (its trace is not in the store) is that row's problem and does not count towards an outage.
"""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from domain.db import unit_of_work
from domain.types import utcnow
from governance import feedback_queue as queue
from governance.feedback import FAILED, PENDING, FeedbackRejected, FeedbackSink
from governance.listeners import DecisionNotice

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one pass did."""

    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0

    def __str__(self) -> str:
        return (
            f"claimed {self.claimed}, delivered {self.delivered}, retrying {self.retrying}, "
            f"failed {self.failed}, handed back {self.released}"
        )


class FeedbackWorker:
    """Delivers due feedback rows through ``sink``; ``run_once`` for a pass, ``run`` to loop.

    Also a ``DecisionListener``: plugged into governance, a committed decision wakes the loop
    so its feedback goes out at once instead of at the next poll. Waking is all it does.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        sink: FeedbackSink,
        *,
        batch: int = 20,
        max_attempts: int = 24,
        backoff_seconds: float = 5.0,
        backoff_cap_seconds: float = 3600.0,
        jitter: float = 0.1,
        lease_seconds: float = 600.0,
        outage_after: int = 3,
        clock: Callable[[], datetime] = utcnow,
        name: str | None = None,
    ) -> None:
        if max_attempts < 1 or batch < 1 or outage_after < 1:
            raise ValueError("max_attempts, batch and outage_after must be at least 1")
        self.sessions = sessions
        self.sink = sink
        self.batch = batch
        self.max_attempts = max_attempts
        self.backoff = backoff_seconds
        self.backoff_cap = backoff_cap_seconds
        self.jitter = jitter
        # Long enough to cover MLflow's own HTTP retries for a whole batch; a row whose lease
        # ran out is claimed again, and the sink's look-up keeps that from logging it twice.
        self.lease = timedelta(seconds=lease_seconds)
        self.outage_after = outage_after
        self.clock = clock
        self.name = name or f"feedback-{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

    def retry_delay(self, attempts: int) -> timedelta:
        """5 s, 10 s, 20 s, ... capped at an hour, plus up to 10 % jitter."""
        base = min(self.backoff_cap, self.backoff * 2 ** max(0, attempts - 1))
        return timedelta(seconds=base * (1 + self.jitter * random.random()))

    def run_once(self) -> DeliveryReport:
        """Claim due rows, send each and record the result."""
        report = DeliveryReport()
        with unit_of_work(self.sessions) as s:
            if not queue.has_due(s, self.clock()):
                return report
        token = uuid.uuid4().hex
        with unit_of_work(self.sessions) as s:
            claimed = queue.claim(
                s, token=token, now=self.clock(), lease=self.lease, limit=self.batch
            )
        report.claimed = len(claimed)
        failures_in_a_row = 0
        for i, item in enumerate(claimed):
            if failures_in_a_row >= self.outage_after:
                with unit_of_work(self.sessions) as s:
                    report.released = queue.release(s, claimed[i:], token=token)
                log.warning(
                    "%s: %d sends failed in a row; handing %d back for the next pass",
                    self.name, failures_in_a_row, report.released,
                )  # fmt: skip
                break
            try:
                assessment_id = self.sink.send(item)
            except Exception as exc:  # any failure is retried; the row keeps the error
                # A refusal proves the store is up: only unreachable-store errors add up to
                # an outage, so a few bad rows at the head of the queue block nothing.
                failures_in_a_row = (
                    0 if isinstance(exc, FeedbackRejected) else failures_in_a_row + 1
                )
                with unit_of_work(self.sessions) as s:
                    state = queue.fail(
                        s, item, token=token, now=self.clock(),
                        error=f"{type(exc).__name__}: {exc}", max_attempts=self.max_attempts,
                        retry_in=self.retry_delay(item.attempts),
                    )  # fmt: skip
                report.retrying += state == PENDING
                report.failed += state == FAILED
                continue
            failures_in_a_row = 0
            with unit_of_work(self.sessions) as s:
                done = queue.complete(
                    s, item.delivery_id, token=token, now=self.clock(),
                    assessment_id=assessment_id,
                )  # fmt: skip
            report.delivered += done
        return report

    def drain(self, *, max_passes: int = 1000) -> DeliveryReport:
        """Passes until nothing due is left or a pass delivers nothing; the summed report."""
        total = DeliveryReport()
        for _ in range(max_passes):
            r = self.run_once()
            for f in ("claimed", "delivered", "retrying", "failed", "released"):
                setattr(total, f, getattr(total, f) + getattr(r, f))
            if r.claimed == 0 or r.delivered == 0:
                break
        return total

    def on_decision(self, notice: DecisionNotice) -> None:
        """Wake the loop: the decision's feedback row has just been committed."""
        self._wake.set()

    def run(self, stop: threading.Event, *, poll_seconds: float = 2.0) -> None:
        """Deliver until ``stop`` is set; waits for a decision or ``poll_seconds`` when idle."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # a bad pass (database away) must not end the loop
                log.exception("%s: feedback pass failed", self.name)
                report = DeliveryReport()
            if report.claimed == 0 or report.released:
                self._wake.wait(poll_seconds)
                self._wake.clear()

    def start_thread(self, *, poll_seconds: float = 2.0) -> threading.Thread:
        """Run the loop in a daemon thread until ``close``."""
        if self._thread is not None and self._thread.is_alive():
            return self._thread
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self.run, args=(self._stop,), kwargs={"poll_seconds": poll_seconds},
            name=self.name, daemon=True,
        )  # fmt: skip
        self._thread.start()
        return self._thread

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread (a send in flight finishes first; its row stays claimed until
        its lease ends if it does not finish within ``timeout``)."""
        if self._stop is not None:
            self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
