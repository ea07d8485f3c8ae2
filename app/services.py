"""Heavy collaborators loaded once in the app's lifespan (encoder, models, graph, LLM client).

Routers reach them through ``ServicesDep``. Each part of the system adds its own field and
loader here; tests build a ``Services`` with fakes or small models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from app.runtime import Runtime


@dataclass
class Services:
    """What the lifespan loaded. Fields are filled by ``load_services``."""

    extras: dict[str, Any]


def load_services(runtime: Runtime) -> Services:
    return Services(extras={})


def close_services(services: Services) -> None:
    return None


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
