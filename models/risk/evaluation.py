"""Scoring probabilities honestly: the time split, the burn-rate baseline, calibration metrics."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from domain.errors import InvalidInput
from models.calibration import expected_calibration_error
from models.risk.dataset import Example

# The rule a delivery manager applies by eye: flag when burn runs 15 points ahead of progress.
RULE_MARGIN = 0.15


class NotEnoughHistory(InvalidInput):
    """The history cannot support an honest train/test split."""

    code = "not_enough_history"


@dataclass(frozen=True)
class Split:
    train: list[Example]
    test: list[Example]

    @property
    def train_groups(self) -> int:
        return len({e.group for e in self.train})

    @property
    def test_groups(self) -> int:
        return len({e.group for e in self.test})


def time_split(examples: Sequence[Example], test_share: float) -> Split:
    """Earlier-ending projects train, the latest ``test_share`` of projects test.

    All snapshots of a project land on the same side. Projects without an end date keep the
    order they came in (a history file is taken to be in time order).
    """
    if not 0.0 < test_share < 1.0:
        raise InvalidInput(f"test share must be between 0 and 1 (got {test_share})")
    first_seen: dict[str, int] = {}
    ended: dict[str, tuple[int, str, int]] = {}
    for i, e in enumerate(examples):
        first_seen.setdefault(e.group, i)
        day = e.ended_on.toordinal() if e.ended_on else 0
        ended[e.group] = (day, e.group, first_seen[e.group])
    order = sorted(ended, key=lambda g: (ended[g][0], ended[g][2]))
    n_test = max(1, round(len(order) * test_share))
    test_groups = set(order[len(order) - n_test :])
    split = Split(
        train=[e for e in examples if e.group not in test_groups],
        test=[e for e in examples if e.group in test_groups],
    )
    for side, rows in (("training (earlier)", split.train), ("test (later)", split.test)):
        labels = {e.label for e in rows}
        if labels != {0, 1}:
            have = "only overruns" if labels == {1} else "no overruns" if labels else "no rows"
            raise NotEnoughHistory(
                f"the {side} projects have {have}; a model needs finished projects that "
                f"overran and ones that did not on both sides of the time split "
                f"({len(order)} projects in all)"
            )
    return split


def _burn_and_progress(features: Mapping[str, float | str]) -> tuple[float, float] | None:
    """Budget burned and progress, progress from the latest status note or, without one, the
    share of schedule elapsed. None when either is not known."""
    burn = _num(features.get("burn"))
    progress = _num(features.get("percent_complete"))
    if math.isnan(progress):
        progress = _num(features.get("schedule_elapsed"))
    if math.isnan(burn) or math.isnan(progress):
        return None
    return burn, progress


def burn_rule(features: Mapping[str, float | str]) -> float | None:
    """The baseline: p = clip(burn / progress - 1, 0, 1). None when burn is not known."""
    known = _burn_and_progress(features)
    if known is None:
        return None
    burn, progress = known
    return min(max(burn / max(progress, 0.05) - 1.0, 0.0), 1.0)


def rule_flags(features: Sequence[Mapping[str, float | str]]) -> np.ndarray:
    """Flags of the eyeball rule "burn more than 15 points ahead of progress"."""
    known = [_burn_and_progress(f) for f in features]
    return np.asarray([k is not None and k[0] > k[1] + RULE_MARGIN for k in known], dtype=bool)


def baseline(examples: Sequence[Example], train_rate: float) -> tuple[str, np.ndarray]:
    """The baseline's name and probabilities: the burn rule where every row has burn and
    progress, otherwise the training base rate (all a history of totals supports)."""
    rule = [burn_rule(e.features) for e in examples]
    if examples and all(r is not None for r in rule):
        return "burn-rate rule", np.asarray(rule, dtype=float)
    return "training base rate", np.full(len(examples), train_rate)


def scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """ROC-AUC, Brier score and expected calibration error."""
    auc = float(roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else math.nan
    return {
        "roc_auc": auc,
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(p, y),
    }


def flag_scores(y: np.ndarray, flags: np.ndarray) -> dict[str, float]:
    """Precision and recall of yes/no flags."""
    tp = float((flags & (y == 1)).sum())
    return {
        "flag_precision": tp / float(flags.sum()) if flags.sum() else math.nan,
        "flag_recall": tp / float((y == 1).sum()) if (y == 1).sum() else math.nan,
    }


def _num(v: float | str | None) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
