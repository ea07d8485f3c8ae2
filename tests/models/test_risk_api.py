"""The risk routes: one project, a batch, and every way a request can be wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import dbadmin
from app.runtime import Runtime
from app.services import Services
from domain.db import make_engine, unit_of_work
from models.risk import RiskModel, RiskService, firm_history
from models.risk.training import FIRM_SPEC, fit
from tests import factories as f
from tests.models.test_risk_features import count_queries
from tests.models.test_risk_training import ORIGIN, build_history, live_pair

LIVE_START = ORIGIN + timedelta(weeks=80)
AS_OF = LIVE_START + timedelta(weeks=6)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> RiskModel:
    """A model trained once for this module, on a crafted history in its own database."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('risk') / 'history.db'}")
    dbadmin.upgrade(engine)
    with Session(engine) as s:
        build_history(s, n=40)
        trained = fit(firm_history(s), FIRM_SPEC)
    engine.dispose()
    return trained


@pytest.fixture
def risk_client(runtime: Runtime, model: RiskModel) -> Iterator[tuple[TestClient, dict[str, int]]]:
    """The app with the trained model, two live projects and a finished one."""
    from app.main import create_app

    with unit_of_work(runtime.sessions) as s:
        troubled, calm = live_pair(s, LIVE_START)
        f.project(s, start_date=ORIGIN, end_date=ORIGIN + timedelta(weeks=12), status="closed")
        ids = {"troubled": troubled.id, "calm": calm.id}
    service = RiskService(model, "7", flag_threshold=0.5, bands=(0.3, 0.5, 0.7))
    app = create_app(runtime=runtime, services=Services(extras={"risk": service}))
    with TestClient(app) as c:
        yield c, ids


def test_a_project_risk_has_probability_band_drivers_and_version(
    risk_client: tuple[TestClient, dict[str, int]], make_user: Callable
) -> None:
    client, ids = risk_client
    _, headers = make_user()
    bad = client.get(f"/v1/projects/{ids['troubled']}/risk?as_of={AS_OF}", headers=headers)
    good = client.get(f"/v1/projects/{ids['calm']}/risk?as_of={AS_OF}", headers=headers)
    assert bad.status_code == good.status_code == 200
    body = bad.json()
    assert body["model_version"] == "7" and body["as_of"] == AS_OF.isoformat()
    assert body["probability"] > good.json()["probability"]
    # The troubled project scores about 0.38: in the 0.3-0.5 band, under the 0.5 flag line;
    # the calm one about 0.17, the lowest band.
    assert (body["severity"], body["flagged"]) == ("medium", False)
    assert (good.json()["severity"], good.json()["flagged"]) == ("low", False)
    assert body["drivers"], "a risky project comes with reasons"
    top = body["drivers"][0]
    assert top["direction"] == ("raises" if top["effect"] > 0 else "lowers")
    assert top["sentence"]


def test_a_batch_scores_listed_or_all_live_projects(
    risk_client: tuple[TestClient, dict[str, int]], make_user: Callable
) -> None:
    client, ids = risk_client
    _, headers = make_user()
    listed = client.post(
        "/v1/risk/score",
        json={"project_ids": [ids["troubled"], ids["calm"]], "as_of": AS_OF.isoformat()},
        headers=headers,
    ).json()
    assert listed["count"] == 2 and listed["model_version"] == "7"
    one = client.get(f"/v1/projects/{ids['calm']}/risk?as_of={AS_OF}", headers=headers).json()
    assert listed["results"][1] == one

    live = client.post(
        "/v1/risk/score", json={"all_live": True, "as_of": AS_OF.isoformat()}, headers=headers
    ).json()
    # The finished project is history, not live work.
    assert sorted(r["project_id"] for r in live["results"]) == sorted(ids.values())


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, 'send either "project_ids": [...] or "all_live": true'),
        ({"project_ids": [1], "all_live": True}, "not both"),
        ({"project_ids": []}, "project_ids must list 1 to 500 ids"),
    ],
)
def test_a_batch_must_say_what_to_score(
    risk_client: tuple[TestClient, dict[str, int]], make_user: Callable, body: dict, reason: str
) -> None:
    client, _ = risk_client
    _, headers = make_user()
    r = client.post("/v1/risk/score", json=body, headers=headers)
    assert r.status_code == 422
    assert reason in r.json()["detail"]


