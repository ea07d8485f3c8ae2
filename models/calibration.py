"""How well predicted probabilities match what happened: reliability bins and their error.

One definition for every model: the request classifier bins the confidence of its top label
against whether it was right; the overrun-risk model bins the probability of an overrun
against whether the project overran.
"""

from __future__ import annotations

import math

import numpy as np


def reliability_bins(
    predicted: np.ndarray, observed: np.ndarray, bins: int = 10
) -> list[tuple[float, float, int]]:
    """``(mean predicted, observed rate, count)`` for each non-empty equal-width bin of
    ``predicted`` (probabilities in 0..1; ``observed`` is 0/1 or boolean)."""
    idx = np.minimum((predicted * bins).astype(int), bins - 1)
    return [
        (float(predicted[idx == b].mean()), float(observed[idx == b].mean()), int((idx == b).sum()))
        for b in range(bins)
        if (idx == b).any()
    ]


def expected_calibration_error(
    predicted: np.ndarray, observed: np.ndarray, bins: int = 10
) -> float:
    """Mean |observed rate - mean predicted| over equal-width bins, weighted by bin size
    (NaN without rows)."""
    points = reliability_bins(predicted, observed, bins)
    n = sum(count for _, _, count in points)
    return sum(count * abs(rate - p) for p, rate, count in points) / n if n else math.nan
