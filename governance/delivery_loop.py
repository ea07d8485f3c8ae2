"""The loop the webhook dispatcher and the feedback worker share.

Both claim due rows with a lease (``governance.leases``), send them, retry failures with capped
exponential backoff, and run as passes: the next pass at once after one that found work,
otherwise after ``poll_seconds`` or a ``wake()``. A subclass says what one pass does
(``run_once``) and whether its report means there may be more to do (``busy``).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from domain.types import utcnow

log = logging.getLogger(__name__)

Report = TypeVar("Report")


class DeliveryLoop(Generic[Report]):
    """Backoff, lease and a background thread around a subclass's ``run_once``."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        batch: int,
        max_attempts: int,
        backoff_seconds: float,
        backoff_cap_seconds: float,
        jitter: float,
        lease: timedelta,
        clock: Callable[[], datetime] = utcnow,
        name: str,
    ) -> None:
        if max_attempts < 1 or batch < 1:
            raise ValueError("max_attempts and batch must be at least 1")
        self.sessions = sessions
        self.batch = batch
        self.max_attempts = max_attempts
        self.backoff = backoff_seconds
        self.backoff_cap = backoff_cap_seconds
        self.jitter = jitter
        self.lease = lease
        self.clock = clock
        self.name = name
        self._wake = threading.Event()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

    def retry_delay(self, attempts: int) -> timedelta:
        """``backoff_seconds`` doubled per attempt, capped, plus up to ``jitter`` of it."""
        base = min(self.backoff_cap, self.backoff * 2 ** max(0, attempts - 1))
        return timedelta(seconds=base * (1 + self.jitter * random.random()))

    def run_once(self) -> Report:
        """One pass: claim due rows, send each and record the result."""
        raise NotImplementedError

    def busy(self, report: Report) -> bool:
        """Whether a pass that reported ``report`` may have left work for an immediate next."""
        raise NotImplementedError

    def wake(self) -> None:
        """End an idle wait early: new rows have just been committed."""
        self._wake.set()

    def run(self, stop: threading.Event, *, poll_seconds: float = 2.0) -> None:
        """Run passes until ``stop`` is set, waiting ``poll_seconds`` (or a wake) when idle."""
        while not stop.is_set():
            try:
                busy = self.busy(self.run_once())
            except Exception:  # a bad pass (database away) must not end the loop
                log.exception("%s: pass failed", self.name)
                busy = False
            if not busy:
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
        """Stop the thread; a send in flight finishes first (if it does not within ``timeout``,
        its row stays claimed until its lease ends)."""
        if self._stop is not None:
            self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
