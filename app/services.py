"""Heavy collaborators loaded once in the app's lifespan (encoder, models, graph, LLM client).

Routers reach them through ``ServicesDep``. Loaders live in ``app/loaders/``; tests build a
``Services`` with fakes or small models and pass it to ``create_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from app.runtime import Runtime
from domain.errors import OpsError

# The copilot under ``extras``, and, when it could not start, the reason the chat routes give.
COPILOT = "copilot"
COPILOT_UNAVAILABLE = "copilot_unavailable"


class ServiceUnavailable(OpsError):
    status_code = 503
    code = "service_unavailable"


@dataclass
class Services:
    """What the lifespan loaded, by name (``encoder``, ``classifier``, ``staffing``, ...)."""

    extras: dict[str, Any] = field(default_factory=dict)

    def require(self, name: str) -> Any:
        try:
            return self.extras[name]
        except KeyError:
            raise ServiceUnavailable(
                f"The {name} service is not loaded; run `opscopilot bootstrap` to train and "
                "register the models, then restart"
            ) from None


def load_services(runtime: Runtime, services: Services | None = None) -> Services:
    from app.loaders import loader_modules

    services = services or Services()
    for module in loader_modules():
        module.load(runtime, services)
    return services


def close_services(services: Services) -> None:
    for svc in services.extras.values():
        close = getattr(svc, "close", None)
        if callable(close):
            close()


async def get_services(request: Request) -> Services:  # no I/O: on the event loop
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
