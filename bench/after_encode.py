"""How much slower the database work after an encode runs: the staffing reads, warm and cold.

    .venv/bin/python bench/after_encode.py --data-dir var/bench/copilot [--n 300]

In a chat turn the staffing node's reads (availability, then the candidates' profiles) come
right after the message's MiniLM encode, which streams some 90 MB of weights through the
CPU's caches. This times the same two reads on the demo firm's first 29 active consultants
(a typical pool after the availability filter), either straight after one another (warm)
or each right after an encode of a fresh text (as in a turn), alternating, and prints the
medians. The difference is a cost of every piece of Python that follows the encode, not of
these reads alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.copilot import prepared

POOL = 29
WARM_UP = 10  # reads of each kind left out of the medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()

    from sqlalchemy import select

    from domain.availability import availability
    from domain.db import make_engine, make_session_factory, unit_of_work
    from domain.tables import Consultant
    from models.encoder import MiniLMEncoder
    from models.staffing.profiles import load_profiles

    settings = prepared(args.data_dir)
    sessions = make_session_factory(make_engine(settings.db_url))
    encoder = MiniLMEncoder()
    encoder.warm_up()
    start = date.today()
    with unit_of_work(sessions) as session:
        pool = list(
            session.scalars(
                select(Consultant.id).where(Consultant.active).order_by(Consultant.id).limit(POOL)
            )
        )
        reads: dict[str, Callable[[], object]] = {
            "availability": lambda: availability(session, start, start + timedelta(weeks=12), pool),
            "load_profiles": lambda: load_profiles(session, pool),
        }
        times: dict[str, list[float]] = {
            f"{r}, {w}": [] for r in reads for w in ("warm", "after an encode")
        }
        for i in range(args.n):
            for name, read in reads.items():
                cold = i % 2 == 1
                if cold:
                    encoder.encode([f"a senior data engineer for Contoso {uuid.uuid4().hex}"])
                else:
                    read()  # the same read just before: everything it touches is in cache
                t0 = time.perf_counter()
                read()
                label = f"{name}, {'after an encode' if cold else 'warm'}"
                times[label].append((time.perf_counter() - t0) * 1000)
    print(f"\n{len(pool)} consultants, {args.n // 2 - WARM_UP} reads each way, medians:")
    for label, xs in times.items():
        print(f"  {label:<32} {statistics.median(xs[WARM_UP:]):6.3f} ms")


if __name__ == "__main__":
    main()
