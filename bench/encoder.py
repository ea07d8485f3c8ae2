"""One short text through the app's MiniLM encoder, four ways, in one process.

    .venv/bin/python bench/encoder.py [--texts 600]

- ``SentenceTransformer.encode``: the library's own call;
- the encoder's eager direct path (``MiniLMEncoder._direct`` without a compiled network):
  the same tokenizer, network, pooling and norm without the library's per-call bookkeeping;
- the network traced into TorchScript (``models.single_text.torchscript_path``);
- ``MiniLMEncoder.encode`` as the app runs it: the traced network on ONNX Runtime.

They take turns in blocks of 25 never-seen texts (so host noise hits all alike, and no way
runs right after another's, whose weights and buffers would have pushed its own out of the
caches); it prints p50/p99 of each. The first block of each is warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


BLOCK = 25


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=600, help="per way")
    args = parser.parse_args()

    from app.settings import configure_process_environment

    configure_process_environment()  # offline, no usage reporting, as the app runs
    from models import single_text
    from models.encoder import MiniLMEncoder

    encoder = MiniLMEncoder()
    t0 = time.perf_counter()
    model = encoder._load()
    runtime = encoder.single_text_runtime()  # builds the compiled network
    print(f"model loaded and compiled in {time.perf_counter() - t0:.1f} s (imports included)")
    compiled = {p.runtime: p for p in single_text.compiled_paths(model)}
    if "torchscript" not in compiled:
        raise SystemExit("the encoder did not trace; see the warning above")
    torchscript = compiled["torchscript"]
    ways: dict[str, Callable[[str], object]] = {
        "SentenceTransformer.encode": lambda t: model.encode(
            [t], convert_to_numpy=True, show_progress_bar=False
        ),
        "eager direct path": lambda t: encoder._direct(model, [t]),
        "TorchScript": lambda t: encoder._direct(model, [t], torchscript),
        f"MiniLMEncoder.encode ({runtime})": lambda t: encoder.encode([t]),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    order = list(ways.items())
    for block in range(args.texts // BLOCK):
        for k, (name, way) in enumerate(order[block % len(order) :] + order[: block % len(order)]):
            for i in range(BLOCK):
                text = (
                    f"I need a senior data engineer with Spark and Azure for Contoso, {i}h a week"
                )
                t0 = time.perf_counter()
                way(f"{text} (block {block:03d}, {k})")  # the same length for every way
                times[name].append((time.perf_counter() - t0) * 1000)
    for name, xs in times.items():
        xs = xs[BLOCK:]
        print(
            f"{name:34s} n={len(xs)}  p50={statistics.median(xs):.2f} ms  p99={p(xs, 0.99):.2f} ms"
        )


if __name__ == "__main__":
    main()
