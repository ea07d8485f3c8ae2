"""Send pending decision feedback to the tracking store, off the request path.

Each step is its own short transaction (claim, then settle each row) and no transaction is
open while the sink talks to MLflow. Failures are retried with exponential backoff; when
several sends fail in a row the store is taken to be down and the rest of the batch is handed
back untried, so an outage costs a few attempts per pass, not one per row. A refusal of one
row (its trace is not in the store) is that row's problem and does not count towards an outage.
The loop, backoff and thread are ``governance.delivery_loop``'s, shared with the webhook
dispatcher.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from domain.db import unit_of_work
from domain.types import utcnow
from governance import feedback_queue as queue
from governance.delivery_loop import DeliveryLoop
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


class FeedbackWorker(DeliveryLoop[DeliveryReport]):
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
        if outage_after < 1:
            raise ValueError("outage_after must be at least 1")
        super().__init__(
            sessions, batch=batch, max_attempts=max_attempts, backoff_seconds=backoff_seconds,
            backoff_cap_seconds=backoff_cap_seconds, jitter=jitter,
            # Long enough to cover MLflow's own HTTP retries for a whole batch; a row whose
            # lease ran out is claimed again, and the sink's look-up keeps that from logging
            # it twice.
            lease=timedelta(seconds=lease_seconds),
            clock=clock, name=name or f"feedback-{uuid.uuid4().hex[:8]}",
        )  # fmt: skip
        self.sink = sink
        self.outage_after = outage_after

    def busy(self, report: DeliveryReport) -> bool:
        # Rows handed back in an outage wait for the next poll, not a hot retry.
        return report.claimed > 0 and not report.released

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
        self.wake()