def test_unknown_or_unstarted_projects_say_what_to_fix(
    risk_client: tuple[TestClient, dict[str, int]], make_user: Callable
) -> None:
    client, ids = risk_client
    _, headers = make_user()
    r = client.post("/v1/risk/score", json={"project_ids": [ids["calm"], 999999]}, headers=headers)
    assert r.status_code == 404
    assert r.json()["detail"] == "No project with id 999999"

    early = LIVE_START - timedelta(days=3)
    r = client.get(f"/v1/projects/{ids['calm']}/risk?as_of={early}", headers=headers)
    assert r.status_code == 422
    assert f"had not started on {early}" in r.json()["detail"]


def test_risk_needs_a_key(risk_client: tuple[TestClient, dict[str, int]]) -> None:
    client, ids = risk_client
    assert client.get(f"/v1/projects/{ids['calm']}/risk").status_code == 401
    assert client.post("/v1/risk/score", json={"all_live": True}).status_code == 401


def test_without_a_registered_model_risk_is_unavailable(
    client: TestClient, make_user: Callable
) -> None:
    _, headers = make_user()
    r = client.get("/v1/projects/1/risk", headers=headers)
    assert r.status_code == 503
    assert "opscopilot bootstrap" in r.json()["detail"]


def test_scoring_many_projects_costs_no_more_queries_than_one(
    session: Session, engine: Engine, model: RiskModel
) -> None:
    pairs = [live_pair(session, LIVE_START) for _ in range(3)]
    service = RiskService(model, "1", flag_threshold=0.5, bands=(0.3, 0.5, 0.7))
    with count_queries(engine) as one:
        service.assess(session, [pairs[0][0].id], AS_OF)
    with count_queries(engine) as live:
        results = service.assess(session, None, AS_OF)
    assert len(results) == 6
    assert len(live) == len(one) + 1 <= 6  # plus the query listing the live projects


def test_the_copilot_scores_a_portfolio_in_one_batch_with_the_same_answers(
    session: Session, engine: Engine, model: RiskModel
) -> None:
    """``ModelRiskScorer.score_many`` (the portfolio question) reads each project's features
    in the same few queries as one project, and gives what ``score`` gives one by one."""
    from agents.adapters.models import ModelRiskScorer

    ids = [p.id for pair in (live_pair(session, LIVE_START) for _ in range(3)) for p in pair]
    service = RiskService(model, "1", flag_threshold=0.5, bands=(0.3, 0.5, 0.7))
    scorer = ModelRiskScorer(service, clock=lambda: AS_OF)
    with count_queries(engine) as one:
        scorer.score(session, ids[0])
    with count_queries(engine) as many:
        batch = scorer.score_many(session, ids)

    assert batch == [scorer.score(session, i) for i in ids]
    assert len(many) == len(one)
    assert scorer.score_many(session, []) == []


def test_severity_bands_come_from_settings() -> None:
    from models.risk import severity

    bands = (0.2, 0.4, 0.9)
    assert [severity(p, bands) for p in (0.1, 0.2, 0.5, 0.95)] == [
        "low",
        "medium",
        "high",
        "critical",
    ]
    assert severity(0.5, (0.3, 0.5, 0.7)) == "high"


def test_a_model_trained_on_other_columns_refuses_to_score_projects(session: Session) -> None:
    from models.risk.history_file import read_history
    from models.risk.service import ModelMismatch
    from tests.models.test_risk_history_file import SAMPLE

    history = read_history(SAMPLE)
    service = RiskService(
        fit(history.examples, history.spec), "3", flag_threshold=0.5, bands=(0.3, 0.5, 0.7)
    )
    with pytest.raises(ModelMismatch, match="estimate_confidence") as err:
        service.assess(session, None, AS_OF)
    assert err.value.status_code == 409
