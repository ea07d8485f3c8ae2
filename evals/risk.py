"""Overrun-risk evaluation for the ``opscopilot eval`` harness.

By default the training recipe is rerun on the firm's projects that ended earlier and scored
on the later ones (a registered model has been refit on every finished project, so scoring it
on them would be scoring training data), beside the burn-rate rule. With ``compare`` two
registered versions are scored on the projects that ended after both were trained.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from evals.metrics import MetricRow
from evals.registered import load_registered, need_store
from models.registry import ModelStore
from models.risk import MODEL_NAME, RiskModel, firm_history
from models.risk.evaluation import flag_scores, scores, time_split
from models.risk.training import FIRM_SPEC, Evaluation, fit
from models.risk.training import evaluate as score_held_out

# (metric, higher is better)
METRICS = (
    ("roc_auc", True),
    ("brier", False),
    ("ece", False),
    ("flag_precision", True),
    ("flag_recall", True),
)
# The default of app.settings.RiskSettings.flag_threshold; `opscopilot eval` passes the
# configured one, as `train risk` uses it.
FLAG_THRESHOLD = 0.5


def _quiet(_: str) -> None:
    pass


def evaluate(
    session: Session,
    *,
    store: ModelStore | None = None,
    compare: tuple[str, str] | None = None,
    progress: Callable[[str], None] = _quiet,
    artifacts: dict[str, Any] | None = None,
    risk_flag_threshold: float = FLAG_THRESHOLD,
) -> list[MetricRow]:
    """Held-out rows for the overrun-risk model (see the module docstring); a probability at
    or above ``risk_flag_threshold`` is a flag."""
    if compare is not None:
        return compare_registered(session, need_store(store), compare, risk_flag_threshold)
    evaluation = run(session, progress=progress, flag_threshold=risk_flag_threshold)
    if artifacts is not None:
        artifacts[MODEL_NAME] = evaluation
    return rows(evaluation)


def run(
    session: Session,
    *,
    test_share: float = 0.3,
    seed: int = 0,
    progress: Callable[[str], None] = _quiet,
    flag_threshold: float = FLAG_THRESHOLD,
) -> Evaluation:
    """Train on the earlier finished projects, score the later ones."""
    examples = firm_history(session)
    split = time_split(examples, test_share)
    progress(
        f"risk: train on {split.train_groups} earlier projects, test on {split.test_groups} later"
    )
    model = fit(split.train, FIRM_SPEC, seed=seed)
    return score_held_out(model, split, threshold=flag_threshold)


def rows(evaluation: Evaluation) -> list[MetricRow]:
    """MetricRows for the metrics both the model and its baseline have."""
    m = evaluation.metrics
    notes = {
        "roc_auc": f"{evaluation.test_projects} later projects ({evaluation.test_rows} snapshots "
        f"at 25/50/75% of schedule); trained on {evaluation.train_projects} earlier ones",
        "flag_precision": f"ours flags at p >= {evaluation.threshold:g}",
    }
    return [
        MetricRow(
            MODEL_NAME,
            name,
            m[name],
            m[f"baseline_{name}"],
            higher,
            baseline_name=evaluation.baseline_name,
            note=notes.get(name, ""),
        )
        for name, higher in METRICS
        if f"baseline_{name}" in m
    ]


def compare_registered(
    session: Session,
    store: ModelStore,
    compare: tuple[str, str],
    flag_threshold: float = FLAG_THRESHOLD,
) -> list[MetricRow]:
    """Reference vs candidate alias on projects that ended after both models were trained."""
    models: dict[str, RiskModel] = {}
    versions: dict[str, str] = {}
    for alias in compare:
        versions[alias], models[alias] = load_registered(store, MODEL_NAME, alias, "risk")
    reference, candidate = compare
    cutoffs = [m.trained_until for m in models.values() if m.trained_until is not None]
    cutoff = max(cutoffs) if cutoffs else None
    unseen = [e for e in firm_history(session) if cutoff is None or (e.ended_on or cutoff) > cutoff]
    y = np.asarray([e.label for e in unseen])
    if len(set(y.tolist())) < 2:
        note = (
            f"{len({e.group for e in unseen})} projects ended after {cutoff}, the later "
            "training cut-off; an honest comparison needs overruns and on-budget projects among them"
        )
        return [MetricRow(MODEL_NAME, "roc_auc", math.nan, math.nan, note=note, delta_gated=False)]
    rows_ = [e.features for e in unseen]
    got = {}
    for alias, model in models.items():
        p = model.predict(rows_)
        got[alias] = scores(y, p) | flag_scores(y, p >= flag_threshold)
    return [
        MetricRow(
            MODEL_NAME,
            name,
            got[candidate][name],
            got[reference][name],
            higher,
            baseline_name=f"{reference} v{versions[reference]}",
            note=f"{candidate} v{versions[candidate]}; {len(unseen)} snapshots after {cutoff}"
            if name == "roc_auc"
            else "",
            delta_gated=False,
        )
        for name, higher in METRICS
    ]
