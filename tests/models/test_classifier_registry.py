"""End to end through the CLI and MLflow: refuse a bad file, train on a firm's own CSV,
register champion then challenger, promote, load in the app, classify from the CLI.

One test on purpose: every MLflow registration costs seconds, so the steps share one store.
The hashing encoder stands in for MiniLM (the real one is covered by tests/evals).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app import dbadmin
from app.runtime import Runtime
from app.services import Services
from app.settings import get_settings
from domain.db import make_engine, make_session_factory
from models.classifier import MODEL_NAME
from models.encoder import HashingEncoder
from models.registry import CHALLENGER, CHAMPION
from tests.models.test_classifier import write_csv

pytestmark = pytest.mark.slow


def test_train_register_promote_load_and_classify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli.main import cli
    from app.loaders import classifier as loader

    data_dir = tmp_path / "var"
    db_url = f"sqlite:///{tmp_path / 'firm.db'}"
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", db_url)
    monkeypatch.setattr("models.encoder.MiniLMEncoder", lambda threads=1: HashingEncoder())
    get_settings.cache_clear()
    dbadmin.upgrade(make_engine(db_url))
    run = CliRunner().invoke
    good = write_csv(tmp_path / "tickets.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("message,category\nmy laptop,laptop\n")
    try:
        refused = run(cli, ["train", "classifier", "--data", str(bad)])
        assert refused.exit_code == 1
        assert "missing column(s) text, label" in refused.output
        assert "nothing was trained or registered" in refused.output
        assert not (data_dir / "mlflow.db").exists()

        first = run(cli, ["train", "classifier", "--data", str(good), "--fast"])
        assert first.exit_code == 0, first.output
        assert "registered v1 as champion" in first.output
        assert "tfidf_lr" in first.output and "embedding_lr" in first.output
        report = data_dir.resolve() / "reports" / MODEL_NAME / "v1"
        assert (report / "confusion_matrix.png").stat().st_size > 0
        assert (report / "per_class.csv").read_text().startswith("label,precision,recall,f1")

        second = run(cli, ["train", "classifier", "--data", str(good), "--fast"])
        assert "registered v2 as challenger" in second.output
        third = run(cli, ["train", "classifier", "--data", str(good), "--fast", "--promote"])
        assert "registered v3 as champion" in third.output

        settings = get_settings()
        store = loader.open_store(settings)
        assert store.alias_version(MODEL_NAME, CHAMPION) == "3"
        assert store.alias_version(MODEL_NAME, CHALLENGER) == "2"
        mv = store.client.get_model_version(MODEL_NAME, "1")
        logged = store.client.get_run(mv.run_id).data
        assert {
            "holdout_macro_f1",
            "baseline_tfidf_lr_macro_f1",
            "baseline_embedding_lr_macro_f1",
            "holdout_abstain_precision",
        } <= set(logged.metrics)
        assert logged.params["labels"] == "laptop_issue,payroll_question,room_booking"
        assert logged.tags["data_hash"] == logged.params["data_hash"]

        engine = make_engine(db_url)
        services = Services(extras={"encoder": HashingEncoder()})
        loader.load(Runtime(settings, engine, make_session_factory(engine)), services)
        model = services.require("classifier")
        assert model.version == f"{MODEL_NAME}/3"
        assert model.predict_one("my payslip is wrong").top_label == "payroll_question"

        out = run(
            cli, ["classify", "please book the boardroom for friday", "--today", "2026-11-26"]
        )
        assert out.exit_code == 0, out.output
        body = json.loads(out.output[out.output.index("{") :])
        assert body["label"] == "room_booking" and body["model_version"] == f"{MODEL_NAME}/3"
    finally:
        get_settings.cache_clear()
