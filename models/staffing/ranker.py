"""The ranking model: one weight per part, stored in the model object and registered in MLflow.

A candidate's score is the weighted sum of its parts (``features.FEATURES``). The weights start
as defaults a resource manager would sign off, and can be learned from approvers' choices
between two candidates (``fit_weights_from_preferences``), which is what overrides in the
approval inbox record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from domain.errors import InvalidInput
from models.staffing.features import FEATURES
from models.staffing.request import Candidate, Facts, SkillEvidence

MODEL_NAME = "staffing-ranker"

DEFAULT_WEIGHTS: dict[str, float] = {
    "skill_similarity": 0.20,
    "skill_match": 0.40,
    "availability": 0.12,
    "margin": 0.12,
    "utilization_fit": 0.10,
    "client_history": 0.06,
}

LABELS = {
    "skill_similarity": "profile similarity",
    "skill_match": "skill match",
    "availability": "availability",
    "margin": "margin",
    "utilization_fit": "utilization fit",
    "client_history": "client history",
}

Preference = tuple[Mapping[str, float], Mapping[str, float]]


class UnusablePreferences(InvalidInput, ValueError):
    """Preference pairs no weights can be learned from.

    Also a ``ValueError``, which is what callers that try several settings catch.
    """


@dataclass
class StaffingRanker:
    """Weights over the parts of a candidate's score; ``version`` is set when loaded."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    source: str = "defaults"
    trained_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    version: str = "unregistered"

    def __post_init__(self) -> None:
        missing = [f for f in FEATURES if f not in self.weights]
        if missing:
            raise ValueError(f"weights missing for: {', '.join(missing)}")

    def parts(self, features: Mapping[str, float]) -> dict[str, float]:
        return {f: self.weights[f] * float(features[f]) for f in FEATURES}

    def score(self, features: Mapping[str, float]) -> float:
        return sum(self.parts(features).values())

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores of rows of features in ``FEATURES`` order (for batch use and MLflow)."""
        w = np.asarray([self.weights[f] for f in FEATURES], dtype=np.float64)
        return np.asarray(x, dtype=np.float64) @ w

    def with_weights(self, weights: Mapping[str, float], source: str) -> StaffingRanker:
        return replace(
            self,
            weights={f: float(weights[f]) for f in FEATURES},
            source=source,
            trained_at=datetime.now(UTC).isoformat(),
            version="unregistered",
        )


def fit_weights_from_preferences(
    pairs: Sequence[Preference],
    *,
    base: StaffingRanker | None = None,
    c: float = 1.0,
) -> StaffingRanker:
    """Learn weights from (preferred, other) feature pairs by pairwise logistic regression.

    Each pair becomes two rows, ``preferred - other`` labelled 1 and its negation labelled 0;
    the fitted coefficients (no intercept: the order of a pair carries no information) are the
    new weights, clipped at zero (a part where more is better should never count against a
    candidate) and rescaled to sum to 1 like the defaults.
    """
    from sklearn.linear_model import LogisticRegression

    if len(pairs) < 2:
        raise UnusablePreferences(
            f"need at least two preference pairs to learn weights, got {len(pairs)}; "
            "record more approvers' choices"
        )
    diffs = np.asarray(
        [[float(a[f]) - float(b[f]) for f in FEATURES] for a, b in pairs], dtype=np.float64
    )
    if not np.isfinite(diffs).all():
        # scikit-learn would fail on these with a message about its input array.
        n, k = (int(i) for i in np.argwhere(~np.isfinite(diffs))[0])
        a, b = pairs[n]
        raise UnusablePreferences(
            f"preference pair {n + 1}: {FEATURES[k]} is {a[FEATURES[k]]} (preferred) against "
            f"{b[FEATURES[k]]} (other); every part must be a finite number"
        )
    x = np.vstack([diffs, -diffs])
    y = np.concatenate([np.ones(len(diffs)), np.zeros(len(diffs))])
    model = LogisticRegression(fit_intercept=False, C=c, max_iter=1000)
    model.fit(x, y)
    coef = np.clip(model.coef_[0], 0.0, None)
    if coef.sum() <= 0:
        raise UnusablePreferences(
            "the preferences contradict every part, so every weight would be zero; check that "
            "'preferred' holds the candidate the approver chose in each pair"
        )
    coef = coef / coef.sum()
    start = base or StaffingRanker()
    return start.with_weights(dict(zip(FEATURES, coef.tolist(), strict=True)), "preferences")


def pairwise_accuracy(ranker: StaffingRanker, pairs: Sequence[Preference]) -> float:
    """Share of pairs where the ranker scores the preferred candidate strictly higher."""
    if not pairs:
        return float("nan")
    wins = sum(1 for a, b in pairs if ranker.score(a) > ranker.score(b))
    return wins / len(pairs)


# -- words -----------------------------------------------------------------------------------


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _skills_phrase(facts: Facts) -> str:
    # One held skill can stand for two asked ones ("SAP Central Finance" for "SAP Finance"
    # and for itself): name it once.
    held: list[SkillEvidence] = []
    for s in facts.skills:
        if s.level is not None and all(h.label != s.label for h in held):
            held.append(s)
    good = [f"{s.label} {s.level}/5" for s in held if s.level is not None and s.level >= s.asked]
    short = [
        f"{s.label} {s.level}/5 (asked {s.asked})"
        for s in held
        if s.level is not None and s.level < s.asked
    ]
    missing = [s.name for s in facts.skills if s.required and s.level is None]
    bits = []
    if good:
        bits.append(_and(good[:3]))
    if short:
        bits.append(_and(short[:2]))
    if missing:
        bits.append("no " + _and(missing[:2]))
    if not bits:
        return f"profile similarity {facts.similarity:.2f}"
    return "; ".join(bits)


RATE_WORDS = {
    "project": "the project's rate",
    "budget": "the budget rate",
    "own": "their usual rate",
}


def reasons(c: Candidate, start_label: str) -> str:
    """One sentence a resource manager can read at a glance."""
    f = c.facts
    bits = [
        _skills_phrase(f),
        f"free {f.free_hours:.0f} h/week from {start_label}",
        f"margin {f.margin:.0%} at {RATE_WORDS[f.rate_basis]}",
        f"{f.utilization_after:.0%} utilized with this (target {f.utilization_target:.0%})",
    ]
    if f.client_projects and f.client_name:
        bits.append(f"worked for {f.client_name} before")
    return "; ".join(bits)


def _detail(part: str, a: Facts, b: Facts) -> str:
    if part == "skill_similarity":
        return f"{a.similarity:.2f} vs {b.similarity:.2f}"
    if part == "skill_match":
        pairs = [
            f"{x.name} {x.level or 0}/5 vs {y.level or 0}/5"
            for x, y in zip(a.skills, b.skills, strict=True)
            if x.level != y.level
        ]
        return ", ".join(pairs[:3]) or "same skills, same levels"
    if part == "availability":
        return f"free {a.free_hours:.0f} vs {b.free_hours:.0f} h/week"
    if part == "margin":
        return f"{a.margin:.0%} vs {b.margin:.0%}"
    if part == "utilization_fit":
        return (
            f"{a.utilization_after:.0%} vs {b.utilization_after:.0%} utilized, "
            f"targets {a.utilization_target:.0%} and {b.utilization_target:.0%}"
        )
    client = a.client_name or b.client_name or "the client"
    worked = {True: "worked", False: "never worked"}
    return f"{worked[a.client_projects > 0]} for {client} vs {worked[b.client_projects > 0]}"


def explain_difference(a: Candidate, b: Candidate, *, top: int = 3) -> str:
    """Why the higher-scored of ``a`` and ``b`` ranks above the other: the parts that differ most."""
    hi, lo = (a, b) if a.score >= b.score else (b, a)
    diffs = sorted(
        ((p, hi.parts[p] - lo.parts[p]) for p in FEATURES),
        key=lambda item: abs(item[1]),
        reverse=True,
    )
    shown = [(p, d) for p, d in diffs if abs(d) >= 0.005][:top]
    head = f"{hi.name} ({hi.score:.2f}) ranks above {lo.name} ({lo.score:.2f})"
    if not shown:
        return f"{head} by a hair: no part differs by more than 0.005"
    ahead = [f"{LABELS[p]} +{d:.2f} ({_detail(p, hi.facts, lo.facts)})" for p, d in shown if d > 0]
    behind = [
        f"{LABELS[p]} +{-d:.2f} ({_detail(p, lo.facts, hi.facts)})" for p, d in shown if d < 0
    ]
    text = head + (": " + "; ".join(ahead) if ahead else "")
    if behind:
        text += f". {lo.name} is ahead on " + "; ".join(behind)
    return text + "."
