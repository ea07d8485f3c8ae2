"""End to end with MLflow and MiniLM: register, load in the app, recommend from the CLI.

Slow on purpose (MLflow registrations and the sentence encoder cost seconds), so the steps
share one store and one encoder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import dbadmin
from app.runtime import Runtime
from app.services import Services
from app.settings import Settings, get_settings
from domain.db import make_engine, make_session_factory
from models.encoder import MiniLMEncoder
from models.registry import CHALLENGER, CHAMPION
from models.staffing import MODEL_NAME, SkillNeed
from models.staffing.features import FEATURES
from tests.models.staffing_firm import person, recommender, request

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def minilm() -> MiniLMEncoder:
    encoder = MiniLMEncoder()
    encoder.warm_up()
    return encoder


def test_minilm_vectors_match_related_skills_nobody_named(
    session: Session, tmp_path: Path, minilm: MiniLMEncoder
) -> None:
    person(session, "pyspark-pro", {"PySpark": 5, "Databricks": 4}, title="Consultant")
    person(session, "react-pro", {"React": 5, "TypeScript": 4}, title="Consultant")
    person(session, "sap-pro", {"SAP FICO": 5, "SAP MM": 4}, title="Consultant")
    rec = recommender(session, tmp_path, encoder=minilm)
    got = rec.recommend(session, request(role="Data Engineer", required=(SkillNeed("Spark", 4),)))
    assert got.candidates[0].external_id == "pyspark-pro"
    assert got.candidates[0].features["skill_match"] == 0.0  # no exact "Spark" anywhere
    sims = {c.external_id: c.facts.similarity for c in got.candidates}
    assert sims["pyspark-pro"] > sims["react-pro"] + 0.1


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    data_dir = tmp_path / "var"
    db_url = f"sqlite:///{tmp_path / 'firm.db'}"
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    engine = make_engine(db_url)
    dbadmin.upgrade(engine)
    settings = Settings(environment="test", data_dir=data_dir, database_url=db_url)
    yield Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))
    engine.dispose()
    get_settings.cache_clear()


def test_train_register_load_and_recommend(
    cli_env: Runtime, tmp_path: Path, minilm: MiniLMEncoder
) -> None:
    from app.cli.main import cli
    from app.loaders import staffing as loader

    with cli_env.sessions() as s:
        person(s, "ana", {"Spark": 5, "Azure Data Factory": 4})
        person(s, "ben", {"Spark": 3})
        s.commit()
    run = CliRunner().invoke

    services = Services(extras={"encoder": minilm})
    loader.load(cli_env, services)
    assert "staffing" not in services.extras  # nothing registered yet: routes answer 503

    first = run(cli, ["train", "staffing"])
    assert first.exit_code == 0, first.output
    assert f"registered {MODEL_NAME} v1 as champion" in first.output

    prefs = tmp_path / "prefs.jsonl"
    base = dict.fromkeys(FEATURES, 0.5)
    lines = [
        json.dumps(
            {
                "preferred": {**base, "client_history": 1.0, "margin": 0.1 + i / 100},
                "other": {**base, "client_history": 0.0, "margin": 0.8},
            }
        )
        for i in range(30)
    ]
    prefs.write_text("\n".join(lines))
    second = run(cli, ["train", "staffing", "--preferences", str(prefs)])
    assert second.exit_code == 0, second.output
    assert f"registered {MODEL_NAME} v2 as challenger" in second.output
    found = re.search(
        r"held-out pairwise accuracy ([\d.]+) \(default weights baseline ([\d.]+)\)", second.output
    )
    assert found is not None, second.output
    assert float(found[1]) == 1.0 and float(found[2]) < 0.5
    report = cli_env.settings.data_dir.resolve() / "reports" / MODEL_NAME / "v2"
    assert (report / "weights.png").stat().st_size > 0

    prefs.write_text('{"preferred": {"margin": "high"}}\n')
    refused = run(cli, ["train", "staffing", "--preferences", str(prefs)])
    assert refused.exit_code == 1 and "nothing was registered" in refused.output

    loader.load(cli_env, services)
    loaded = services.extras["staffing"]
    assert loaded.ranker.version == "1" and loaded.ranker.source == "defaults"
    assert loaded.index.size == 2

    with cli_env.sessions() as s:  # an import adds someone
        person(s, "cleo", {"Spark": 4})
        s.commit()
    refreshed = loader.refresh_after_import(cli_env, services)
    assert refreshed is not None and (refreshed.upserted, refreshed.indexed) == (1, 3)

    out = run(
        cli,
        [
            "recommend",
            "--role",
            "Data Engineer",
            "--skill",
            "Spark:4",
            "--hours",
            "30",
            "--start",
            "2027-03-01",
            "--end",
            "2027-06-30",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output[out.output.index("[") :])
    assert {r["external_id"] for r in rows[:2]} == {"ana", "cleo"}  # Spark 4+ before Spark 3
    assert sorted(r["external_id"] for r in rows) == ["ana", "ben", "cleo"]
    assert all(r["reasons"].startswith("Spark ") for r in rows)

    bad = run(
        cli, ["recommend", "--skill", "Spark:9", "--start", "2027-03-01", "--end", "2027-06-30"]
    )
    assert bad.exit_code == 2 and "NAME:LEVEL" in bad.output

    from models.registry import ModelStore

    store = ModelStore(cli_env.settings.mlflow_uri, cli_env.settings.mlflow.experiment)
    assert store.alias_version(MODEL_NAME, CHAMPION) == "1"
    assert store.alias_version(MODEL_NAME, CHALLENGER) == "2"
