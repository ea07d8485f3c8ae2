"""Staffing: who an approver picked over the other candidates, as pairwise preferences.

An ``assign_staff`` proposal shows ranked candidates. Accepting it says the approver preferred
the top one to each of the others; overriding with another shown candidate says they preferred
that one to each of the others. Each such (preferred, other) pair of feature vectors is what
``models.staffing.fit_weights_from_preferences`` learns the ranking weights from. A reject
(nobody fits) or an override with someone who was not shown carries no comparable features
and is counted, not used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.staffing.features import FEATURES
from models.staffing.ranker import (
    Preference,
    StaffingRanker,
    fit_weights_from_preferences,
    pairwise_accuracy,
)
from models.tuning.records import DecisionRecord

KIND = "assign_staff"
# Regularisation strengths tried; part values are 0..1 and differences between candidates are
# small, so the default of 1.0 shrinks the weights' ratios more than the data warrants.
C_GRID = (1.0, 10.0, 100.0)

WeightsFor = Callable[[str | None], Mapping[str, float] | None]


def _no_weights(_: str | None) -> Mapping[str, float] | None:
    return None


@dataclass(frozen=True)
class Shown:
    """One candidate as the approver saw it: part values on 0..1."""

    consultant_id: int
    features: dict[str, float]


def _complete(values: Any) -> dict[str, float] | None:
    if not isinstance(values, Mapping) or not all(f in values for f in FEATURES):
        return None
    return {f: float(values[f]) for f in FEATURES}


def _from_score_parts(
    candidate: Mapping[str, Any], weights: Mapping[str, float] | None
) -> dict[str, float] | None:
    parts = _complete(candidate.get("score_parts"))
    if parts is None:
        return None
    score = float(candidate.get("score", math.nan))
    # Score parts are either the values themselves or weight x value, which sum to the score;
    # the latter are divided back by the weights of the ranker version that proposed.
    if abs(sum(parts.values()) - score) > 1e-3:
        return parts
    if weights is None or any(weights.get(f, 0.0) <= 0.0 for f in FEATURES):
        return None
    return {f: parts[f] / weights[f] for f in FEATURES}


# Where producers keep each candidate's part values, keyed by consultant id: the feature
# snapshot, or the recommender's own output that the copilot keeps beside it.
SNAPSHOT_PATHS = (("features", "candidates"), ("model_features", "candidate_features"))


def _snapshot(evidence: Mapping[str, Any]) -> Mapping[str, Any]:
    for outer, inner in SNAPSHOT_PATHS:
        found = evidence.get(outer)
        if isinstance(found, Mapping) and isinstance(found.get(inner), Mapping):
            return found[inner]  # type: ignore[no-any-return]
    return {}


def shown_candidates(
    record: DecisionRecord, weights: Mapping[str, float] | None = None
) -> list[Shown] | None:
    """The proposal's candidates in proposed order, or None if their values are unknown.

    Values come from the feature snapshot in the evidence (``SNAPSHOT_PATHS``) or, failing
    that, from each candidate's ``score_parts``.
    """
    by_id = _snapshot(record.evidence)
    out = []
    for c in record.payload.get("candidates", []):
        cid = int(c["consultant_id"])
        values = _complete(by_id.get(str(cid))) or _from_score_parts(c, weights)
        if values is None:
            return None
        out.append(Shown(cid, values))
    return out


def chosen_id(record: DecisionRecord) -> int | None:
    """Who the approver ended up with: the proposed person, another one, or nobody."""
    if record.final_payload is None:
        return None
    chosen = record.final_payload.get("chosen_consultant_id")
    return int(chosen) if chosen is not None else None


@dataclass
class Preferences:
    """Pairs learned from, which decision each came from, and what could not be used."""

    pairs: list[Preference] = field(default_factory=list)
    decision_of_pair: list[int] = field(default_factory=list)
    decisions_used: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


def preferences(
    records: Sequence[DecisionRecord], weights_for: WeightsFor = _no_weights
) -> Preferences:
    """(preferred, other) pairs from ``assign_staff`` decisions, in the records' order."""
    out = Preferences()
    for i, r in enumerate(x for x in records if x.type == KIND):
        winner = chosen_id(r)
        if winner is None:
            out.skip("rejected (nobody chosen)")
            continue
        shown = shown_candidates(r, weights_for(r.model_version))
        if shown is None:
            out.skip("candidates' feature values unknown")
            continue
        by_id = {s.consultant_id: s for s in shown}
        if winner not in by_id:
            out.skip("chose someone who was not shown")
            continue
        others = [s for s in shown if s.consultant_id != winner]
        if not others:
            out.skip("only one candidate shown")
            continue
        out.decisions_used += 1
        for s in others:
            out.pairs.append((by_id[winner].features, s.features))
            out.decision_of_pair.append(i)
    return out


