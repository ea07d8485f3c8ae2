"""The real MiniLM encoder: the direct path for a few texts, and the traced network for one,
give sentence-transformers' own numbers, and the cache serves repeats."""

from __future__ import annotations

import numpy as np
import pytest

from models.encoder import DIRECT_MAX, MiniLMEncoder

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
    assert encoder._single is not None  # and it traced

    one_by_one = np.vstack([encoder._direct(encoder._model, [t]) for t in TEXTS])
    padded_batch = encoder._direct(encoder._model, TEXTS)  # mixed lengths in one batch
    # The traced graph was recorded on a 6-token text; these run 1 to 256 tokens.
    traced = np.vstack([encoder._direct(encoder._model, [t], encoder._single) for t in TEXTS])

    np.testing.assert_allclose(one_by_one, reference, atol=1e-5)
    np.testing.assert_allclose(padded_batch, reference, atol=1e-5)
    np.testing.assert_allclose(traced, reference, atol=1e-5)
    np.testing.assert_allclose(traced, one_by_one, atol=1e-6)
    assert np.allclose(np.linalg.norm(traced, axis=1), 1.0, atol=1e-5)


def test_small_and_large_batches_agree_and_repeats_come_from_the_cache(
    encoder: MiniLMEncoder,
) -> None:
    texts = [f"staffing request number {i} for the Fabrikam migration" for i in range(20)]
    assert len(texts) > DIRECT_MAX
    batched = encoder.encode(texts)  # sentence-transformers' batching
    fresh = MiniLMEncoder()
    fresh._model, fresh._direct_ok = encoder._model, encoder._direct_ok
    fresh._single = encoder._single
    direct = np.vstack([fresh.encode([t]) for t in texts])  # the traced network, one at a time

    np.testing.assert_allclose(direct, batched, atol=1e-5)
    fresh._model = None  # a cache hit must not need the model
    np.testing.assert_array_equal(fresh.encode(texts[:3]), direct[:3])
