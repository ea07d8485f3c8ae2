"""End to end: flag decisions in the queue -> `opscopilot tune risk` -> a promote_model
proposal -> a data scientist accepts it over HTTP -> the running app serves the new model.

Slow on purpose (each MLflow registration costs a second or more): two tests, each with its
own store, because promotions move the champion alias.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from app import dbadmin
from app.model_store import open_store
from app.runtime import Runtime
from app.services import Services
from app.settings import MLflowSettings, Settings, get_settings
from app.tuning.context import TuneContext
from app.tuning.promoter import ServicePromoter, wire_promoter
from app.tuning.runner import tune
from domain import users
from domain.db import make_engine, make_session_factory, unit_of_work
from domain.errors import InvalidInput
from governance.actor import Actor
from governance.schemas import DecisionCreate, Evidence, ProposalCreate
from governance.service import Governance
from governance.tables import Proposal
from governance.types import ProposalType
from models.registry import CHALLENGER, CHAMPION, ModelStore
from models.risk import MODEL_NAME, RiskService
from models.tuning.risk_service import TunedRiskService
from tests import factories
from tests.tuning.crafted import risk_model, row

pytestmark = pytest.mark.slow

DIRECTOR = Actor("dora@firm.test", "approver")  # firm-wide: may decide any flag


@dataclass
class World:
    runtime: Runtime
    store: ModelStore
    project_id: int


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A firm database and a model store whose champion v1 is a crafted risk model."""
    data = tmp_path / "var"
    db_url = f"sqlite:///{tmp_path / 'firm.db'}"
    mlflow_uri = f"sqlite:///{data / 'mlflow.db'}"
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data))
    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", db_url)
    monkeypatch.setenv("OPSCOPILOT_MLFLOW__TRACKING_URI", mlflow_uri)
    get_settings.cache_clear()
    settings = Settings(
        environment="test",
        data_dir=data,
        database_url=db_url,
        mlflow=MLflowSettings(tracking_uri=mlflow_uri),
    )
    data.mkdir()
    engine = make_engine(db_url)
    dbadmin.upgrade(engine)
    runtime = Runtime(settings, engine, make_session_factory(engine))
    store = open_store(settings)
    # Projects without recent work still score 0.6: above the 0.5 flag threshold.
    store.log_model(MODEL_NAME, risk_model(shift=0.6), alias=CHAMPION)
    with unit_of_work(runtime.sessions) as s:
        project = factories.project(s, start_date=date.today() - timedelta(days=30))
        project_id = project.id
    yield World(runtime, store, project_id)
    engine.dispose()
    get_settings.cache_clear()


def _decide_flags(world: World, rule: list[tuple[float, bool]]) -> None:
    """One flag per (burn, confirmed), submitted by the copilot, decided by a director."""
    gov = Governance.load()
    for burn, confirmed in rule:
        proposal = ProposalCreate(
            type=ProposalType.flag_risk,
            payload={"project_id": world.project_id, "probability": 0.7, "severity": "high"},
            evidence=Evidence(features=row(0.7, burn=burn)),
            model_version="1",
            requested_by="dm@example.com",
        )
        decision = DecisionCreate(action="accept", reason_code="risk_confirmed")
        if not confirmed:
            decision = DecisionCreate(action="reject", reason_code="false_positive")
        with unit_of_work(world.runtime.sessions) as s:
            done = gov.submit(s, proposal, submitted_by="copilot")
            gov.decide(s, done.proposal.id, DIRECTOR, decision)


def _promotions(world: World) -> list[Proposal]:
    with unit_of_work(world.runtime.sessions) as s:
        return list(s.scalars(select(Proposal).where(Proposal.type == "promote_model")))


# Approvers dismiss flags on projects under 20 % burned; burns 0..0.98 in a shuffled order.
EARLY_DISMISSED = [(i / 50, i / 50 >= 0.2) for i in range(50)]
random.Random(0).shuffle(EARLY_DISMISSED)


def test_a_challenger_worse_on_recent_decisions_is_not_proposed(world: World) -> None:
    # Approvers dismissed early flags for a while, then changed their minds: the latest
    # tenth confirms every flag, which the challenger (taught to dismiss them) gets wrong.
    recent_reversal = [(b, True) for b, _ in sorted(EARLY_DISMISSED)[:10]]
    _decide_flags(world, EARLY_DISMISSED[:40] + recent_reversal)
    said: list[str] = []
    ctx = TuneContext(
        settings=world.runtime.settings,
        sessions=world.runtime.sessions,
        store=world.store,
        say=said.append,
    )

    (outcome,) = tune(ctx, ["risk"])

    assert outcome.status == "not_better", outcome.message
    assert outcome.verdict is not None
    primary = next(c for c in outcome.verdict.checks if c.primary)
    assert primary.challenger < primary.champion
    assert "flag agreement on recent decisions" in outcome.message
    assert _promotions(world) == []
    # Registered for the comparison, never promoted.
    assert world.store.alias_version(MODEL_NAME, CHALLENGER) == outcome.challenger_version
    assert world.store.alias_version(MODEL_NAME, CHAMPION) == "1"
    assert outcome.report_dir is not None
    assert (outcome.report_dir / "comparison.png").stat().st_size > 0


