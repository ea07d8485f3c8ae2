"""What each model's tuner hands the runner: a challenger to register, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure

from models.tuning.verdict import Check


@dataclass
class Candidate:
    """A trained challenger, how it compares on recent decisions, and what to record."""

    model_name: str  # registry name
    eval_name: str  # the evals module that scores it on held-out data
    champion_version: str
    model: Any
    recent_checks: list[Check]
    recent_decisions: int
    training: dict[str, Any]  # what it learned from, for the run and the promotion report
    learned_from: str  # ``TuneContext.fingerprint`` of its inputs, tagged on the run
    params: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    tables: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    model_name: str
    reason: str
