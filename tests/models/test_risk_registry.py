"""End to end through MLflow: train from the firm's database, register, load, assess.

One test on purpose: every MLflow registration costs seconds, so the steps share one store.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import dbadmin
from app.runtime import Runtime
from app.services import Services
from app.settings import Settings, get_settings
from domain.db import make_engine, make_session_factory
from models.registry import CHALLENGER, CHAMPION
from models.risk import MODEL_NAME
from tests.models.test_risk_training import ORIGIN, build_history, live_pair

pytestmark = pytest.mark.slow


def test_train_register_load_and_assess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli.main import cli
    from app.loaders import risk as loader

    data_dir = tmp_path / "var"
    db_url = f"sqlite:///{tmp_path / 'firm.db'}"
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    engine = make_engine(db_url)
    dbadmin.upgrade(engine)
    with Session(engine) as s:
        build_history(s, n=40)
        troubled, _ = live_pair(s, ORIGIN + timedelta(weeks=80))
        troubled_id, as_of = troubled.id, (troubled.start_date + timedelta(weeks=6)).isoformat()
        s.commit()
    run = CliRunner().invoke
    try:
        first = run(cli, ["train", "risk"])
        assert first.exit_code == 0, first.output
        assert f"registered {MODEL_NAME} v1 as champion" in first.output
        assert "held-out ROC-AUC" in first.output and "baseline" in first.output
        report = data_dir.resolve() / "reports" / MODEL_NAME / "v1"
        assert (report / "reliability.png").stat().st_size > 0
        assert json.loads((report / "metrics.json").read_text())["metrics"]["roc_auc"] > 0.5

        bad = tmp_path / "bad.csv"
        bad.write_text("estimated_hours,actual_hours\n10,\n")
        refused = run(cli, ["train", "risk", "--data", str(bad)])
        assert refused.exit_code == 1 and "nothing was trained or registered" in refused.output

        second = run(cli, ["train", "risk"])
        assert f"registered {MODEL_NAME} v2 as challenger" in second.output

        settings = get_settings()
        store = loader.open_store(settings)
        assert store.alias_version(MODEL_NAME, CHAMPION) == "1"
        assert store.alias_version(MODEL_NAME, CHALLENGER) == "2"
        run_data = store.client.get_run(store.client.get_model_version(MODEL_NAME, "1").run_id).data
        assert {"roc_auc", "brier", "ece", "baseline_roc_auc", "baseline_brier"} <= set(
            run_data.metrics
        )
        assert run_data.tags["data_hash"] and run_data.params["baseline"] == "burn-rate rule"

        scored = run(cli, ["risk", str(troubled_id), "--as-of", as_of, "--json"])
        assert scored.exit_code == 0, scored.output
        (result,) = json.loads(scored.output)
        assert result["model_version"] == "1" and 0.0 <= result["probability"] <= 1.0

        services = Services()
        engine_rt = make_engine(db_url)
        loader.load(Runtime(settings, engine_rt, make_session_factory(engine_rt)), services)
        assert services.require("risk").version == "1"
        loader.ensure_trained(settings)  # a champion exists: nothing new is registered
        assert store.alias_version(MODEL_NAME, CHALLENGER) == "2"
    finally:
        get_settings.cache_clear()
        engine.dispose()


def test_a_fresh_machine_has_no_model_and_does_not_touch_mlflow(tmp_path: Path) -> None:
    from app.loaders import risk as loader

    settings = Settings(environment="test", data_dir=tmp_path)
    assert loader.load_champion(settings) is None
    assert not (tmp_path / "mlflow.db").exists()


def test_bootstrap_skips_a_firm_without_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.loaders import risk as loader

    settings = Settings(
        environment="test", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'firm.db'}"
    )
    loader.ensure_trained(settings)
    out = capsys.readouterr().out
    assert "risk: skipped, no finished projects with timesheets; seed the demo firm" in out
    assert loader.open_store(settings).alias_version(MODEL_NAME, CHAMPION) is None
