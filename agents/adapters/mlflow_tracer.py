"""Trace each run in MLflow: one trace per run, a span per node and per LLM call.

A run records its node and LLM spans in memory (a few microseconds each) and hands the
finished trace over when it ends; only the root span is opened in MLflow at once, because
its id is the trace id that proposals cite. Spans keep their real start and end times.

Writing a trace to MLflow's store is not free: with the default SQLite store it takes 25-50 ms
of CPU per run (a trace row, tags, a row per span), more than the rest of a chat turn
without its embedding. MLflow's asynchronous export does that work in up to ten threads
right after each run, where on two cores it slowed the next requests by half
(docs/benchmarks.md, "Copilot"). So with ``export_when_idle`` finished traces wait in a
queue, and one background thread writes them (MLflow's export then runs in that thread)
once no run has started or ended for ``quiet_seconds``, one trace at a time; a server that
is never quiet still writes a trace when it has waited ``max_delay_seconds`` or when more
than ``max_pending`` wait. Without it, a trace goes to MLflow as its run ends and MLflow
exports it in the background. ``flush()`` writes whatever is queued. A tracing failure is
logged and the run goes on.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from agents.ports import NullTrace, Span, TraceHandle

log = logging.getLogger(__name__)


class MlflowTracer:
    """Implements ``agents.ports.Tracer``. Build it once, in the app's lifespan.

    It sets the process's MLflow tracking URI and experiment, which the trace exporter reads;
    the first use of a new SQLite store takes a couple of seconds to create it.
    """

    def __init__(
        self,
        tracking_uri: str,
        experiment: str,
        *,
        export_when_idle: bool = False,
        quiet_seconds: float = 1.0,
        max_delay_seconds: float = 30.0,
        max_pending: int = 500,
    ) -> None:
        import mlflow

        self._writer: _IdleWriter | None = None
        if export_when_idle:
            # The writer thread does the export itself, one trace at a time: MLflow's own
            # export threads would only run the same writes alongside the requests again.
            # Read when MLflow next sets up its tracer provider, hence the reset.
            os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"
            mlflow.tracing.reset()
            self._writer = _IdleWriter(quiet_seconds, max_delay_seconds, max_pending)
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
        if self._writer is not None:
            self._writer.run_started()
        return _RecordedTrace(root, self._hand_over)

    @property
    def pending(self) -> int:
        """Finished traces not yet written to MLflow."""
        return self._writer.pending if self._writer is not None else 0

    def flush(self) -> None:
        """Write the traces waiting for a quiet moment now, in this thread."""
        if self._writer is not None:
            self._writer.flush()

    def _hand_over(self, trace: _Finished) -> None:
        if self._writer is None:
            _write(trace)
        else:
            self._writer.add(trace)


@dataclass
class _Recorded:
    """One node or LLM span, kept in memory until the trace is written."""

    name: str
    span_type: str
    inputs: Any
    parent: int | None  # index of the parent span in the trace; None: the root
    start_ns: int
    end_ns: int = 0
    status: str = "OK"
    outputs: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def set_attribute(self, key: str, value: Any) -> None:
        self.attributes[key] = value

    def set_outputs(self, outputs: Any) -> None:
        self.outputs = outputs


@dataclass
class _Finished:
    root: Any  # the live MLflow root span
    spans: list[_Recorded]
    outputs: Any
    error: str | None
    end_ns: int
    queued_at: float = field(default_factory=time.monotonic)


class _RecordedTrace:
    """A run's trace: the root span is live in MLflow, the others are recorded."""

    def __init__(self, root: Any, hand_over: Callable[[_Finished], None]) -> None:
        self._root = root
        self.trace_id: str | None = root.trace_id
        self._spans: list[_Recorded] = []
        self._open: list[int] = []  # the graph runs one node at a time: a stack gives the parent
        self._lock = threading.Lock()
        self._hand_over = hand_over

    def span(
        self, name: str, *, span_type: str = "CHAIN", inputs: Any = None
    ) -> AbstractContextManager[Span]:
        return self._span(name, span_type, inputs)

    @contextmanager
    def _span(self, name: str, span_type: str, inputs: Any) -> Iterator[Span]:
        with self._lock:
            parent = self._open[-1] if self._open else None
            span = _Recorded(name, span_type, inputs, parent, time.time_ns())
            self._spans.append(span)
            index = len(self._spans) - 1
            self._open.append(index)
        try:
            yield span
        except BaseException:
            # An interrupt (waiting for a decision) ends the node span with ERROR too; the
            # trace itself ends OK, as MLflow's own LangGraph integration does.
            span.status = "ERROR"
            raise
        finally:
            span.end_ns = time.time_ns()
            with self._lock:
                self._open.remove(index)

    def end(self, outputs: Any = None, *, error: str | None = None) -> None:
        finished = _Finished(self._root, self._spans, outputs, error, time.time_ns())
        try:
            self._hand_over(finished)
        except Exception:  # a tracing problem must not become the run's problem
            log.exception("could not hand over trace %s", self.trace_id)


