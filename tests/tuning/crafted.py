"""Crafted decisions and a risk model whose probability is a number we choose.

``ChosenProbability`` reads the probability straight from one input column, so a test says
exactly how likely each project is. With the default column (``recent_burn_rate``, a real
risk feature) ``RiskService`` can serve the model; with a column that is no risk feature
(``HIDDEN``) the flag gate cannot see the probability, only the project.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from models.risk.dataset import Example
from models.risk.model import RiskModel
from models.staffing.features import FEATURES
from models.tuning.records import DecisionRecord

_ids = itertools.count(1)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
P_FEATURE = "recent_burn_rate"  # where a crafted row keeps its overrun probability
HIDDEN = "score"


class ChosenProbability:
    """An estimator whose overrun probability is column ``column`` of its input."""

    def __init__(self, column: int = 1, shift: float = 0.0) -> None:
        self.column = column
        self.shift = shift

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = np.clip(np.nan_to_num(x[:, self.column], nan=0.5) + self.shift, 0.0, 1.0)
        return np.column_stack([1 - p, p])


def risk_model(
    shift: float = 0.0,
    trained_until: date | None = date(2025, 12, 31),
    p_feature: str = P_FEATURE,
) -> RiskModel:
    return RiskModel(
        estimator=ChosenProbability(1, shift),
        numeric=("burn", p_feature),
        categories={"contract_type": ["fixed_fee", "time_and_materials"]},
        groups={"burn": ("burn",), "pace": (p_feature,), "contract": ("contract_type",)},
        reference={"burn": 0.5, p_feature: 0.5, "contract_type": "fixed_fee"},
        source="firm",
        trained_until=trained_until,
    )


def row(
    p: float, burn: float = 0.5, contract: str = "fixed_fee", p_feature: str = P_FEATURE
) -> dict[str, Any]:
    return {"burn": burn, p_feature: p, "contract_type": contract}


def record(
    kind: str,
    action: str,
    payload: Mapping[str, Any],
    final: Mapping[str, Any] | None,
    *,
    evidence: Mapping[str, Any] | None = None,
    model_version: str | None = "1",
    n: int | None = None,
    **kw: Any,
) -> DecisionRecord:
    i = next(_ids) if n is None else n
    return DecisionRecord(
        proposal_id=i,
        type=kind,
        action=action,
        reason_code=kw.pop("reason_code", "other"),
        decided_at=T0 + timedelta(hours=i),
        decided_by="approver@example.com",
        payload=payload,
        final_payload=final,
        evidence=evidence or {},
        model_version=model_version,
        **kw,
    )


def flag(features: Mapping[str, Any], confirmed: bool) -> DecisionRecord:
    payload = {"project_id": 1, "probability": 0.5, "severity": "high"}
    return record(
        "flag_risk",
        "accept" if confirmed else "reject",
        payload,
        payload if confirmed else None,
        evidence={"features": dict(features)},
    )


def outcome(group: str, p: float, overran: bool) -> Example:
    return Example(group, date(2026, 3, 1), "50%", row(p), int(overran))


def parts(**values: float) -> dict[str, float]:
    """A candidate's part values: 0.5 everywhere unless given."""
    return {f: values.get(f, 0.5) for f in FEATURES}


def staffing(
    candidates: list[tuple[int, dict[str, float]]],
    action: str,
    choice: int | None = None,
) -> DecisionRecord:
    """An assign_staff decision over ``candidates`` (id, part values), proposed in order."""
    payload = {
        "project_id": 1,
        "candidates": [
            {"consultant_id": cid, "name": f"C{cid}", "score": 0.0, "score_parts": {}}
            for cid, _ in candidates
        ],
        "chosen_consultant_id": candidates[0][0],
    }
    final = None
    if action == "accept":
        final = payload
    elif action == "override":
        final = {**payload, "chosen_consultant_id": choice}
    evidence = {"model_features": {"candidate_features": {str(c): f for c, f in candidates}}}
    return record("assign_staff", action, payload, final, evidence=evidence)
