"""The MLflow side of feedback: one assessment on the agent run's trace per decision."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from governance.feedback import DELIVERY_KEY, FeedbackItem, FeedbackRejected

# MLflow error codes meaning the store is up and refused this one request. A trace exported
# asynchronously may not exist yet; such an item is retried later like any other.
REFUSALS = frozenset(
    {"RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE", "BAD_REQUEST", "PERMISSION_DENIED"}
)


class MlflowFeedbackSink:
    """Implements ``governance.feedback.FeedbackSink`` with MLflow's tracing client.

    The client is bound to ``tracking_uri`` rather than to the process-wide MLflow URI, so the
    sink never depends on (or changes) what other code set. MLflow is imported on first use:
    a process that never delivers never pays for the import or for creating a SQLite store.
    """

    def __init__(self, tracking_uri: str) -> None:
        self.tracking_uri = tracking_uri
        self._client: Any = None
        self._lock = threading.Lock()

    def _tracing(self) -> Any:
        with self._lock:
            if self._client is None:
                os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
                from mlflow.tracing.client import TracingClient

                self._client = TracingClient(self.tracking_uri)
            return self._client

    def send(self, item: FeedbackItem) -> str:
        """Log the decision as feedback on its trace; returns the assessment id.

        A retry first looks for feedback an earlier attempt stored (say, one that timed out
        after MLflow had written it), so a decision is logged once however often it is tried.
        """
        from mlflow.entities import AssessmentSource, Feedback

        if item.attempts > 1:
            earlier = self.find(item)
            if earlier is not None:
                return earlier
        feedback = Feedback(
            name=item.name,
            value=item.value,
            source=AssessmentSource(source_type=item.source_type, source_id=item.source_id),
            rationale=item.rationale or None,
            metadata=dict(item.metadata),
        )
        with _refusals(item):
            logged = self._tracing().log_assessment(item.trace_id, feedback)
        return str(logged.assessment_id)

    def find(self, item: FeedbackItem) -> str | None:
        """The assessment an earlier attempt logged for this delivery row, if any."""
        with _refusals(item):
            info = self._tracing().get_trace_info(item.trace_id)
        wanted = str(item.delivery_id)
        for assessment in info.assessments or ():
            if (assessment.metadata or {}).get(DELIVERY_KEY) == wanted:
                return str(assessment.assessment_id)
        return None


@contextmanager
def _refusals(item: FeedbackItem) -> Iterator[None]:
    """MLflow answering "no" to this item is a refusal; connection failures stay outages."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as exc:
        if exc.error_code in REFUSALS:
            raise FeedbackRejected(f"{exc.error_code}: {exc.message}") from exc
        raise
