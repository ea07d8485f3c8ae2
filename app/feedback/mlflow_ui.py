"""The MLflow UI on the app's own store, and links into it for the metrics page.

The UI has no sign-in of its own, so it only ever listens on a loopback interface; reach it
from elsewhere through an SSH tunnel or a proxy that authenticates.
"""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from app.settings import Settings


class NotLoopback(ValueError):
    """The MLflow UI was asked to listen beyond this machine."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ui_command(tracking_uri: str, artifacts_dir: Path, host: str, port: int) -> list[str]:
    """The ``mlflow server`` command line for the app's store, on ``host:port``."""
    if not is_loopback(host):
        raise NotLoopback(
            f"refusing to serve the MLflow UI on {host!r}: it has no authentication; use "
            "127.0.0.1 and an SSH tunnel or an authenticating proxy"
        )
    return [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", tracking_uri,
        "--default-artifact-root", artifacts_dir.resolve().as_uri(),
        "--host", host,
        "--port", str(port),
        # One worker: this runs beside the app on a small machine.
        "--workers", "1",
    ]  # fmt: skip


def start_mlflow_ui(
    tracking_uri: str,
    artifacts_dir: Path,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    log_file: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start the MLflow UI as a child process; stop it with ``stop_mlflow_ui``.

    Its output goes to ``log_file`` (default: ``mlflow-ui.log`` beside ``artifacts_dir``).
    Raises ``NotLoopback`` for any host other than a loopback address.
    """
    command = ui_command(tracking_uri, artifacts_dir, host, port)
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_file or artifacts_dir.resolve().parent / "mlflow-ui.log"
    with log_path.open("ab") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(
    process: subprocess.Popen[bytes], base_url: str, *, timeout: float = 60.0
) -> bool:
    """Poll ``/health`` until the UI answers (True), exits or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def stop_mlflow_ui(process: subprocess.Popen[bytes], *, timeout: float = 10.0) -> None:
    """Terminate the UI, then kill it if it has not exited after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


@dataclass(frozen=True)
class MlflowLinks:
    """URLs into the MLflow UI (a hash-routed single-page app)."""

    base_url: str
    experiment_id: str | None

    def _exp(self, experiment_id: str | None) -> str:
        return quote(experiment_id or self.experiment_id or "0")

    def experiment(self) -> str:
        if self.experiment_id is None:
            return f"{self.base_url}/#/experiments"
        return f"{self.base_url}/#/experiments/{self._exp(None)}"

    def runs(self) -> str:
        return f"{self.base_url}/#/experiments/{self._exp(None)}/runs"

    def run(self, run_id: str, experiment_id: str | None = None) -> str:
        return f"{self.base_url}/#/experiments/{self._exp(experiment_id)}/runs/{quote(run_id)}"

    def traces(self) -> str:
        return f"{self.base_url}/#/experiments/{self._exp(None)}/traces"

    def trace(self, trace_id: str, experiment_id: str | None = None) -> str:
        exp = self._exp(experiment_id)
        return f"{self.base_url}/#/experiments/{exp}/traces/{quote(trace_id)}"

    def registered_model(self, name: str, version: str | None = None) -> str:
        url = f"{self.base_url}/#/models/{quote(name, safe='')}"
        return f"{url}/versions/{quote(version)}" if version else url


def mlflow_links(settings: Settings, *, experiment_id: str | None = None) -> MlflowLinks:
    """Links for the UI that ``start_mlflow_ui`` serves with these settings.

    Without ``experiment_id``, the app's experiment is looked up in the store once per process
    (None if the store or experiment does not exist yet: links then open the experiment list).
    """
    host = settings.mlflow.ui_host
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{settings.mlflow.ui_port}"
    if experiment_id is None:
        experiment_id = _experiment_id(settings.mlflow_uri, settings.mlflow.experiment)
    return MlflowLinks(base_url=base, experiment_id=experiment_id)


_EXPERIMENT_IDS: dict[tuple[str, str], str] = {}


def _experiment_id(tracking_uri: str, experiment: str) -> str | None:
    # Only found ids are kept: an experiment created later is found on a later call.
    key = (tracking_uri, experiment)
    if key in _EXPERIMENT_IDS:
        return _EXPERIMENT_IDS[key]
    if (
        tracking_uri.startswith("sqlite:///")
        and not Path(tracking_uri.removeprefix("sqlite:///")).exists()
    ):
        return None  # a fresh machine: do not create a store just to find nothing in it
    try:
        from mlflow import MlflowClient

        found = MlflowClient(tracking_uri=tracking_uri).get_experiment_by_name(experiment)
    except Exception:  # an unreachable tracking server must not break a page
        return None
    if found is None:
        return None
    _EXPERIMENT_IDS[key] = str(found.experiment_id)
    return _EXPERIMENT_IDS[key]
