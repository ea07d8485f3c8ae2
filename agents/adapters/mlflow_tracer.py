"""Trace each run in MLflow: one trace per run, a span per node and per LLM call.

Spans are created with explicit parents rather than MLflow's context-local "current span":
a streamed chat turn runs on worker threads, where context-locals do not follow. Traces are
exported asynchronously (MLflow's default); nothing here flushes, so tracing stays off the
request path. A tracing failure is logged and the run goes on untraced.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from agents.ports import NullTrace, Span, TraceHandle

log = logging.getLogger(__name__)


class MlflowTracer:
    """Implements ``agents.ports.Tracer``. Build it once, in the app's lifespan.

    It sets the process's MLflow tracking URI and experiment, which the trace exporter reads;
    the first use of a new SQLite store takes a couple of seconds to create it.
    """

    def __init__(self, tracking_uri: str, experiment: str) -> None:
        import mlflow

        mlflow.set_tracking_uri(tracking_uri)
        self._experiment_id = mlflow.set_experiment(experiment).experiment_id

    def start(
        self, name: str, *, inputs: Any = None, tags: Mapping[str, str] | None = None
    ) -> TraceHandle:
        """A new trace whose root span is the run; never raises."""
        import mlflow

        try:
            root = mlflow.start_span_no_context(
                name,
                span_type="AGENT",
                inputs=inputs,
                tags=dict(tags or {}),
                experiment_id=self._experiment_id,
            )
        except Exception:
            log.exception("could not start an MLflow trace")
            return NullTrace()
        return _MlflowTrace(root)


class _NoSpan:
    def set_attribute(self, key: str, value: Any) -> None:
        return None

    def set_outputs(self, outputs: Any) -> None:
        return None


class _MlflowTrace:
    def __init__(self, root: Any) -> None:
        self._root = root
        self.trace_id: str | None = root.trace_id
        self._open = [root]  # the graph runs one node at a time: a stack gives the parent
        self._lock = threading.Lock()

    def span(
        self, name: str, *, span_type: str = "CHAIN", inputs: Any = None
    ) -> AbstractContextManager[Span]:
        return self._span(name, span_type, inputs)

    @contextmanager
    def _span(self, name: str, span_type: str, inputs: Any) -> Iterator[Span]:
        import mlflow

        with self._lock:
            parent = self._open[-1]
        try:
            live = mlflow.start_span_no_context(
                name, span_type=span_type, parent_span=parent, inputs=inputs
            )
        except Exception:
            log.exception("could not start span %s", name)
            yield _NoSpan()
            return
        with self._lock:
            self._open.append(live)
        status = "OK"
        try:
            yield live
        except BaseException:
            # An interrupt (waiting for a decision) ends the node span with ERROR too; the
            # trace itself ends OK, as MLflow's own LangGraph integration does.
            status = "ERROR"
            raise
        finally:
            with self._lock:
                self._open.remove(live)
            _quietly(live.end, status=status)

    def end(self, outputs: Any = None, *, error: str | None = None) -> None:
        if error:
            _quietly(self._root.set_attribute, "error", error)
        _quietly(self._root.end, outputs=outputs, status="ERROR" if error else "OK")


def _quietly(fn: Any, *args: Any, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except Exception:  # a tracing problem must not become the run's problem
        log.exception("MLflow tracing call failed")
