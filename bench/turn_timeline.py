"""Where one chat turn's time goes, step by step: a timeline of every SQL statement, graph
node and checkpoint write of a staffing turn, through HTTP, medians over many turns.

    .venv/bin/python bench/turn_timeline.py --data-dir var/bench/copilot [--turns 100]

``bench/copilot.py`` gives the turn's p50/p99 and its split across graph nodes; this breaks
the same turn down further, to find what is worth making faster. It serves the app exactly
as that bench does (same data directory, seeded and trained on first use), with tracing
off, and records a mark at each step of each turn:

- the client sending the request and receiving the reply;
- each SQL statement of the app's database (``before_cursor_execute``) and each commit;
- the copilot storing the message (``start_turn``), each graph node's start and end, and
  the checkpointer's reads and writes;
- the message's one encode, and a bare encode of a fresh text between turns.

Each line is the median time since the previous mark: a statement's line holds whatever ran
before it was sent, including the previous statement's execution. Marks that occur in some
turns only (a background job's query) are listed after the total, with their count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.ports import NullTrace, Span
from bench.copilot import (
    DM_EMAIL,
    messages,
    open_threads,
    serving,
    staffing_app,
    staffing_reply,
)

Marks = list[tuple[float, str]]


class Timeline:
    """Marks of the turn in flight; the server's worker thread and the client both add."""

    def __init__(self) -> None:
        self.marks: Marks = []
        self._lock = threading.Lock()

    def mark(self, label: str) -> None:
        with self._lock:
            self.marks.append((time.perf_counter(), label))

    def has(self, label: str) -> bool:
        with self._lock:
            return any(m == label for _, m in self.marks)

    def take(self) -> Marks:
        with self._lock:
            marks, self.marks = self.marks, []
        return marks


class MarkingTrace(NullTrace):
    """A copilot trace that marks node starts and ends instead of recording spans."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    @contextmanager
    def span(self, name: str, *, span_type: str = "CHAIN", inputs: Any = None) -> Iterator[Span]:
        self.timeline.mark(f"node {name} starts")
        with super().span(name) as span:
            yield span
        self.timeline.mark(f"node {name} ends")

    def end(self, outputs: Any = None, *, error: str | None = None) -> None:
        self.timeline.mark("run ends")


class MarkingTracer:
    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def start(self, name: str, *, inputs: Any = None, tags: Any = None) -> MarkingTrace:
        self.timeline.mark("run starts")
        return MarkingTrace(self.timeline)


def wrap(obj: Any, method: str, timeline: Timeline, label: str) -> None:
    """Mark when ``obj.method`` is called and when it returns."""
    original: Callable[..., Any] = getattr(obj, method)

    def marked(*args: Any, **kwargs: Any) -> Any:
        timeline.mark(label)
        try:
            return original(*args, **kwargs)
        finally:
            timeline.mark(f"{label} done")

    setattr(obj, method, marked)


def instrument(app: Any, timeline: Timeline) -> Callable[[list[str]], Any]:
    """Mark the turn's steps; returns the encoder's own (unmarked) ``encode``."""
    from sqlalchemy import event

    copilot = app.state.services.require("copilot")
    copilot.context = replace(copilot.context, tracer=MarkingTracer(timeline))
    engine = app.state.runtime.sessions.kw["bind"]

    def statement(conn: Any, cursor: Any, sql: str, *rest: Any) -> None:
        timeline.mark("sql " + " ".join(sql.split())[:64])

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", lambda conn: timeline.mark("commit"))
    wrap(copilot, "start_turn", timeline, "start_turn")
    for method in ("get_tuple", "put", "put_writes"):
        wrap(copilot.checkpointer, method, timeline, f"checkpoint {method}")
    encoder = app.state.services.require("encoder")
    bare: Callable[[list[str]], Any] = encoder.encode

    def encode(texts: list[str]) -> Any:
        # The turn's first encode is the message's; later ones are cached phrase lookups.
        if len(texts) != 1 or timeline.has("encode"):
            return bare(texts)
        timeline.mark("encode")
        try:
            return bare(texts)
        finally:
            timeline.mark("encode done")

    encoder.encode = encode
    return bare


def steps(marks: Marks) -> list[tuple[str, float]]:
    """(label #n, ms since the previous mark) for each mark after the first."""
    seen: Counter[str] = Counter()
    out = []
    for (before, _), (at, label) in pairwise(marks):
        seen[label] += 1
        out.append((f"{label} #{seen[label]}", (at - before) * 1000))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    import httpx

    app, keys = staffing_app(args.data_dir, args.warmup + args.turns)
    timeline = Timeline()
    texts = messages()
    with serving(app) as base:
        bare = instrument(app, timeline)
        headers = {"Authorization": f"Bearer {keys[DM_EMAIL]}", "Accept": "application/json"}
        per_step: dict[str, list[float]] = defaultdict(list)
        order: list[str] = []
        totals: list[float] = []
        encodes: list[float] = []
        with httpx.Client(base_url=base, timeout=60) as http:
            threads = open_threads(http, args.warmup + args.turns, headers, "timeline")
            for i, thread in enumerate(threads):
                text = next(texts)
                timeline.take()
                timeline.mark("client sends")
                r = http.post(
                    f"/v1/chat/threads/{thread}/messages", json={"content": text}, headers=headers
                )
                timeline.mark("client has the reply")
                marks = timeline.take()
                staffing_reply(r, f"turn {i}: {text}")
                t0 = time.perf_counter()
                bare([f"a never-seen text {uuid.uuid4().hex}"])
                if i < args.warmup:
                    continue
                encodes.append((time.perf_counter() - t0) * 1000)
                totals.append((marks[-1][0] - marks[0][0]) * 1000)
                for label, ms in steps(marks):
                    if label not in per_step:
                        order.append(label)
                    per_step[label].append(ms)

    print(f"\n{args.turns} chat turns (after {args.warmup} warm-up), medians in ms:\n")
    regular = [s for s in order if len(per_step[s]) == args.turns]
    for label in regular:
        print(f"{statistics.median(per_step[label]):8.2f}  {label}")
    print(f"{statistics.median(totals):8.2f}  TOTAL (client sends -> client has the reply)")
    print(f"{statistics.median(encodes):8.2f}  a bare encode of a fresh text, between turns")
    for label in order:
        if label not in regular:
            n = len(per_step[label])
            print(f"{statistics.median(per_step[label]):8.2f}  {label}  (in {n} turns only)")


if __name__ == "__main__":
    main()
