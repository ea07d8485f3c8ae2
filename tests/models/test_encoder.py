"""The real MiniLM encoder: the direct path for a few texts, and the compiled network for one
(ONNX Runtime, or TorchScript without it), give sentence-transformers' own numbers, and the
cache serves repeats."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models import single_text
from models.encoder import DIRECT_MAX, MiniLMEncoder

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week",
    "  leading and trailing spaces are ignored  ",
    "short",
    "",
    "Ünïcödé, emoji 🚀 and punctuation?!",
    "a very long request " * 120,  # beyond the 256-token limit: truncated the same way
]


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder()


def test_the_direct_path_matches_sentence_transformers(encoder: MiniLMEncoder) -> None:
    reference = encoder._load().encode(TEXTS, convert_to_numpy=True, show_progress_bar=False)
    assert encoder._direct_ok  # the installed model is the plain mean-pooling pipeline
    # onnxruntime is a dependency, so one text runs there.
    assert encoder.single_text_runtime() == "onnxruntime"

    one_by_one = np.vstack([encoder._direct(encoder._model, [t]) for t in TEXTS])
    padded_batch = encoder._direct(encoder._model, TEXTS)  # mixed lengths in one batch
    np.testing.assert_allclose(one_by_one, reference, atol=1e-5)
    np.testing.assert_allclose(padded_batch, reference, atol=1e-5)

    # Both compiled paths, from a graph recorded on one short text; these run 1 to 256 tokens.
    paths = single_text.compiled_paths(encoder._model)
    assert [p.runtime for p in paths] == ["onnxruntime", "torchscript"]
    for path in paths:
        vecs = np.vstack([encoder._direct(encoder._model, [t], path) for t in TEXTS])
        np.testing.assert_allclose(vecs, reference, atol=1e-5, err_msg=path.runtime)
        np.testing.assert_allclose(vecs, one_by_one, atol=1e-6, err_msg=path.runtime)
        assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_small_and_large_batches_agree_and_repeats_come_from_the_cache(
    encoder: MiniLMEncoder,
) -> None:
    texts = [f"staffing request number {i} for the Fabrikam migration" for i in range(20)]
    assert len(texts) > DIRECT_MAX
    batched = encoder.encode(texts)  # sentence-transformers' batching
    fresh = MiniLMEncoder()
    fresh._model, fresh._direct_ok = encoder._model, encoder._direct_ok
    fresh._single, fresh._single_built = encoder.compiled(), True
    direct = np.vstack([fresh.encode([t]) for t in texts])  # the compiled network, one at a time

    np.testing.assert_allclose(direct, batched, atol=1e-5)
    fresh._model = None  # a cache hit must not need the model
    np.testing.assert_array_equal(fresh.encode(texts[:3]), direct[:3])


def test_a_compiled_path_that_disagrees_with_the_model_is_not_used(
    encoder: MiniLMEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def wrong_export(traced: object, example: object, threads: int) -> single_text.SingleText:
        flat = np.full((1, 384), 384**-0.5, dtype=np.float32)  # unit length, but not the text's
        return single_text.SingleText("onnxruntime", lambda batch: flat)

    monkeypatch.setattr(single_text, "onnx_path", wrong_export)
    path = single_text.build(encoder._load())
    assert path is not None and path.runtime == "torchscript"


ORT_IN_A_FRESH_HOME = """
import torch
from models import single_text

class Sum(torch.nn.Module):
    def forward(self, ids, mask, types):
        return (ids + mask + types).float()

example = {name: torch.ones((1, 4), dtype=torch.int64) for name in single_text.INPUTS}
traced = torch.jit.trace(Sum(), tuple(example.values()))
path = single_text.onnx_path(traced, example, threads=1)
assert path is not None and path.runtime == "onnxruntime"
print(path.run({name: [[1, 2, 3, 4]] for name in single_text.INPUTS}).tolist())
"""


def test_onnx_runtime_reports_nothing_and_keeps_no_device_id(tmp_path: Path) -> None:
    # ONNX Runtime's telemetry keeps a device id and an event cache under the home directory.
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    done = subprocess.run(
        [sys.executable, "-c", ORT_IN_A_FRESH_HOME],
        env={**env, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / ".cache")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[[3.0, 6.0, 9.0, 12.0]]"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == []
