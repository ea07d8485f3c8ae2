"""The flag policy approvers teach: a threshold, and sometimes a gate over the project.

The threshold is the grid value that agrees best with confirmed and dismissed flags and with
how projects ended. The gate is a shallow decision tree over the project's features (never
the probability itself) that says which kinds of projects approvers dismiss whatever the
probability; it is kept only when cross-validation on the decisions shows it predicts them
better than flagging everything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.risk.features import CATEGORICAL, NUMERIC
from models.risk.model import RiskModel

THRESHOLD_GRID = tuple(round(0.3 + 0.05 * i, 2) for i in range(13))  # 0.30 .. 0.90
MIN_GATE_DECISIONS = 30

Row = Mapping[str, Any]


@dataclass
class FlagPolicy:
    """When to flag: ``probability >= threshold`` and, with a gate, the gate's consent."""

    threshold: float
    gate: Any = None  # sklearn DecisionTreeClassifier: P(an approver confirms the flag)
    numeric: tuple[str, ...] = ()
    categories: dict[str, list[str]] = field(default_factory=dict)
    rules: str = ""  # the gate as readable rules

    @property
    def columns(self) -> list[str]:
        return list(self.numeric) + [f"{c}={v}" for c, vs in self.categories.items() for v in vs]

    def encode(self, rows: Sequence[Row]) -> np.ndarray:
        x = np.full((len(rows), len(self.columns)), math.nan)
        for i, row in enumerate(rows):
            for j, name in enumerate(self.numeric):
                x[i, j] = _num(row.get(name))
            j = len(self.numeric)
            for col, vocab in self.categories.items():
                for v in vocab:
                    x[i, j] = 1.0 if str(row.get(col)) == v else 0.0
                    j += 1
        return x

    def gate_passes(self, rows: Sequence[Row]) -> np.ndarray:
        """True where the gate lets a flag through (always, without a gate)."""
        if self.gate is None or not rows:
            return np.ones(len(rows), dtype=bool)
        out: np.ndarray = self.gate.predict_proba(self.encode(rows))[:, 1] >= 0.5
        return out

    def flags(self, rows: Sequence[Row], p: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.asarray(p) >= self.threshold
        if self.gate is not None and out.any():
            out &= self.gate_passes(rows)
        return out


def policy_of(model: RiskModel, default_threshold: float) -> FlagPolicy:
    """The model's learned policy, or a plain threshold for a model that has none."""
    policy = getattr(model, "policy", None)
    return policy if isinstance(policy, FlagPolicy) else FlagPolicy(default_threshold)


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


@dataclass(frozen=True)
class FlagDecisions:
    rows: list[Row]
    labels: np.ndarray  # 1 confirmed, 0 dismissed
    skipped: int  # flags whose features were not recorded or recomputed


@dataclass(frozen=True)
class GateFit:
    gate: Any  # the fitted tree when used, else None
    numeric: tuple[str, ...]
    categories: dict[str, list[str]]
    rules: str
    cv_accuracy: float  # the tree's out-of-fold agreement with the decisions
    cv_baseline: float  # flagging every one of them, as now: the confirm rate
    note: str

    @property
    def used(self) -> bool:
        return self.gate is not None


def _gate_columns(rows: Sequence[Row]) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    numeric = tuple(n for n in NUMERIC if any(not math.isnan(_num(r.get(n))) for r in rows))
    categories = {c: sorted({str(r[c]) for r in rows if c in r}) for c in CATEGORICAL}
    return numeric, {c: v for c, v in categories.items() if v}


def fit_gate(
    decisions: FlagDecisions, *, max_depth: int = 3, min_gain: float = 0.03, seed: int = 0
) -> GateFit:
    """A shallow tree predicting confirmation from the project's features, if it earns its place.

    It is kept when its out-of-fold agreement with the decisions beats flagging all of them
    (the confirm rate) by ``min_gain`` and it still lets some flags through.
    """
    from sklearn.model_selection import StratifiedKFold
    from sklearn.tree import DecisionTreeClassifier, export_text

    y = decisions.labels
    n = len(y)
    per_class = np.bincount(y, minlength=2) if n else np.zeros(2, dtype=int)
    confirm_rate = float(y.mean()) if n else math.nan
    if n < MIN_GATE_DECISIONS or per_class.min() < 5:
        note = (
            f"{n} flag decisions ({per_class[1]} confirmed, {per_class[0]} dismissed); a gate "
            f"needs {MIN_GATE_DECISIONS} with at least 5 of each"
        )
        return GateFit(None, (), {}, "", math.nan, confirm_rate, note)
    numeric, categories = _gate_columns(decisions.rows)
    x = FlagPolicy(0.0, numeric=numeric, categories=categories).encode(decisions.rows)
    confirmed = y == 1

    def tree() -> Any:
        leaf = max(5, n // 20)  # no rule from a handful of decisions
        return DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=leaf, random_state=seed)

    folds = StratifiedKFold(n_splits=min(5, int(per_class.min())), shuffle=True, random_state=seed)
    hits = 0
    for tr, va in folds.split(x, y):
        passes = tree().fit(x[tr], y[tr]).predict_proba(x[va])[:, 1] >= 0.5
        hits += int((passes == confirmed[va]).sum())
    cv = hits / n
    fitted = tree().fit(x, y)
    let_through = float((fitted.predict_proba(x)[:, 1] >= 0.5).mean())
    columns = FlagPolicy(0.0, numeric=numeric, categories=categories).columns
    rules = export_text(fitted, feature_names=columns, decimals=2)
    note = f"out-of-fold agreement {cv:.3f} vs {confirm_rate:.3f} flagging all"
    if cv < confirm_rate + min_gain:
        return GateFit(None, numeric, categories, "", cv, confirm_rate, note + "; no gate")
    if let_through < 0.1:
        note += f"; it would let only {let_through:.0%} of flags through, no gate"
        return GateFit(None, numeric, categories, "", cv, confirm_rate, note)
    return GateFit(fitted, numeric, categories, rules, cv, confirm_rate, note)


def agreement_score(
    threshold: float,
    decisions: tuple[np.ndarray, np.ndarray, np.ndarray],
    outcomes: tuple[np.ndarray, np.ndarray],
) -> float:
    """Mean agreement of ``p >= threshold`` with decisions and with outcomes, each source
    counting equally when present. ``decisions`` is (p, gate passes, confirmed)."""
    parts = []
    p_d, passes, confirmed = decisions
    if len(p_d):
        parts.append(float(np.mean(((p_d >= threshold) & passes) == (confirmed == 1))))
    p_o, overran = outcomes
    if len(p_o):
        parts.append(float(np.mean((p_o >= threshold) == (overran == 1))))
    return float(np.mean(parts)) if parts else math.nan


def choose_threshold(
    current: float,
    decisions: tuple[np.ndarray, np.ndarray, np.ndarray],
    outcomes: tuple[np.ndarray, np.ndarray],
    grid: Sequence[float] = THRESHOLD_GRID,
) -> tuple[float, dict[float, float]]:
    """The grid threshold that agrees best; ties go to the one nearest ``current``."""
    scores = {t: agreement_score(t, decisions, outcomes) for t in grid}
    valid = {t: s for t, s in scores.items() if not math.isnan(s)}
    if not valid:
        return current, scores
    best = max(valid, key=lambda t: (round(valid[t], 9), -abs(t - current)))
    return best, scores
