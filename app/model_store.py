"""The MLflow model store the settings point at: one place to open it, one to ask if it exists."""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings
from models.registry import ModelStore


def open_store(settings: Settings) -> ModelStore:
    return ModelStore(
        settings.mlflow_uri, settings.mlflow.experiment, settings.mlflow_artifacts_dir
    )


def store_exists(settings: Settings) -> bool:
    """False on a fresh machine, where opening the store would only create an empty one."""
    uri = settings.mlflow_uri
    return not uri.startswith("sqlite:///") or Path(uri.removeprefix("sqlite:///")).exists()
