"""How well a request classifier does on labelled data it was not trained on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from models.calibration import expected_calibration_error, reliability_bins
from models.classifier.model import Prediction, RequestClassifier


@dataclass(frozen=True)
class SelectiveStats:
    """What the abstain rule does: how much goes to triage and how right the rest is."""

    abstain_rate: float
    # Accuracy of the predictions that were not abstained (what routing sees).
    answered_precision: float
    # Share of abstained items the model would have gotten wrong (1.0 = abstains only on
    # its mistakes; the model's overall error rate = no better than abstaining at random).
    abstain_precision: float
    n_abstained: int


def selective_stats(truth: Sequence[str], predictions: Sequence[Prediction]) -> SelectiveStats:
    abstained = np.array([p.abstained for p in predictions])
    correct = np.array([p.top_label == t for p, t in zip(predictions, truth, strict=True)])
    answered = ~abstained
    return SelectiveStats(
        abstain_rate=float(abstained.mean()),
        answered_precision=float(correct[answered].mean()) if answered.any() else float("nan"),
        abstain_precision=float((~correct[abstained]).mean()) if abstained.any() else float("nan"),
        n_abstained=int(abstained.sum()),
    )


@dataclass
class HoldoutReport:
    """One model's numbers on a held-out set."""

    macro_f1: float
    accuracy: float
    ece: float
    selective: SelectiveStats
    labels: list[str]
    confusion: np.ndarray
    per_class: dict[str, list[Any]] = field(default_factory=dict)
    reliability: list[tuple[float, float, int]] = field(default_factory=list)
    latency_ms: float = float("nan")  # median single-text predict, when measured

    def metrics(self, prefix: str = "") -> dict[str, float]:
        return {
            f"{prefix}macro_f1": self.macro_f1,
            f"{prefix}accuracy": self.accuracy,
            f"{prefix}ece": self.ece,
            f"{prefix}abstain_rate": self.selective.abstain_rate,
            f"{prefix}answered_precision": self.selective.answered_precision,
            f"{prefix}abstain_precision": self.selective.abstain_precision,
        }


def evaluate_holdout(
    model: RequestClassifier, texts: Sequence[str], truth: Sequence[str]
) -> HoldoutReport:
    """Score ``model`` on ``texts`` with known labels ``truth`` (never its training data)."""
    predictions = model.predict(texts)
    top = [p.top_label for p in predictions]
    labels = sorted(set(truth) | set(model.classes))
    conf = np.array([p.confidence for p in predictions])
    correct = np.array([a == b for a, b in zip(top, truth, strict=True)])
    prec, rec, f1, support = precision_recall_fscore_support(
        truth, top, labels=labels, zero_division=0
    )
    return HoldoutReport(
        macro_f1=float(f1_score(truth, top, labels=sorted(set(truth)), average="macro")),
        accuracy=float(correct.mean()),
        ece=expected_calibration_error(conf, correct),
        selective=selective_stats(truth, predictions),
        labels=labels,
        confusion=confusion_matrix(truth, top, labels=labels),
        per_class={
            "label": labels,
            "precision": [round(float(x), 4) for x in prec],
            "recall": [round(float(x), 4) for x in rec],
            "f1": [round(float(x), 4) for x in f1],
            "support": [int(x) for x in support],
        },
        reliability=reliability_bins(conf, correct),
    )


def median_latency_ms(model: RequestClassifier, texts: Sequence[str]) -> float:
    """Median wall time of classifying one text at a time (as the API does).

    Pass texts the encoder has not seen yet: its cache would otherwise hide the encode cost.
    """
    import time

    times = []
    for text in texts:
        start = time.perf_counter()
        model.predict([text])
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))
