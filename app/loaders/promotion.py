"""Model promotion wired into the approval queue: accepting ``promote_model`` swaps the model.

Runs last, after the models and the approval queue are loaded. Without a queue loaded by an
earlier loader it builds one (the same ``Governance.load()`` the proposals router would), so
that the app's routers use the instance that knows how to promote.
"""

from __future__ import annotations

import logging

from app.runtime import Runtime
from app.services import Services
from app.tuning.promoter import rebind_adapters, wire_promoter
from governance.service import Governance
from models.risk import RiskService
from models.tuning.risk_service import TunedRiskService, risk_service

log = logging.getLogger(__name__)
NAME = "promotion"


def load(runtime: Runtime, services: Services) -> None:
    """Wire the promoter; serve a promoted tuned risk model with the flag policy it learned."""
    governance = services.extras.get("governance")
    if not isinstance(governance, Governance):
        governance = Governance.load()
        services.extras["governance"] = governance
    wire_promoter(governance, services, runtime.settings)
    current = services.extras.get("risk")
    # The risk loader serves every model at the settings' threshold; a tuned one brings its own.
    if (
        isinstance(current, RiskService)
        and not isinstance(current, TunedRiskService)
        and getattr(current.model, "policy", None) is not None
    ):
        risk = runtime.settings.risk
        tuned = risk_service(
            current.model, current.version, flag_threshold=risk.flag_threshold, bands=risk.bands
        )
        services.extras["risk"] = tuned
        rebind_adapters(services)("risk", current, tuned)
        log.info("risk: serving v%s with its learned flag policy", current.version)
