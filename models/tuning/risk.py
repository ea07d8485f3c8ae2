"""Overrun risk: flags approvers confirmed or dismissed, and how projects actually ended.

Two things are learned, and kept apart on purpose:

- **The probability** stays a probability of overrunning. Outcomes of projects that closed
  after the champion was trained recalibrate it (a logistic map of the champion's log-odds,
  Platt scaling); the ranking of projects does not change.
- **The flag policy** is what approvers teach: the flag threshold, chosen to agree best with
  confirmed and dismissed flags and with the outcomes, and optionally a small decision tree
  over the project's features (a *gate*) that says which kinds of projects approvers dismiss
  whatever the probability (for instance: under 20 % burned). The gate is used only when
  cross-validation on the decisions shows it predicts them better than flagging everything.

A dismissal is a reject, or an override to a lower severity ("real, but less severe");
an accept, an edit or an override to a higher severity confirms the flag. The two parts live
in ``risk_calibration`` and ``risk_policy``; this module puts them together.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from models.risk.dataset import Example
from models.risk.model import RiskModel
from models.tuning.records import DecisionRecord
from models.tuning.risk_calibration import PlattRecalibrated, Recalibration, fit_recalibration
from models.tuning.risk_policy import (
    FlagDecisions,
    FlagPolicy,
    GateFit,
    Row,
    choose_threshold,
    fit_gate,
    policy_of,
)

KIND = "flag_risk"
SEVERITY_ORDER = ("low", "medium", "high", "critical")


class TunedRiskModel(RiskModel):
    """A risk model recalibrated on later outcomes that carries the flag policy it learned."""

    def __init__(
        self,
        base: RiskModel,
        *,
        estimator: Any,
        policy: FlagPolicy,
        trained_until: date | None,
        base_version: str,
    ) -> None:
        super().__init__(
            estimator=estimator,
            numeric=base.numeric,
            categories=base.categories,
            groups=base.groups,
            reference=base.reference,
            source=base.source,
            trained_until=trained_until,
        )
        self.policy = policy
        self.base_version = base_version


def flag_label(record: DecisionRecord) -> int | None:
    """1 if the approver confirmed the flag, 0 if they dismissed it, None if not a flag."""
    if record.type != KIND:
        return None
    if record.action == "reject":
        return 0
    if record.action == "override" and record.final_payload is not None:
        before = SEVERITY_ORDER.index(str(record.payload.get("severity", "high")))
        after = SEVERITY_ORDER.index(str(record.final_payload.get("severity", "high")))
        return int(after > before)
    return 1 if record.applied else None


def snapshot(record: DecisionRecord, inputs: Sequence[str]) -> Row | None:
    """The features the flag was raised on: the proposal's snapshot, else the caller's."""
    for candidate in (record.evidence.get("features"), record.features):
        if isinstance(candidate, Mapping) and all(name in candidate for name in inputs):
            return candidate
    return None


def flag_decisions(records: Sequence[DecisionRecord], inputs: Sequence[str]) -> FlagDecisions:
    rows: list[Row] = []
    labels: list[int] = []
    skipped = 0
    for r in records:
        label = flag_label(r)
        if label is None:
            continue
        row = snapshot(r, inputs)
        if row is None:
            skipped += 1
            continue
        rows.append(row)
        labels.append(label)
    return FlagDecisions(rows, np.asarray(labels, dtype=int), skipped)


@dataclass(frozen=True)
class RiskTuning:
    """The challenger and what went into it, for the run's record and the promotion report."""

    model: TunedRiskModel
    recalibration: Recalibration | None
    gate: GateFit
    threshold_before: float
    threshold_after: float
    threshold_scores: dict[float, float]
    decisions: int
    confirmed: int
    skipped: int
    outcome_projects: int

    def summary(self) -> dict[str, Any]:
        rc = self.recalibration
        return {
            "flag_decisions": self.decisions,
            "confirmed": self.confirmed,
            "dismissed": self.decisions - self.confirmed,
            "skipped_without_features": self.skipped,
            "outcome_projects": self.outcome_projects,
            "recalibration": None
            if rc is None
            else {
                "applied": rc.used,
                "slope": round(rc.slope, 4),
                "intercept": round(rc.intercept, 4),
                "projects": rc.projects,
                "brier_before": round(rc.brier_before, 4),
                "brier_out_of_fold": round(rc.brier_out_of_fold, 4),
            },
            "threshold_before": self.threshold_before,
            "threshold_after": self.threshold_after,
            "gate": {"used": self.gate.used, "note": self.gate.note, "rules": self.gate.rules},
        }


def tune(
    champion: RiskModel,
    champion_version: str,
    records: Sequence[DecisionRecord],
    outcomes: Sequence[Example],
    *,
    default_threshold: float,
    seed: int = 0,
) -> RiskTuning:
    """Recalibrate ``champion`` on ``outcomes`` and learn its flag policy from ``records``."""
    current = policy_of(champion, default_threshold)
    recal = fit_recalibration(champion, outcomes)
    estimator = (
        PlattRecalibrated(champion.estimator, recal.slope, recal.intercept)
        if recal is not None and recal.used
        else champion.estimator
    )
    # Outcomes it learned from count as seen: comparisons on outcomes start after them.
    seen = [e.ended_on for e in outcomes if e.ended_on is not None]
    if champion.trained_until is not None:
        seen.append(champion.trained_until)
    candidate = TunedRiskModel(
        champion,
        estimator=estimator,
        policy=FlagPolicy(current.threshold),
        trained_until=max(seen) if seen else None,
        base_version=champion_version,
    )
    found = flag_decisions(records, champion.inputs)
    gate = fit_gate(found, seed=seed)
    p_d = candidate.predict(found.rows) if found.rows else np.zeros(0)
    if gate.used:
        candidate.policy = FlagPolicy(
            current.threshold, gate.gate, gate.numeric, gate.categories, gate.rules
        )
    passes = candidate.policy.gate_passes(found.rows)
    p_o = candidate.predict([e.features for e in outcomes]) if outcomes else np.zeros(0)
    y_o = np.asarray([e.label for e in outcomes], dtype=int)
    threshold, scores = choose_threshold(current.threshold, (p_d, passes, found.labels), (p_o, y_o))
    candidate.policy.threshold = threshold
    return RiskTuning(
        model=candidate,
        recalibration=recal,
        gate=gate,
        threshold_before=current.threshold,
        threshold_after=threshold,
        threshold_scores=scores,
        decisions=len(found.labels),
        confirmed=int(found.labels.sum()),
        skipped=found.skipped,
        outcome_projects=len({e.group for e in outcomes}),
    )


@dataclass(frozen=True)
class FlagAgreement:
    accuracy: float  # flag decision matches confirmed / dismissed
    precision: float  # confirmed share of what it would flag: the acceptance rate approvers see
    flagged_share: float  # share of the decided flags it would still raise
    decisions: int


def agreement(
    model: RiskModel, records: Sequence[DecisionRecord], default_threshold: float
) -> FlagAgreement:
    """How a model's flag policy agrees with flag decisions it may not have made itself."""
    found = flag_decisions(records, model.inputs)
    if not found.rows:
        return FlagAgreement(math.nan, math.nan, math.nan, 0)
    flags = policy_of(model, default_threshold).flags(found.rows, model.predict(found.rows))
    confirmed = found.labels == 1
    return FlagAgreement(
        accuracy=float(np.mean(flags == confirmed)),
        precision=float(confirmed[flags].mean()) if flags.any() else math.nan,
        flagged_share=float(flags.mean()),
        decisions=len(found.rows),
    )
