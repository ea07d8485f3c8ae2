"""Registering a ranker in MLflow: default weights, or weights learned from approvers' choices.

With a preference file the pairs are split, the weights learned on one part and judged on the
other, beside the default weights as the baseline; the run records both accuracies, the weights
as a table and a bar chart, which is also written under the reports folder.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from models.registry import ModelStore, RegisteredModel, data_hash
from models.staffing.features import FEATURES
from models.staffing.ranker import (
    DEFAULT_WEIGHTS,
    MODEL_NAME,
    Preference,
    StaffingRanker,
    fit_weights_from_preferences,
    pairwise_accuracy,
)

Say = Callable[[str], None]


@dataclass(frozen=True)
class Trained:
    ranker: StaffingRanker
    registered: RegisteredModel
    alias: str
    metrics: dict[str, float]
    report_dir: Path


def split(
    pairs: Sequence[Preference], test_share: float, seed: int
) -> tuple[list[Preference], list[Preference]]:
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    n_test = max(1, round(test_share * len(pairs)))
    test = [pairs[i] for i in order[:n_test]]
    train = [pairs[i] for i in order[n_test:]]
    return train, test


def weights_figure(weights: Mapping[str, Mapping[str, float]], title: str) -> Figure:
    """A ranker's weight per part; several named sets of weights stand side by side.

    Built on ``Figure`` directly (no pyplot): no global backend or figure state is touched.
    """
    fig = Figure(figsize=(7, 3.5))
    ax = fig.subplots()
    x = range(len(FEATURES))
    width = 0.8 / len(weights) if len(weights) > 1 else 0.6
    for k, (label, w) in enumerate(weights.items()):
        offset = (k - (len(weights) - 1) / 2) * width
        ax.bar([i + offset for i in x], [w[f] for f in FEATURES], width, label=label)
    ax.set_xticks(list(x), [f.replace("_", "\n") for f in FEATURES], fontsize=8)
    ax.set_ylabel("weight")
    ax.set_title(title, fontsize=10)
    ax.legend()
    fig.tight_layout()
    return fig


def train_and_register(
    store: ModelStore,
    reports_dir: Path,
    *,
    preferences: Sequence[Preference] | None = None,
    promote: bool = False,
    test_share: float = 0.3,
    seed: int = 0,
    say: Say = print,
) -> Trained:
    """Register a ``staffing-ranker`` run; the first becomes champion, later ones challenger."""
    metrics: dict[str, float] = {}
    params: dict[str, Any] = {"features": ",".join(FEATURES)}
    base = StaffingRanker()
    if preferences:
        train, test = split(preferences, test_share, seed)
        say(f"staffing: learning weights from {len(train)} preference pairs, {len(test)} held out")
        ranker = fit_weights_from_preferences(train)
        metrics = {
            "pairwise_accuracy": pairwise_accuracy(ranker, test),
            "baseline_pairwise_accuracy": pairwise_accuracy(base, test),
            "train_pairwise_accuracy": pairwise_accuracy(ranker, train),
        }
        params.update(train_pairs=len(train), test_pairs=len(test), seed=seed)
        params["data_hash"] = data_hash(json.dumps(p, sort_keys=True) for p in preferences)
        title = (
            f"held-out pairwise accuracy {metrics['pairwise_accuracy']:.2f} "
            f"(default weights {metrics['baseline_pairwise_accuracy']:.2f})"
        )
        fig = weights_figure({"default": DEFAULT_WEIGHTS, "learned": ranker.weights}, title)
    else:
        say("staffing: registering the default weights")
        ranker = base
        fig = weights_figure({"default": DEFAULT_WEIGHTS}, "default weights")
    params.update({f"w_{f}": round(w, 4) for f, w in ranker.weights.items()})

    alias = store.alias_for_new(MODEL_NAME, promote=promote)
    say("staffing: logging the run to MLflow and registering the model")
    registered = store.log_model(
        MODEL_NAME,
        ranker,
        params=params,
        metrics=metrics,
        tags={"source": ranker.source},
        figures={"weights.png": fig},
        tables={
            "weights.json": {
                "part": list(FEATURES),
                "weight": [ranker.weights[f] for f in FEATURES],
            }
        },
        alias=alias,
        run_name=f"train-{MODEL_NAME}-{ranker.source}",
    )
    ranker.version = registered.version
    report = reports_dir / MODEL_NAME / f"v{registered.version}"
    report.mkdir(parents=True, exist_ok=True)
    fig.savefig(report / "weights.png", dpi=120)
    (report / "metrics.json").write_text(
        json.dumps(
            {"weights": ranker.weights, "metrics": metrics, "source": ranker.source}, indent=2
        )
    )
    return Trained(ranker, registered, alias, metrics, report)
