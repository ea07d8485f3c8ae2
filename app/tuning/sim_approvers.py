"""Simulated approvers: hidden, consistent preferences that decide proposals.

The models never see these rules; they only see the decisions. Each approver turns a
proposal into the ``DecisionCreate`` a person would send.

- **Staffing**: of the candidates shown, the approver takes the one with the best value of
  the default ranking score, plus a bonus for having worked for the client before and a
  smaller one for sitting in the project's region. The ranker has a client-history part, so
  that preference can be learned; it has no region part (region is only a hard limit when a
  request names one), so that one cannot.
- **Risk**: flags on projects under 20 % of their budget burned are dismissed (too early to
  tell), and so are flags on time-and-materials contracts (the client pays for extra hours);
  the rest are confirmed.
- **Routing**: the approver knows the category the request was written for and corrects
  every other prediction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from governance.schemas import DecisionCreate
from models.staffing import StaffingRanker


@dataclass(frozen=True)
class ShownCandidate:
    consultant_id: int
    features: Mapping[str, float]
    region: str


@dataclass(frozen=True)
class StaffingApprover:
    client_bonus: float = 0.25
    region_bonus: float = 0.08

    def utility(self, c: ShownCandidate, project_region: str) -> float:
        base = StaffingRanker().score(c.features)
        same_region = c.region.strip().lower() == project_region.strip().lower()
        return (
            base
            + self.client_bonus * c.features["client_history"]
            + self.region_bonus * same_region
        )

    def decide(self, shown: Sequence[ShownCandidate], project_region: str) -> DecisionCreate:
        """Accept the proposed (first) candidate if they are the best, else pick the best."""
        best = max(range(len(shown)), key=lambda i: (self.utility(shown[i], project_region), -i))
        if best == 0:
            return DecisionCreate(action="accept", reason_code="good_fit")
        top, pick = shown[0], shown[best]
        if pick.features["client_history"] > top.features["client_history"]:
            reason, note = "continuity", "Has worked for this client before."
        elif pick.region.lower() == project_region.lower() != top.region.lower():
            reason, note = "timezone_language", "Same region as the client."
        else:
            reason, note = "other", "A better overall fit for this team."
        return DecisionCreate(
            action="override", reason_code=reason, note=note, choice=pick.consultant_id
        )


@dataclass(frozen=True)
class RiskApprover:
    min_burn: float = 0.2
    dismissed_contracts: tuple[str, ...] = ("time_and_materials",)

    def confirms(self, features: Mapping[str, Any]) -> bool:
        burn = _num(features.get("burn"))
        if math.isnan(burn) or burn < self.min_burn:
            return False
        return features.get("contract_type") not in self.dismissed_contracts

    def decide(self, features: Mapping[str, Any]) -> DecisionCreate:
        if self.confirms(features):
            return DecisionCreate(action="accept", reason_code="risk_confirmed")
        if features.get("contract_type") in self.dismissed_contracts:
            note = "Time and materials: the client pays for the extra hours."
        else:
            note = f"Under {self.min_burn:.0%} of the budget burned: too early to tell."
        return DecisionCreate(action="reject", reason_code="false_positive", note=note)


@dataclass(frozen=True)
class RoutingApprover:
    def decide(self, predicted: str, truth: str) -> DecisionCreate:
        if predicted == truth:
            return DecisionCreate(action="accept", reason_code="correct_category")
        return DecisionCreate(action="override", reason_code="wrong_category", choice=truth)


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan
