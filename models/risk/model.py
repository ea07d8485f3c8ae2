"""The overrun-risk model: a calibrated classifier over named features that explains itself.

Drivers are measured, not guessed: for each group of features the model is asked again with
that group set to its typical training value (median, or most common category), and the
driver's effect is how much the overrun probability moves. Positive effects pushed the risk
up. One batched ``predict_proba`` covers every project and every group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from models.risk.describe import describe
from models.risk.features import FeatureRow

# Effects smaller than this (half a percentage point) are noise, not a reason.
MIN_EFFECT = 0.005


@dataclass(frozen=True)
class Driver:
    """One reason for a project's risk: ``effect`` is the change in probability it causes."""

    factor: str
    effect: float
    sentence: str

    @property
    def direction(self) -> str:
        return "raises" if self.effect > 0 else "lowers"


class RiskModel:
    """Features in, calibrated overrun probability and drivers out.

    ``numeric`` columns are used as they are (NaN = unknown, which gradient boosting handles
    natively); ``categories`` maps each categorical column to its training vocabulary, one-hot
    encoded (an unseen category encodes as all zeros). ``reference`` holds the typical training
    value of every column; ``groups`` names the features that are explained together.
    """

    def __init__(
        self,
        *,
        estimator: Any,
        numeric: Sequence[str],
        categories: Mapping[str, Sequence[str]],
        groups: Mapping[str, Sequence[str]],
        reference: FeatureRow,
        source: str,
        trained_until: date | None = None,
    ) -> None:
        self.estimator = estimator
        self.numeric = list(numeric)
        self.categories = {k: list(v) for k, v in categories.items()}
        self.groups = {k: list(v) for k, v in groups.items()}
        self.reference = dict(reference)
        self.source = source  # "firm" (database snapshots) or "file:<name>"
        # The latest end among the training projects: only projects that ended after it are
        # unseen by this model.
        self.trained_until = trained_until

    @property
    def columns(self) -> list[str]:
        """Names of the encoded matrix columns, in order."""
        onehot = [f"{col}={v}" for col, vocab in self.categories.items() for v in vocab]
        return self.numeric + onehot

    @property
    def inputs(self) -> list[str]:
        """The feature names a row must provide (missing numeric ones count as unknown)."""
        return self.numeric + list(self.categories)

    def encode(self, rows: Sequence[Mapping[str, float | str]]) -> np.ndarray:
        """The model matrix for ``rows``."""
        out = np.zeros((len(rows), len(self.columns)), dtype=np.float64)
        for i, row in enumerate(rows):
            for j, name in enumerate(self.numeric):
                value = row.get(name, math.nan)
                out[i, j] = math.nan if value is None else float(value)
            j = len(self.numeric)
            for col, vocab in self.categories.items():
                category = row.get(col)
                for v in vocab:
                    out[i, j] = 1.0 if category == v else 0.0
                    j += 1
        return out

    def predict(self, rows: Sequence[Mapping[str, float | str]]) -> np.ndarray:
        """Calibrated probability that each project overruns."""
        if not rows:
            return np.zeros(0)
        return np.asarray(self.estimator.predict_proba(self.encode(rows))[:, 1])

    def explain(
        self,
        rows: Sequence[Mapping[str, float | str]],
        contexts: Sequence[Mapping[str, Any]] | None = None,
        *,
        top: int = 4,
    ) -> tuple[np.ndarray, list[list[Driver]]]:
        """Probabilities and, per row, the ``top`` drivers by size of effect."""
        if not rows:
            return np.zeros(0), []
        base = self.encode(rows)
        ref = self.encode([self.reference])[0]
        names = self.columns
        group_cols = {
            g: [names.index(c) for c in self._encoded(feats)] for g, feats in self.groups.items()
        }
        stacked = [base]
        for cols in group_cols.values():
            variant = base.copy()
            variant[:, cols] = ref[cols]
            stacked.append(variant)
        probs = np.asarray(self.estimator.predict_proba(np.vstack(stacked))[:, 1])
        n = len(rows)
        p = probs[:n]
        out: list[list[Driver]] = []
        for i, row in enumerate(rows):
            context = contexts[i] if contexts is not None else None
            effects = [(g, float(p[i] - probs[(k + 1) * n + i])) for k, g in enumerate(group_cols)]
            effects.sort(key=lambda e: -abs(e[1]))
            out.append(
                [
                    Driver(g, round(e, 4), describe(g, row, context))
                    for g, e in effects[:top]
                    if abs(e) >= MIN_EFFECT
                ]
            )
        return p, out

    def _encoded(self, features: Sequence[str]) -> list[str]:
        cols: list[str] = []
        for f in features:
            if f in self.categories:
                cols += [f"{f}={v}" for v in self.categories[f]]
            elif f in self.numeric:
                cols.append(f)
        return cols
