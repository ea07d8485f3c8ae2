"""Recalibrating the overrun probability on how later projects actually ended.

Platt scaling: the champion's log-odds pass through a logistic map fitted on snapshots of
projects that closed after the champion was trained. The ranking of projects is unchanged; the
map is kept only when it predicts projects it was not fitted on better (out of fold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from models.risk.dataset import Example
from models.risk.model import RiskModel

MIN_RECALIBRATION_PROJECTS = 10
_EPS = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, _EPS, 1 - _EPS)
    out: np.ndarray = np.log(q / (1 - q))
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


class PlattRecalibrated:
    """An estimator whose overrun probability is ``sigmoid(slope * logit(p) + intercept)``."""

    base: Any
    slope: float
    intercept: float

    def __init__(self, base: Any, slope: float, intercept: float) -> None:
        # Recalibrating twice composes into one map over the original estimator.
        if isinstance(base, PlattRecalibrated):
            slope, intercept = slope * base.slope, slope * base.intercept + intercept
            base = base.base
        self.base = base
        self.slope = float(slope)
        self.intercept = float(intercept)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = np.asarray(self.base.predict_proba(x)[:, 1], dtype=np.float64)
        q = _sigmoid(self.slope * _logit(p) + self.intercept)
        return np.column_stack([1 - q, q])


def split_outcomes(
    examples: Sequence[Example], after: date | None, holdout_share: float
) -> tuple[list[Example], list[Example]]:
    """Snapshots of projects that ended after ``after``: (older part to learn from, newest part
    held out). Projects stay whole on one side."""
    later = [
        e for e in examples if e.ended_on is not None and (after is None or e.ended_on > after)
    ]
    ends = sorted({(e.ended_on, e.group) for e in later if e.ended_on is not None})
    n_hold = round(len(ends) * holdout_share)
    held = {g for _, g in ends[len(ends) - n_hold :]} if n_hold else set()
    return [e for e in later if e.group not in held], [e for e in later if e.group in held]


@dataclass(frozen=True)
class Recalibration:
    """Platt scaling fitted on later outcomes, and whether it held up out of fold."""

    slope: float
    intercept: float
    projects: int
    rows: int
    brier_before: float  # the champion's probabilities on these outcomes
    brier_out_of_fold: float  # recalibrated by maps fitted without each row's project
    used: bool

    @property
    def note(self) -> str:
        verdict = "applied" if self.used else "not applied: no better out of fold"
        return (
            f"on {self.projects} later projects Brier {self.brier_before:.4f} -> "
            f"{self.brier_out_of_fold:.4f} out of fold; {verdict}"
        )


def _platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    # Barely regularised: two parameters, and the point is to follow the outcomes.
    lr = LogisticRegression(C=100.0).fit(logits.reshape(-1, 1), y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def fit_recalibration(
    model: RiskModel, outcomes: Sequence[Example], *, min_gain: float = 0.001
) -> Recalibration | None:
    """Platt scaling of ``model``'s log-odds on ``outcomes``; None when they are too few.

    It is ``used`` only when maps fitted without a project's snapshots predict that project
    better than the champion does (out-of-fold Brier lower by ``min_gain``): a map that
    merely fits noise in a few dozen projects would make the next ones worse.
    """
    from sklearn.model_selection import GroupKFold

    projects = {e.group: e.label for e in outcomes}
    if len(projects) < MIN_RECALIBRATION_PROJECTS or set(projects.values()) != {0, 1}:
        return None
    p = model.predict([e.features for e in outcomes])
    y = np.asarray([e.label for e in outcomes])
    groups = np.asarray([e.group for e in outcomes])
    z = _logit(p)
    oof = np.empty(len(y))
    for tr, va in GroupKFold(n_splits=5).split(z, y, groups):
        if len(set(y[tr].tolist())) < 2:
            oof[va] = p[va]
            continue
        a, b = _platt(z[tr], y[tr])
        oof[va] = _sigmoid(a * z[va] + b)
    slope, intercept = _platt(z, y)
    before, after = float(np.mean((p - y) ** 2)), float(np.mean((oof - y) ** 2))
    return Recalibration(
        slope, intercept, len(projects), len(outcomes), before, after, after < before - min_gain
    )
