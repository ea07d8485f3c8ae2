"""The shared sentence encoder: one per process, warmed in the lifespan."""

from __future__ import annotations

from app.runtime import Runtime
from app.services import Services
from models.encoder import MiniLMEncoder


def load(runtime: Runtime, services: Services) -> None:
    if "encoder" not in services.extras:
        services.extras["encoder"] = MiniLMEncoder()
