"""The shared sentence encoder: one per process.

Creating it is cheap; the model loads on the first encode. The classifier loader's warm-up
pays that in the lifespan when a champion is registered.
"""

from __future__ import annotations

from app.runtime import Runtime
from app.services import Services
from models.encoder import MiniLMEncoder


def load(runtime: Runtime, services: Services) -> None:
    if "encoder" not in services.extras:
        services.extras["encoder"] = MiniLMEncoder()
