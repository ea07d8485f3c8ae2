"""A small MLflow registry on disk: runs with metrics, versions, champion/challenger aliases.

Model versions point at their runs without model files: the metrics page reads aliases and
run metrics only, and registering this way takes a second instead of training models.
"""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings

MODELS = {
    "overrun-risk": [
        ("champion", {"roc_auc": 0.741, "brier": 0.192, "ece": 0.051}),
        ("challenger", {"roc_auc": 0.779, "brier": 0.176, "ece": 0.058}),
    ],
    "staffing-ranker": [("champion", {"ndcg_at_5": 0.62, "hit_rate_at_3": 0.71})],
}


def register_models(settings: Settings) -> None:
    import mlflow

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    client = mlflow.MlflowClient(tracking_uri=settings.mlflow_uri)
    experiment = client.create_experiment(
        settings.mlflow.experiment, artifact_location=Path(settings.mlflow_artifacts_dir).as_uri()
    )
    for name, versions in MODELS.items():
        client.create_registered_model(name)
        for alias, metrics in versions:
            run = client.create_run(experiment, run_name=f"train-{name}")
            for key, value in metrics.items():
                client.log_metric(run.info.run_id, key, value)
            client.set_terminated(run.info.run_id)
            version = client.create_model_version(
                name, source=f"{run.info.artifact_uri}/model", run_id=run.info.run_id
            )
            client.set_registered_model_alias(name, alias, version.version)