def _write(trace: _Finished) -> None:
    """Create the recorded spans in MLflow with their times, then end the root (which makes
    MLflow export the trace)."""
    import mlflow

    live: list[Any] = []
    try:
        for s in trace.spans:
            parent = trace.root if s.parent is None else live[s.parent]
            span = mlflow.start_span_no_context(
                s.name,
                span_type=s.span_type,
                parent_span=parent,
                inputs=s.inputs,
                attributes=s.attributes or None,
                start_time_ns=s.start_ns,
            )
            live.append(span)
        # Children before parents, as they ended.
        for s, span in reversed(list(zip(trace.spans, live, strict=False))):
            span.end(outputs=s.outputs, status=s.status, end_time_ns=s.end_ns or trace.end_ns)
    except Exception:
        log.exception("could not write the spans of trace %s", trace.root.trace_id)
    try:
        if trace.error:
            trace.root.set_attribute("error", trace.error)
        trace.root.end(
            outputs=trace.outputs,
            status="ERROR" if trace.error else "OK",
            end_time_ns=trace.end_ns,
        )
    except Exception:
        log.exception("could not end trace %s", trace.root.trace_id)


class _IdleWriter:
    """Writes finished traces from one daemon thread when runs leave the CPU to it."""

    def __init__(self, quiet_seconds: float, max_delay_seconds: float, max_pending: int) -> None:
        self.quiet = quiet_seconds
        self.max_delay = max_delay_seconds
        self.max_pending = max_pending
        self._pending: deque[_Finished] = deque()
        self._running = 0  # runs started and not yet ended
        self._writing = 0  # taken from the queue, being written
        self._last_activity = time.monotonic()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._pending) + self._writing

    def run_started(self) -> None:
        with self._changed:
            self._running += 1
            self._last_activity = time.monotonic()

    def add(self, trace: _Finished) -> None:
        with self._changed:
            self._running = max(0, self._running - 1)
            self._last_activity = time.monotonic()
            self._pending.append(trace)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="copilot-trace-writer", daemon=True
                )
                self._thread.start()
            self._changed.notify()

    def flush(self) -> None:
        with self._changed:
            todo = list(self._pending)
            self._pending.clear()
        for trace in todo:
            _write(trace)

    def _due(self, now: float) -> tuple[bool, float]:
        """Whether to write the oldest trace now, and else how long to wait before asking."""
        if not self._pending:
            return False, 3600.0
        quiet_for = now - self._last_activity
        if self._running == 0 and quiet_for >= self.quiet:
            return True, 0.0
        if (
            now - self._pending[0].queued_at >= self.max_delay
            or len(self._pending) > self.max_pending
        ):
            return True, 0.0  # never quiet: keep up anyway
        until_quiet = self.quiet - quiet_for if self._running == 0 else self.quiet
        until_overdue = self.max_delay - (now - self._pending[0].queued_at)
        return False, max(0.01, min(until_quiet, until_overdue))

    def _loop(self) -> None:
        # One trace at a time, asking again before each: a run that starts while traces
        # are being written waits for one trace's export at most.
        while True:
            with self._changed:
                due, wait = self._due(time.monotonic())
                while not due:
                    self._changed.wait(wait)
                    due, wait = self._due(time.monotonic())
                trace = self._pending.popleft()
                self._writing = 1
            _write(trace)
            with self._changed:
                self._writing = 0
