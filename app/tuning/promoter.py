"""Promotion: the champion alias moves and the running service starts using the new model.

``ServicePromoter`` implements governance's ``ModelPromoter``. Accepting a ``promote_model``
proposal calls ``promote(name, version)`` inside the decision's transaction, as its last step:
the version is loaded first (a version that cannot be loaded raises, and the decision is not
recorded), then the ``champion`` alias moves, then the new model object replaces the old one
in ``services.extras`` under a lock. Requests look the model up per request, so the next one
uses it; one already running finishes with the model it started with.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.model_store import open_store
from app.services import COPILOT, Services
from app.settings import Settings
from domain.errors import InvalidInput
from governance.service import Governance
from models import classifier, staffing
from models.registry import CHAMPION, ModelStore
from models.risk import MODEL_NAME as RISK_MODEL
from models.tuning.risk_service import risk_service

log = logging.getLogger(__name__)

# Registry name -> the key its service has in ``services.extras``.
SERVICE_KEYS = {
    classifier.MODEL_NAME: "classifier",
    staffing.MODEL_NAME: "staffing",
    RISK_MODEL: "risk",
}
# (service key, object replaced, its replacement), after each swap.
SwapListener = Callable[[str, Any, Any], None]
# Attributes through which adapters hold a model object (the copilot's ports, the queue's
# candidate source); ``rebind_adapters`` points them at the new one.
HOLDING_ATTRIBUTES = ("model", "recommender", "service")


class ServicePromoter:
    """Implements ``governance.listeners.ModelPromoter`` for the running app."""

    def __init__(
        self, services: Services, settings: Settings, store: ModelStore | None = None
    ) -> None:
        self.services = services
        self.settings = settings
        self._store = store
        self._lock = threading.Lock()
        self._listeners: list[SwapListener] = []

    @property
    def store(self) -> ModelStore:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def subscribe(self, listener: SwapListener) -> None:
        """Call ``listener(service_key, old, new)`` after each swap."""
        self._listeners.append(listener)

    def promote(self, model_name: str, version: str) -> dict[str, Any]:
        """Make ``version`` the champion and serve it; raises if it cannot be loaded."""
        key = SERVICE_KEYS.get(model_name)
        if key is None:
            raise InvalidInput(
                f"no service serves a model named {model_name!r}; known: {', '.join(SERVICE_KEYS)}"
            )
        with self._lock:
            previous = self.store.alias_version(model_name, CHAMPION)
            try:
                loaded = self.store.load_version(model_name, version)
            except Exception as exc:  # MLflow raises its own exception types
                raise InvalidInput(
                    f"{model_name} version {version} cannot be loaded from the registry: {exc}"
                ) from exc
            service, note = self._service(key, loaded, version)
            self.store.set_alias(model_name, CHAMPION, version)
            old = self.services.extras.get(key)
            if service is not None:
                self.services.extras[key] = service
        if service is not None:
            for listener in self._listeners:
                try:
                    listener(key, old, service)
                except Exception:
                    log.exception("swap listener %r failed for %s", listener, key)
        log.info("promoted %s v%s (was v%s); %s", model_name, version, previous, note)
        return {
            "applied": True,
            "alias": CHAMPION,
            "version": version,
            "previous_version": previous,
            "service": key,
            "swapped": service is not None,
            "note": note,
        }

    def _service(self, key: str, loaded: Any, version: str) -> tuple[Any, str]:
        """The object to serve for ``loaded`` (None: nothing running to replace)."""
        extras = self.services.extras
        if key == "classifier":
            encoder = extras.get("encoder")
            if encoder is None:
                return None, "no encoder loaded; the classifier loads at the next start"
            loaded.attach(encoder)
            loaded.version = f"{classifier.MODEL_NAME}/{version}"
            return loaded, "serving the new classifier"
        if key == "staffing":
            loaded.version = version
            current = extras.get("staffing")
            if current is None:
                return None, "no staffing index loaded; the ranker loads at the next start"
            # Same profile index, new weights: nothing to re-embed.
            return staffing.StaffingRecommender(current.index, loaded), "serving the new ranker"
        risk = self.settings.risk
        service = risk_service(
            loaded, version, flag_threshold=risk.flag_threshold, bands=risk.bands
        )
        return service, f"serving the new risk model (flag threshold {service.flag_threshold:.2f})"


def rebind_adapters(services: Services) -> SwapListener:
    """A listener pointing adapters that were built around the old model at the new one.

    The copilot's ports and the queue's candidate source wrap the model they were given at
    start-up; without this they would keep serving the old one until a restart.
    """

    def holders() -> list[Any]:
        found: list[Any] = []
        governance = services.extras.get("governance")
        ctx = getattr(governance, "ctx", None)
        found.append(getattr(ctx, "candidate_source", None))
        context = getattr(services.extras.get(COPILOT), "context", None)
        found += [getattr(context, port, None) for port in ("classifier", "recommender", "risk")]
        return [h for h in found if h is not None]

    def rebind(key: str, old: Any, new: Any) -> None:
        if old is None:
            return
        for holder in holders():
            for attr in HOLDING_ATTRIBUTES:
                if getattr(holder, attr, None) is old:
                    setattr(holder, attr, new)

    return rebind


def wire_promoter(
    governance: Governance, services: Services, settings: Settings
) -> ServicePromoter:
    """Plug a ``ServicePromoter`` for ``services`` into ``governance``; also kept in services."""
    promoter = ServicePromoter(services, settings)
    promoter.subscribe(rebind_adapters(services))
    governance.set_promoter(promoter)
    services.extras["promoter"] = promoter
    return promoter