@dataclass(frozen=True)
class StaffingFit:
    ranker: StaffingRanker
    c: float
    validation_accuracy: dict[float, float]  # per C tried, on the latest training decisions
    train_pairs: int


def fit_ranker(
    prefs: Preferences,
    base: StaffingRanker,
    *,
    c_grid: Sequence[float] = C_GRID,
    validation_share: float = 0.2,
) -> StaffingFit:
    """Weights learned from ``prefs``; C chosen on the latest ``validation_share`` of decisions.

    Pairs of one decision stay on one side of that split, so the choice of C is judged on
    decisions it did not see. The final weights are refit on every pair.
    """
    if len(prefs.pairs) < 2:
        raise ValueError("need at least two preference pairs to learn weights")
    decisions = sorted(set(prefs.decision_of_pair))
    n_val = max(1, round(len(decisions) * validation_share)) if len(decisions) > 1 else 0
    held = set(decisions[len(decisions) - n_val :])
    train = [p for p, d in zip(prefs.pairs, prefs.decision_of_pair, strict=True) if d not in held]
    val = [p for p, d in zip(prefs.pairs, prefs.decision_of_pair, strict=True) if d in held]
    scores: dict[float, float] = {}
    if len(train) >= 2 and val:
        for c in c_grid:
            try:
                scores[c] = pairwise_accuracy(
                    fit_weights_from_preferences(train, base=base, c=c), val
                )
            except ValueError:  # every weight clipped to zero at this C
                scores[c] = math.nan
    valid = {c: s for c, s in scores.items() if not math.isnan(s)}
    best = max(valid, key=lambda c: (valid[c], -c)) if valid else 10.0
    ranker = fit_weights_from_preferences(prefs.pairs, base=base, c=best)
    return StaffingFit(ranker, best, scores, len(prefs.pairs))


def rank_shown(ranker: StaffingRanker, shown: Sequence[Shown]) -> list[int]:
    """Consultant ids of ``shown`` best first by ``ranker``; ties keep the proposed order."""
    order = sorted(range(len(shown)), key=lambda i: (-ranker.score(shown[i].features), i))
    return [shown[i].consultant_id for i in order]


@dataclass(frozen=True)
class Agreement:
    """How often a ranker's first choice among the shown candidates is the approver's."""

    top_choice: float
    pairwise: float
    decisions: int
    pairs: int


def agreement(
    ranker: StaffingRanker,
    records: Sequence[DecisionRecord],
    weights_for: WeightsFor = _no_weights,
) -> Agreement:
    """Top-choice and pairwise agreement on decisions whose chosen person was shown."""
    hits = n = 0
    for r in (x for x in records if x.type == KIND):
        winner = chosen_id(r)
        shown = shown_candidates(r, weights_for(r.model_version)) if winner is not None else None
        if shown is None or winner not in {s.consultant_id for s in shown} or len(shown) < 2:
            continue
        n += 1
        hits += rank_shown(ranker, shown)[0] == winner
    prefs = preferences(records, weights_for)
    return Agreement(
        top_choice=hits / n if n else math.nan,
        pairwise=pairwise_accuracy(ranker, prefs.pairs) if prefs.pairs else math.nan,
        decisions=n,
        pairs=len(prefs.pairs),
    )