def test_a_run_with_nothing_new_registers_nothing_and_a_new_decision_retunes(
    world: World,
) -> None:
    _decide_flags(world, EARLY_DISMISSED[:30])
    ctx = TuneContext(
        settings=world.runtime.settings,
        sessions=world.runtime.sessions,
        store=world.store,
        submit=False,
        say=lambda _: None,
    )
    (first,) = tune(ctx, ["risk"])
    assert first.challenger_version is not None, first.message

    (again,) = tune(ctx, ["risk"])

    assert again.status == "skipped"
    assert again.message.startswith(f"nothing new since challenger v{first.challenger_version}")
    assert world.store.alias_version(MODEL_NAME, CHALLENGER) == first.challenger_version
    versions = world.store.client.search_model_versions(f"name='{MODEL_NAME}'")
    assert len(versions) == 2  # the champion and the first challenger

    _decide_flags(world, EARLY_DISMISSED[30:31])
    (retuned,) = tune(ctx, ["risk"])

    assert retuned.status != "skipped", retuned.message
    assert int(str(retuned.challenger_version)) > int(first.challenger_version)


def test_accepting_a_promotion_swaps_the_model_the_running_app_serves(world: World) -> None:
    from app.cli.main import cli
    from app.loaders import promotion
    from app.loaders import risk as risk_loader
    from app.main import create_app

    _decide_flags(world, EARLY_DISMISSED)
    tuned = CliRunner().invoke(cli, ["tune", "risk"])
    assert tuned.exit_code == 0, tuned.output
    found = re.search(r"overrun-risk\s+proposed\s+v1\s+v(\d+)\s+#(\d+)", tuned.output)
    assert found is not None, tuned.output
    version, proposal_id = found[1], int(found[2])
    (proposal,) = _promotions(world)
    report = proposal.payload["eval_report"]
    assert proposal.id == proposal_id and proposal.payload["challenger_version"] == version
    assert report["promote"] and any(c["primary"] for c in report["checks"])

    settings = world.runtime.settings
    champion = world.store.load_version(MODEL_NAME, "1")
    services = Services(
        extras={"risk": RiskService(champion, "1", flag_threshold=0.5, bands=(0.3, 0.5, 0.7))}
    )
    governance = Governance.load()
    wire_promoter(governance, services, settings)
    services.extras["governance"] = governance
    with unit_of_work(world.runtime.sessions) as s:
        scientist = users.create_user(s, email="dee@firm.test", name="Dee", role="data_scientist")
        key = {"Authorization": f"Bearer {users.issue_key(s, scientist).key}"}
    risk_url = f"/v1/projects/{world.project_id}/risk"

    with TestClient(create_app(runtime=world.runtime, services=services)) as client:
        before = client.get(risk_url, headers=key).json()
        assert (before["model_version"], before["flagged"]) == ("1", True)

        accepted = client.post(
            f"/v1/proposals/{proposal_id}/decision",
            json={"action": "accept", "reason_code": "challenger_better"},
            headers=key,
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["decision"]["effect"]["registry"]["swapped"] is True

        after = client.get(risk_url, headers=key).json()
    # Nothing logged on this project yet (burn 0): the approvers' rule now keeps it unflagged.
    assert (after["model_version"], after["flagged"]) == (version, False)
    assert world.store.alias_version(MODEL_NAME, CHAMPION) == version

    # After a restart the loaders serve the promoted model with the policy it learned.
    restarted = Services()
    risk_loader.load(world.runtime, restarted)
    promotion.load(world.runtime, restarted)
    service = restarted.extras["risk"]
    assert isinstance(service, TunedRiskService) and service.version == version
    assert isinstance(restarted.extras["governance"].ctx.promoter, ServicePromoter)
    with unit_of_work(world.runtime.sessions) as s:
        (assessed,) = service.assess(s, [world.project_id], date.today())
    assert assessed.probability >= 0.5 and not assessed.flagged


def test_a_version_that_cannot_be_loaded_is_not_promoted_and_nothing_is_recorded(
    world: World,
) -> None:
    services = Services()
    governance = Governance.load()
    wire_promoter(governance, services, world.runtime.settings)
    promote = ProposalCreate(
        type=ProposalType.promote_model,
        payload={"model_name": MODEL_NAME, "challenger_version": "99", "champion_version": "1"},
    )
    with unit_of_work(world.runtime.sessions) as s:
        proposal_id = governance.submit(s, promote, submitted_by="opscopilot-tune").proposal.id
    accept = DecisionCreate(action="accept", reason_code="challenger_better")
    scientist = Actor("dee@firm.test", "data_scientist")
    with (
        pytest.raises(InvalidInput, match="version 99 cannot be loaded"),
        unit_of_work(world.runtime.sessions) as s,
    ):
        governance.decide(s, proposal_id, scientist, accept)
    (proposal,) = _promotions(world)
    assert proposal.status == "pending"
    assert world.store.alias_version(MODEL_NAME, CHAMPION) == "1" and "risk" not in services.extras
