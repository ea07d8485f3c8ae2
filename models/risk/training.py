"""Fit the overrun model and measure it on later projects than it learned from."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from models.calibration import reliability_bins
from models.risk.dataset import Example
from models.risk.evaluation import (
    NotEnoughHistory,
    Split,
    baseline,
    flag_scores,
    rule_flags,
    scores,
    time_split,
)
from models.risk.features import CATEGORICAL, GROUPS, NUMERIC
from models.risk.model import RiskModel

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FeatureSpec:
    """Which columns a model reads and how they are grouped into drivers."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]]
    source: str


FIRM_SPEC = FeatureSpec(NUMERIC, CATEGORICAL, GROUPS, "firm")


@dataclass
class Evaluation:
    """Held-out results: the model trained on the earlier projects, scored on the later ones."""

    metrics: dict[str, float]  # ours; baseline values are under "baseline_<metric>"
    baseline_name: str
    threshold: float
    train_projects: int
    test_projects: int
    train_rows: int
    test_rows: int
    y: np.ndarray
    p: np.ndarray
    p_baseline: np.ndarray
    by_stage: dict[str, dict[str, float]] = field(default_factory=dict)
    importance: dict[str, float] = field(default_factory=dict)  # mean |effect| per driver

    def reliability(self) -> dict[str, list[tuple[float, float, int]]]:
        """Reliability points (mean predicted, observed rate, count) of model and baseline."""
        return {
            "model": reliability_bins(self.p, self.y),
            self.baseline_name: reliability_bins(self.p_baseline, self.y),
        }


@dataclass
class TrainingResult:
    model: RiskModel  # refit on every finished project, the one to register
    evaluation: Evaluation
    examples: int
    projects: int
    params: dict[str, Any]


def fit(
    examples: Sequence[Example],
    spec: FeatureSpec,
    *,
    calibration: str = "sigmoid",
    seed: int = 0,
) -> RiskModel:
    """Gradient boosting calibrated on held-out folds of ``examples`` (grouped by project)."""
    rows = [e.features for e in examples]
    y = np.asarray([e.label for e in examples])
    groups = [e.group for e in examples]
    vocab = {c: sorted({str(r[c]) for r in rows if c in r}) for c in spec.categorical}
    model = RiskModel(
        estimator=None,
        numeric=spec.numeric,
        categories=vocab,
        groups=spec.groups,
        reference=_reference(rows, spec),
        source=spec.source,
        trained_until=max((e.ended_on for e in examples if e.ended_on), default=None),
    )
    X = model.encode(rows)
    # Folds by project, so a project's snapshots never calibrate the classifier that saw them.
    per_class = Counter({g: int(lbl) for g, lbl in zip(groups, y, strict=True)}.values())
    k = min(5, per_class[0], per_class[1])
    if k < 2:
        raise NotEnoughHistory(
            "calibration needs at least two projects that overran and two that did not in "
            f"the training history (have {per_class[1]} and {per_class[0]})"
        )
    folds = list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(X, y, groups))
    booster = HistGradientBoostingClassifier(
        learning_rate=0.1,
        max_iter=100,
        max_leaf_nodes=15,
        min_samples_leaf=max(5, min(20, len(rows) // 20)),
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    estimator = CalibratedClassifierCV(booster, method=calibration, cv=folds)
    # One OpenMP thread: the data is small, and on a shared two-core machine a second thread
    # spin-waits for a busy core (measured 2.5x slower under load).
    with threadpool_limits(limits=1):
        estimator.fit(X, y)
    model.estimator = estimator
    return model


def evaluate(model: RiskModel, split: Split, *, threshold: float) -> Evaluation:
    """Score ``model`` (trained on ``split.train``) on ``split.test``, beside the baseline."""
    y_train = np.asarray([e.label for e in split.train])
    y = np.asarray([e.label for e in split.test])
    rows = [e.features for e in split.test]
    p, drivers = model.explain(rows, top=len(model.groups))
    name, p_base = baseline(split.test, float(y_train.mean()))
    metrics = scores(y, p)
    metrics |= flag_scores(y, p >= threshold)
    metrics |= {f"baseline_{k}": v for k, v in scores(y, p_base).items()}
    if name == "burn-rate rule":
        metrics |= {f"baseline_{k}": v for k, v in flag_scores(y, rule_flags(rows)).items()}
    metrics["base_rate_brier"] = float(np.mean((y - y_train.mean()) ** 2))
    by_stage = {}
    for stage in sorted({e.stage for e in split.test}):
        idx = np.asarray([e.stage == stage for e in split.test])
        s = scores(y[idx], p[idx])
        b = scores(y[idx], p_base[idx])
        by_stage[stage] = {
            "rows": float(idx.sum()),
            "roc_auc": s["roc_auc"],
            "baseline_roc_auc": b["roc_auc"],
            "brier": s["brier"],
            "baseline_brier": b["brier"],
        }
    totals: dict[str, float] = defaultdict(float)
    for row in drivers:
        for d in row:
            totals[d.factor] += abs(d.effect)
    importance = {g: totals[g] / len(rows) for g in model.groups}
    return Evaluation(
        metrics=metrics,
        baseline_name=name,
        threshold=threshold,
        train_projects=split.train_groups,
        test_projects=split.test_groups,
        train_rows=len(split.train),
        test_rows=len(split.test),
        y=y,
        p=p,
        p_baseline=p_base,
        by_stage=by_stage,
        importance=importance,
    )


def train_and_evaluate(
    examples: Sequence[Example],
    spec: FeatureSpec,
    *,
    threshold: float,
    test_share: float = 0.3,
    calibration: str = "sigmoid",
    seed: int = 0,
    progress: Progress | None = None,
) -> TrainingResult:
    """Evaluate on a time split, then refit on all projects for the model to register.

    The metrics describe the recipe on projects it had not seen; the registered model is the
    same recipe given every finished project, since the latest outcomes matter most.
    """
    say = progress or (lambda _msg: None)
    split = time_split(examples, test_share)
    say(
        f"time split: train on {split.train_groups} earlier projects ({len(split.train)} rows), "
        f"test on {split.test_groups} later ones ({len(split.test)} rows)"
    )
    held_out = fit(split.train, spec, calibration=calibration, seed=seed)
    say("scoring the later projects")
    evaluation = evaluate(held_out, split, threshold=threshold)
    say(f"refitting on all {split.train_groups + split.test_groups} projects")
    model = fit(examples, spec, calibration=calibration, seed=seed)
    params = {
        "calibration": calibration,
        "test_share": test_share,
        "seed": seed,
        "features": ",".join(model.inputs),
        "source": spec.source,
        "label_rule": "actual_hours > 1.1 x (budget_hours + approved change-request hours)",
        "train_projects": evaluation.train_projects,
        "test_projects": evaluation.test_projects,
        "flag_threshold": threshold,
        "baseline": evaluation.baseline_name,
    }
    return TrainingResult(
        model=model,
        evaluation=evaluation,
        examples=len(examples),
        projects=evaluation.train_projects + evaluation.test_projects,
        params=params,
    )


def _reference(
    rows: Sequence[Mapping[str, float | str]], spec: FeatureSpec
) -> dict[str, float | str]:
    ref: dict[str, float | str] = {}
    for name in spec.numeric:
        values = [float(r[name]) for r in rows if name in r and not math.isnan(float(r[name]))]
        ref[name] = statistics.median(values) if values else math.nan
    for name in spec.categorical:
        seen = Counter(str(r[name]) for r in rows if name in r)
        ref[name] = seen.most_common(1)[0][0] if seen else ""
    return ref
