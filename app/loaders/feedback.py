"""Decision feedback to MLflow: a delivery worker in a background thread of the app.

Governance writes a feedback row with every decision; this worker sends the rows to the MLflow
store the agent traces into. It is also plugged into the approval queue as a decision listener,
so a committed decision wakes it at once. ``opscopilot feedback deliver`` does the same work
from the command line (for deployments that run it apart from the API workers).
"""

from __future__ import annotations

import logging

from app.feedback.sink import MlflowFeedbackSink
from app.feedback.worker import FeedbackWorker
from app.runtime import Runtime
from app.services import Services
from governance.service import Governance

log = logging.getLogger(__name__)
NAME = "feedback"


def load(
    runtime: Runtime,
    services: Services,
    *,
    start_worker: bool | None = None,
    poll_seconds: float = 2.0,
) -> None:
    """Put a ``FeedbackWorker`` into ``services.extras["feedback"]`` and start its thread.

    ``start_worker`` defaults to ``mlflow.feedback_worker`` (off when another process runs
    ``opscopilot feedback deliver``), and to off in the ``test`` environment: tests drive
    delivery themselves (``run_once``), and a thread sending in the background would race their
    assertions. ``close_services`` stops the thread.
    """
    if NAME in services.extras:
        return
    worker = FeedbackWorker(runtime.sessions, MlflowFeedbackSink(runtime.settings.mlflow_uri))
    services.extras[NAME] = worker
    governance = services.extras.get("governance")
    if isinstance(governance, Governance):
        governance.add_decision_listener(worker)
    if start_worker is None:
        s = runtime.settings
        start_worker = s.mlflow.feedback_worker and s.environment != "test"
    if start_worker:
        worker.start_thread(poll_seconds=poll_seconds)
        log.info("feedback delivery to MLflow running in thread %s", worker.name)
