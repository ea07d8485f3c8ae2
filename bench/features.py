"""One message's classifier features: scikit-learn's ``transform`` against the direct path.

    .venv/bin/python bench/features.py --data-dir var/bench/copilot [--texts 400]

Loads the request classifier's champion from the data directory (seeded and trained on
first use, as ``bench/copilot.py`` does) and times ``Featurizer.transform_with`` for one
message at a time, the embedding given: the two TF-IDF blocks plus the embedding block,
stacked. The two ways alternate on the bench's staffing messages: the featurizer as served
(``one_text_tfidf`` for each lexical block) and the same featurizer with that path switched
off (each block through ``TfidfVectorizer.transform``). It prints p50/p99 of each, and checks
that the two give the same matrix. Then the same for the class margins that follow: the
stacked row through ``LogisticRegression.decision_function`` against the classifier's
block-by-block sum (``RequestClassifier._one_row_margins``, as served).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.copilot import messages, percentile, prepared

WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--texts", type=int, default=400)
    args = parser.parse_args()

    from app.loaders.classifier import load_champion
    from models.encoder import MiniLMEncoder

    settings = prepared(args.data_dir)
    model = load_champion(settings, MiniLMEncoder())  # attached, never loaded: no encode here
    if model is None:
        raise SystemExit("no request classifier is registered in this data directory")
    served = model.featurizer
    lexical = [b for b in served.blocks if b != "embedding"]
    if any(served._single_text(b) is None for b in lexical):
        raise SystemExit("the served featurizer has no direct path for one of its blocks")
    library = type(served).__new__(type(served))  # the same fitted state, direct path off
    library.__dict__.update(served.__dict__, _one=dict.fromkeys(lexical))

    # The embedding is given, as in a chat turn after its encode: a fixed unit vector.
    embedding = np.full((1, 384), 384**-0.5, dtype=np.float32)
    times: dict[str, list[float]] = {"TfidfVectorizer.transform": [], "direct (as served)": []}
    ways = (("TfidfVectorizer.transform", library), ("direct (as served)", served))
    texts = messages()
    for i in range(args.texts):
        text = next(texts)
        out = {}
        for name, featurizer in ways if i % 2 else ways[::-1]:
            t0 = time.perf_counter()
            out[name] = featurizer.transform_with([text], embedding)
            times[name].append((time.perf_counter() - t0) * 1000)
        a, b = out.values()
        if a.shape != b.shape or not np.allclose(a.toarray(), b.toarray(), rtol=1e-12):
            raise SystemExit(f"the two ways disagree on {text!r}")
    margins = time_margins(model, embedding, args.texts)
    print(f"\n{model.version}: blocks {', '.join(served.blocks)}; one message at a time")
    for name, xs in {**times, **margins}.items():
        xs = xs[WARM_UP:]
        print(
            f"{name:32s} n={len(xs)}  p50={statistics.median(xs):.3f} ms  "
            f"p99={percentile(xs, 99):.3f} ms"
        )


def time_margins(model: Any, embedding: np.ndarray, n: int) -> dict[str, list[float]]:
    """The class margins of one message, features included: the stacked sparse row through
    ``decision_function`` against the classifier's own block-by-block sum (as served)."""
    featurizer = model.featurizer

    def stacked(text: str) -> np.ndarray:
        return np.asarray(model._lr.decision_function(featurizer.transform_with([text], embedding)))

    def by_block(text: str) -> np.ndarray:
        return np.asarray(model._one_row_margins(featurizer.one_text_blocks(text, embedding)))

    ways = (
        ("margins, stacked row + sklearn", stacked),
        ("margins, by block (as served)", by_block),
    )
    times: dict[str, list[float]] = {name: [] for name, _ in ways}
    texts = messages()
    for i in range(n):
        text = next(texts)
        out = []
        for name, way in ways if i % 2 else ways[::-1]:
            t0 = time.perf_counter()
            out.append(way(text))
            times[name].append((time.perf_counter() - t0) * 1000)
        if not np.allclose(out[0].ravel(), out[1].ravel(), rtol=1e-9, atol=1e-12):
            raise SystemExit(f"the two margins disagree on {text!r}")
    return times


if __name__ == "__main__":
    main()
