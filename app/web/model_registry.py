"""Champion and challenger of each registered model, side by side, read from MLflow.

The metrics page shows this table and offers to propose a promotion; the promotion itself is a
``promote_model`` proposal in the approval queue, never an alias change made from here.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from app.settings import Settings

log = logging.getLogger(__name__)

CHAMPION = "champion"
CHALLENGER = "challenger"
# Metrics where a smaller number is the better model.
_LOWER_IS_BETTER = ("brier", "loss", "error", "ece", "mae", "rmse", "latency", "seconds", "ms")


@dataclass(frozen=True)
class VersionInfo:
    version: str
    run_id: str
    created: datetime | None
    metrics: dict[str, float]


@dataclass(frozen=True)
class MetricRow:
    name: str
    champion: float | None
    challenger: float | None

    @property
    def lower_is_better(self) -> bool:
        return any(word in self.name.lower() for word in _LOWER_IS_BETTER)

    @property
    def delta(self) -> float | None:
        if self.champion is None or self.challenger is None:
            return None
        return self.challenger - self.champion

    @property
    def verdict(self) -> str:
        """``better``, ``worse`` or ``same`` for the challenger; empty when not comparable."""
        d = self.delta
        if d is None:
            return ""
        if math.isclose(d, 0.0, abs_tol=1e-9):
            return "same"
        return "better" if (d < 0) == self.lower_is_better else "worse"


@dataclass(frozen=True)
class ModelComparison:
    name: str
    champion: VersionInfo | None
    challenger: VersionInfo | None
    rows: list[MetricRow] = field(default_factory=list)

    @property
    def promotable(self) -> bool:
        return self.challenger is not None and (
            self.champion is None or self.champion.version != self.challenger.version
        )

    def eval_report(self) -> dict[str, Any]:
        """What a ``promote_model`` proposal carries as its evaluation report."""
        return {
            "source": "mlflow",
            "champion_run_id": self.champion.run_id if self.champion else None,
            "challenger_run_id": self.challenger.run_id if self.challenger else None,
            "metrics": {
                r.name: {"champion": r.champion, "challenger": r.challenger, "verdict": r.verdict}
                for r in self.rows
            },
        }


@dataclass(frozen=True)
class RegistryView:
    available: bool
    models: list[ModelComparison]
    problem: str = ""  # why the registry could not be read, in words

    def find(self, name: str) -> ModelComparison | None:
        return next((m for m in self.models if m.name == name), None)


class RegistryReader(Protocol):
    def read(self) -> RegistryView: ...


def compare(
    name: str, champion: VersionInfo | None, challenger: VersionInfo | None
) -> ModelComparison:
    names = sorted(
        {*(champion.metrics if champion else {}), *(challenger.metrics if challenger else {})}
    )
    rows = [
        MetricRow(
            n,
            champion.metrics.get(n) if champion else None,
            challenger.metrics.get(n) if challenger else None,
        )
        for n in names
    ]
    return ModelComparison(name, champion, challenger, rows)


class MlflowRegistryReader:
    """Reads aliases and run metrics from the MLflow tracking store in the settings."""

    def __init__(self, settings: Settings) -> None:
        self.uri = settings.mlflow_uri

    def _exists(self) -> bool:
        if self.uri.startswith("sqlite:///"):
            return Path(self.uri.removeprefix("sqlite:///")).exists()
        return True

    def read(self) -> RegistryView:
        if not self._exists():
            return RegistryView(available=False, models=[])
        try:
            import mlflow

            client = mlflow.MlflowClient(tracking_uri=self.uri)
            models = []
            for rm in client.search_registered_models(order_by=["name ASC"]):
                aliases: dict[str, str] = dict(rm.aliases or {})
                models.append(
                    compare(
                        rm.name,
                        self._version(client, rm.name, aliases.get(CHAMPION)),
                        self._version(client, rm.name, aliases.get(CHALLENGER)),
                    )
                )
        except Exception as exc:  # the page shows the problem; the queue metrics still work
            log.exception("could not read the model registry at %s", self.uri)
            return RegistryView(available=False, models=[], problem=type(exc).__name__)
        return RegistryView(available=True, models=models)

    @staticmethod
    def _version(client: Any, name: str, version: str | None) -> VersionInfo | None:
        if version is None:
            return None
        mv = client.get_model_version(name, str(version))
        metrics: dict[str, float] = {}
        if mv.run_id:
            metrics = {
                k: float(v)
                for k, v in client.get_run(mv.run_id).data.metrics.items()
                if not math.isnan(float(v))
            }
        created = (
            datetime.fromtimestamp(mv.creation_timestamp / 1000, tz=UTC)
            if mv.creation_timestamp
            else None
        )
        return VersionInfo(str(mv.version), mv.run_id or "", created, metrics)
