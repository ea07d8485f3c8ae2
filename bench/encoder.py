"""One short text through the app's MiniLM encoder, against ``SentenceTransformer.encode``.

    .venv/bin/python bench/encoder.py [--texts 600]

Alternates the two on never-seen texts in one process (so host noise hits both alike) and
prints p50/p99 of each: what the encoder's direct path for a few texts saves on every chat
turn. The first 50 of each are warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from models.encoder import MiniLMEncoder

WARM_UP = 50


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=600)
    args = parser.parse_args()
    encoder = MiniLMEncoder()
    model = encoder._load()
    library: list[float] = []
    ours: list[float] = []
    for i in range(args.texts):
        text = f"I need a senior data engineer with Spark and Azure for Contoso, {i}h a week"
        t0 = time.perf_counter()
        model.encode([text + " (a)"], convert_to_numpy=True, show_progress_bar=False)
        library.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        encoder.encode([text + " (b)"])
        ours.append((time.perf_counter() - t0) * 1000)
    for name, xs in (("SentenceTransformer.encode", library), ("MiniLMEncoder.encode", ours)):
        xs = xs[WARM_UP:]
        print(
            f"{name:28s} n={len(xs)}  p50={statistics.median(xs):.2f} ms  p99={p(xs, 0.99):.2f} ms"
        )


if __name__ == "__main__":
    main()
