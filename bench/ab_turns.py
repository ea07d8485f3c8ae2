"""Is a change to the chat turn faster? Both ways in one served process, turn by turn.

    .venv/bin/python bench/ab_turns.py --data-dir var/bench/copilot --toggle inline-writes

This host's speed drifts by a quarter within the hour, so two bench runs minutes apart
cannot tell a 1 ms change from the drift. Here one server (the app as ``bench/copilot.py``
serves it, same data directory, tracing off) answers staffing turns with a switch flipped on
every other turn; each turn is paired with the one before it, taken the other way. It
prints both medians and the median of the paired differences (B minus A): a change is real
when its sign holds over repeated runs.

Toggles (A is the code as served, B the alternative):

- ``inline-writes``: A writes a run's closing checkpoint on the run's thread
  (``agents/inline_writes.py``), B on LangGraph's own per-run threads.
- ``prefetch``: A starts the message's encode on the encoder's thread as the turn arrives
  (``MiniLMEncoder.prefetch``), B encodes it in the classifier, after the message is stored.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.copilot import (
    DM_EMAIL,
    messages,
    open_threads,
    percentile,
    serving,
    staffing_app,
    staffing_reply,
)


def inline_writes(copilot: Any) -> Callable[[bool], None]:
    served = copilot._inline_writes

    def switch(b: bool) -> None:
        copilot._inline_writes = served and not b

    return switch


def prefetch(copilot: Any) -> Callable[[bool], None]:
    served = copilot.context.classifier

    class EncodeInPlace:
        def prepare(self, text: str) -> None:
            pass

        def classify(self, text: str) -> Any:
            return served.classify(text)

    in_place = EncodeInPlace()

    def switch(b: bool) -> None:
        copilot.context = replace(copilot.context, classifier=in_place if b else served)

    return switch


TOGGLES: dict[str, Callable[[Any], Callable[[bool], None]]] = {
    "inline-writes": inline_writes,
    "prefetch": prefetch,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--toggle", choices=sorted(TOGGLES), required=True)
    parser.add_argument("--turns", type=int, default=400, help="timed turns, half each way")
    parser.add_argument("--warmup", type=int, default=40)
    args = parser.parse_args()

    import httpx

    from agents.ports import NullTracer

    app, keys = staffing_app(args.data_dir, args.warmup + args.turns)
    times: dict[bool, list[float]] = {False: [], True: []}
    pairs: list[float] = []
    with serving(app) as base:
        copilot = app.state.services.require("copilot")
        copilot.context = replace(copilot.context, tracer=NullTracer())
        switch = TOGGLES[args.toggle](copilot)
        dm = {"Authorization": f"Bearer {keys[DM_EMAIL]}", "Accept": "application/json"}
        texts = messages()
        with httpx.Client(base_url=base, timeout=60) as http:
            threads = open_threads(http, args.warmup + args.turns, dm, "ab")
            previous = 0.0
            for i, thread in enumerate(threads):
                b = bool(i % 2)
                switch(b)
                text = next(texts)
                t0 = time.perf_counter()
                r = http.post(
                    f"/v1/chat/threads/{thread}/messages", json={"content": text}, headers=dm
                )
                ms = (time.perf_counter() - t0) * 1000
                staffing_reply(r, f"turn {i} ({'B' if b else 'A'}): {text}")
                if i >= args.warmup:
                    times[b].append(ms)
                    if b:
                        pairs.append(ms - previous)
                previous = ms
        switch(False)
    a, b = times[False], times[True]
    print(f"\n{args.toggle}: {len(pairs)} pairs of chat turns, A = as served, B = the other way")
    print(f"  A  p50={statistics.median(a):.2f} ms  p99={percentile(a, 99):.2f} ms")
    print(f"  B  p50={statistics.median(b):.2f} ms  p99={percentile(b, 99):.2f} ms")
    print(f"  B - A, median of paired differences: {statistics.median(pairs):+.2f} ms")


if __name__ == "__main__":
    main()
