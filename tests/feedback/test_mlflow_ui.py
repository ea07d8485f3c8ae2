"""The MLflow UI for data scientists: only on loopback, on the app's own store, and links from
the metrics page that open the experiment, a run, a trace and a registered model."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest
from mlflow import MlflowClient

from app.feedback.mlflow_ui import (
    NotLoopback,
    mlflow_links,
    start_mlflow_ui,
    stop_mlflow_ui,
    ui_command,
    wait_until_ready,
)
from app.settings import MLflowSettings, Settings
from tests.feedback.conftest import EXPERIMENT


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "example.com", "::"])
def test_the_ui_never_listens_beyond_this_machine(host: str, tmp_path: Path) -> None:
    with pytest.raises(NotLoopback, match="no authentication"):
        ui_command("sqlite:///x.db", tmp_path, host, 5000)


def test_links_open_the_experiment_a_run_a_trace_and_a_model(tmp_path: Path) -> None:
    settings = Settings(environment="test", data_dir=tmp_path)  # no store yet
    links = mlflow_links(settings)
    assert links.experiment() == "http://127.0.0.1:5000/#/experiments"
    links = mlflow_links(settings, experiment_id="7")
    assert links.experiment() == "http://127.0.0.1:5000/#/experiments/7"
    assert links.run("abc") == "http://127.0.0.1:5000/#/experiments/7/runs/abc"
    assert links.trace("tr-1") == "http://127.0.0.1:5000/#/experiments/7/traces/tr-1"
    assert links.traces() == "http://127.0.0.1:5000/#/experiments/7/traces"
    assert links.registered_model("risk") == "http://127.0.0.1:5000/#/models/risk"
    assert links.registered_model("overrun risk", "3") == (
        "http://127.0.0.1:5000/#/models/overrun%20risk/versions/3"
    )


def test_links_find_the_apps_experiment_in_its_store(tmp_path: Path, mlflow_uri: str) -> None:
    settings = Settings(
        environment="test", data_dir=tmp_path,
        mlflow=MLflowSettings(tracking_uri=mlflow_uri, experiment=EXPERIMENT, ui_port=5123),
    )  # fmt: skip
    found = MlflowClient(tracking_uri=mlflow_uri).get_experiment_by_name(EXPERIMENT)
    assert found is not None
    links = mlflow_links(settings)
    assert links.experiment() == f"http://127.0.0.1:5123/#/experiments/{found.experiment_id}"


def test_the_ui_serves_the_apps_store(tmp_path: Path, mlflow_uri: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = start_mlflow_ui(mlflow_uri, tmp_path / "mlartifacts", port=port)
    base = f"http://127.0.0.1:{port}"
    try:
        log = (tmp_path / "mlflow-ui.log").read_text
        assert wait_until_ready(process, base, timeout=90), log()
        url = f"{base}/api/2.0/mlflow/experiments/get-by-name?experiment_name={EXPERIMENT}"
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        assert body["experiment"]["name"] == EXPERIMENT
    finally:
        stop_mlflow_ui(process)
    assert process.poll() is not None
