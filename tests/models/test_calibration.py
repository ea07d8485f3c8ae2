"""Reliability bins and expected calibration error, shared by the classifier and risk models."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.calibration import expected_calibration_error, reliability_bins


def test_bins_hold_mean_prediction_observed_rate_and_count() -> None:
    predicted = np.array([0.05, 0.15, 0.12, 0.95, 1.0])
    observed = np.array([0, 0, 1, 1, 1])
    bins = reliability_bins(predicted, observed)
    assert [(round(p, 3), rate, n) for p, rate, n in bins] == [
        (0.05, 0.0, 1),
        (0.135, 0.5, 2),
        (0.975, 1.0, 2),  # 1.0 falls in the last bin, not an eleventh
    ]


def test_the_error_weighs_each_bin_by_its_size() -> None:
    predicted = np.array([0.05, 0.15, 0.12, 0.95, 1.0])
    observed = np.array([0, 0, 1, 1, 1])
    # |0 - 0.05| x 1 + |0.5 - 0.135| x 2 + |1 - 0.975| x 2, over 5 rows
    assert expected_calibration_error(predicted, observed) == pytest.approx(0.166)


def test_perfect_calibration_scores_zero_and_no_rows_score_nothing() -> None:
    predicted = np.array([0.25] * 4 + [0.75] * 4)
    observed = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=bool)
    assert expected_calibration_error(predicted, observed) == pytest.approx(0.0)
    assert math.isnan(expected_calibration_error(np.array([]), np.array([])))
