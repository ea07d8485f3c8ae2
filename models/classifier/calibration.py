"""Choosing the confidence temperature, the abstain threshold and the out-of-domain floor.

All three are fitted on out-of-fold predictions over the training data (or on training
embeddings), never on the data the model is evaluated on.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from models.classifier.model import nearest_similarity, softmax


def fit_temperature(logits: np.ndarray, truth_idx: np.ndarray) -> float:
    """The temperature T minimising the log-loss of ``softmax(logits / T)``.

    A regularised logistic regression is under-confident on data like ours (mean confidence
    well below accuracy); one scalar fixes that without changing any prediction's ranking.
    """
    rows = np.arange(len(truth_idx))

    def nll(log_t: float) -> float:
        p = softmax(logits / np.exp(log_t))[rows, truth_idx]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    res = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(res.x))


def choose_threshold(
    confidence: np.ndarray,
    correct: np.ndarray,
    *,
    target_precision: float,
    min_coverage: float,
) -> float:
    """The lowest confidence threshold at which the answered predictions reach
    ``target_precision``, abstaining on at most ``1 - min_coverage`` of requests.

    If the target cannot be met within that budget, the threshold that keeps exactly
    ``min_coverage`` is returned: past that point triage would do the model's job.
    """
    order = np.argsort(-confidence)
    conf, hits = confidence[order], correct[order].astype(float)
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)  # answering the top k
    min_k = max(1, int(np.ceil(min_coverage * len(conf))))
    # Largest k (lowest threshold) whose answered set is precise enough.
    ok = np.nonzero(precision[min_k - 1 :] >= target_precision)[0]
    k = min_k + int(ok[-1]) if len(ok) else min_k
    if k >= len(conf):
        return 0.0
    # Halfway between the last answered and the first abstained confidence.
    return float((conf[k - 1] + conf[k]) / 2)


def novelty_floor(embeddings: np.ndarray, quantile: float) -> float:
    """Similarity below which a text counts as unlike the training data: the ``quantile`` of
    each training text's similarity to its nearest *other* training text."""
    sims = nearest_similarity(embeddings, embeddings, exclude_self=True)
    return float(np.quantile(sims, quantile))
