"""Deliver outbox events to webhooks: signed, retried with exponential backoff, dead-lettered.

Each step is its own short transaction (fan out, claim, then record each result), and no
transaction is open while an HTTP request is in flight. Several dispatchers can run at once,
in threads or processes: claims never overlap while a lease holds, and the lease outlives the
HTTP timeout, so one delivery is never in flight twice. The loop, backoff and thread are
``governance.delivery_loop``'s, shared with feedback delivery.
"""

from __future__ import annotations

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
from governance.delivery_loop import DeliveryLoop
from governance.hashing import canonical_json


@dataclass
class DispatchReport:
    fanned_out: int = 0
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


class Dispatcher(DeliveryLoop[DispatchReport]):
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
        super().__init__(
            sessions, batch=batch, max_attempts=max_attempts, backoff_seconds=backoff_seconds,
            backoff_cap_seconds=backoff_cap_seconds, jitter=jitter,
            # The lease must outlive a request, or a slow delivery could be claimed twice.
            lease=timedelta(seconds=timeout_seconds * 3 + 5),
            clock=clock, name=name or f"dispatcher-{uuid.uuid4().hex[:8]}",
        )  # fmt: skip
        self.endpoints = list(endpoints)
        self.secret = secret
        self.client = client or httpx.Client(timeout=timeout_seconds)

    def busy(self, report: DispatchReport) -> bool:
        return report.claimed > 0 or report.fanned_out > 0

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
