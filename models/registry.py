"""Training runs and the model registry, in MLflow.

A thin facade: every trained model is an MLflow run (params, data hash, metrics, plots, the
model) registered under a name with ``champion`` / ``challenger`` aliases. The service loads
the champion at start-up. Models are our own Python objects, stored with cloudpickle through
``mlflow.sklearn`` so that they load back as the same object.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHAMPION = "champion"
CHALLENGER = "challenger"


@dataclass(frozen=True)
class RegisteredModel:
    name: str
    version: str
    run_id: str


def data_hash(rows: Iterable[str]) -> str:
    """A short, order-sensitive fingerprint of the training data, logged with each run."""
    h = hashlib.sha256()
    for r in rows:
        h.update(r.encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


class ModelStore:
    """MLflow tracking + registry for one tracking URI and experiment."""

    def __init__(
        self, tracking_uri: str, experiment: str, artifacts_dir: Path | None = None
    ) -> None:
        os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
        import mlflow

        self.tracking_uri = tracking_uri
        self.experiment = experiment
        mlflow.set_tracking_uri(tracking_uri)
        self._client = mlflow.MlflowClient(tracking_uri=tracking_uri)
        exp = self._client.get_experiment_by_name(experiment)
        if exp is None:
            location = artifacts_dir.resolve().as_uri() if artifacts_dir else None
            self.experiment_id = self._client.create_experiment(
                experiment, artifact_location=location
            )
        else:
            self.experiment_id = exp.experiment_id

    @property
    def client(self) -> Any:
        return self._client

    def log_model(
        self,
        name: str,
        model: Any,
        *,
        params: Mapping[str, Any] | None = None,
        metrics: Mapping[str, float] | None = None,
        tags: Mapping[str, str] | None = None,
        figures: Mapping[str, Any] | None = None,
        tables: Mapping[str, Mapping[str, list[Any]]] | None = None,
        alias: str | None = None,
        run_name: str | None = None,
    ) -> RegisteredModel:
        """Log one training run with its model and register it; optionally set ``alias``."""
        import mlflow
        import mlflow.sklearn

        mlflow.set_tracking_uri(self.tracking_uri)
        with mlflow.start_run(
            experiment_id=self.experiment_id, run_name=run_name or f"train-{name}"
        ) as run:
            if params:
                mlflow.log_params({k: _param(v) for k, v in params.items()})
            if metrics:
                mlflow.log_metrics({k: float(v) for k, v in metrics.items()})
            mlflow.set_tags({"model_name": name, **(tags or {})})
            for fname, fig in (figures or {}).items():
                mlflow.log_figure(fig, fname)
            for tname, table in (tables or {}).items():
                mlflow.log_table(dict(table), tname)
            # pip_requirements given: skips requirement inference, which costs seconds.
            info = mlflow.sklearn.log_model(
                model,
                name="model",
                registered_model_name=name,
                serialization_format="cloudpickle",
                pip_requirements=["scikit-learn", "numpy"],
            )
        version = str(info.registered_model_version)
        if alias:
            self.set_alias(name, alias, version)
        return RegisteredModel(name=name, version=version, run_id=run.info.run_id)

    def set_alias(self, name: str, alias: str, version: str) -> None:
        self._client.set_registered_model_alias(name, alias, version)

    def alias_version(self, name: str, alias: str = CHAMPION) -> str | None:
        try:
            return str(self._client.get_model_version_by_alias(name, alias).version)
        except Exception:  # MLflow raises a generic exception for a missing alias or model
            return None

    def alias_for_new(self, name: str, *, promote: bool) -> str:
        """The alias a newly trained ``name`` gets: ``champion`` when promoting or when there
        is no champion yet, otherwise ``challenger`` (for a person to compare and promote)."""
        return CHAMPION if promote or self.alias_version(name, CHAMPION) is None else CHALLENGER

    def load_alias(self, name: str, alias: str = CHAMPION) -> tuple[str, Any] | None:
        """``(version, model)`` behind ``name@alias``, or None if the alias is not set.

        Loaded by the version the alias named, so the pair stays consistent even if the alias
        moves in between.
        """
        version = self.alias_version(name, alias)
        return None if version is None else (version, self.load_version(name, version))

    def load_version(self, name: str, version: str) -> Any:
        import mlflow.sklearn

        return mlflow.sklearn.load_model(f"models:/{name}/{version}")


def _param(v: Any) -> Any:
    text = str(v)
    return text if len(text) <= 500 else text[:497] + "..."
