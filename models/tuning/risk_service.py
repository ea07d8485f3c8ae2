"""The risk service for a tuned model: flags follow the model's learned policy.

``RiskService`` flags at a fixed threshold from settings. A ``TunedRiskModel`` carries its
own threshold and, sometimes, a gate that approvers taught it (kinds of projects whose flags
they dismiss). ``risk_service`` builds whichever service the model needs, so a promoted model
is served with the policy it was evaluated with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from models.risk.features import features_on
from models.risk.model import RiskModel
from models.risk.service import RiskAssessment, RiskService
from models.tuning.risk_policy import FlagPolicy, policy_of


class TunedRiskService(RiskService):
    """A ``RiskService`` whose flags pass the model's gate as well as its threshold."""

    def __init__(
        self, model: RiskModel, version: str, *, policy: FlagPolicy, bands: Sequence[float]
    ) -> None:
        super().__init__(model, version, flag_threshold=policy.threshold, bands=bands)
        self.policy = policy

    def assess(
        self, session: Session, project_ids: Sequence[int] | None, as_of: date
    ) -> list[RiskAssessment]:
        """As ``RiskService.assess``; a flag the gate refuses is reported unflagged."""
        results = super().assess(session, project_ids, as_of)
        flagged = [r.project_id for r in results if r.flagged]
        if self.policy.gate is None or not flagged:
            return results
        # Only flagged projects are looked at again, so an unflagged batch costs nothing more.
        snaps = features_on(session, flagged, as_of)
        passes = self.policy.gate_passes([s.features for s in snaps])
        refused = {s.project_id for s, ok in zip(snaps, passes, strict=True) if not ok}
        return [replace(r, flagged=False) if r.project_id in refused else r for r in results]


def risk_service(
    model: RiskModel, version: str, *, flag_threshold: float, bands: Sequence[float]
) -> RiskService:
    """The service for ``model``: its own flag policy if it learned one, else the settings'."""
    if getattr(model, "policy", None) is None:
        return RiskService(model, version, flag_threshold=flag_threshold, bands=bands)
    return TunedRiskService(model, version, policy=policy_of(model, flag_threshold), bands=bands)
