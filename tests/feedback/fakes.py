"""Sinks for delivery tests: one that records what it is sent, one standing in for an outage."""

from __future__ import annotations

import threading

from governance.feedback import FeedbackItem, FeedbackRejected


class RecordingSink:
    """Accepts everything; remembers each item it was sent, in order."""

    def __init__(self) -> None:
        self.sent: list[FeedbackItem] = []
        self._lock = threading.Lock()

    def send(self, item: FeedbackItem) -> str:
        with self._lock:
            self.sent.append(item)
            return f"a-{item.delivery_id}-{len(self.sent)}"

    def find(self, item: FeedbackItem) -> str | None:
        return None

    @property
    def delivery_ids(self) -> list[int]:
        return [i.delivery_id for i in self.sent]


class DownSink:
    """MLflow unreachable: every call raises, and is counted."""

    def __init__(self, message: str = "Connection refused") -> None:
        self.calls = 0
        self.message = message

    def send(self, item: FeedbackItem) -> str:
        self.calls += 1
        raise ConnectionError(self.message)

    def find(self, item: FeedbackItem) -> str | None:
        self.calls += 1
        raise ConnectionError(self.message)


class RefusingSink(RecordingSink):
    """The store is up but refuses some rows (their traces are not there)."""

    def __init__(self, refuse: set[int]) -> None:
        super().__init__()
        self.refuse = refuse

    def send(self, item: FeedbackItem) -> str:
        if item.delivery_id in self.refuse:
            raise FeedbackRejected(f"RESOURCE_DOES_NOT_EXIST: trace {item.trace_id} not found")
        return super().send(item)
