"""The metrics page: rates over time, reason codes, SLA, and proposing a promotion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime import Runtime
from app.services import Services
from app.web.model_registry import RegistryView, VersionInfo, compare
from domain.db import unit_of_work
from domain.types import utcnow
from governance.service import Governance
from tests.agents.firm import DM_EMAIL, Firm
from tests.web.conftest import MakeUser, SignIn, login
from tests.web.seed import HISTORY, seed_queue


class FakeRegistry:
    """A registry with one model that has a champion and a better challenger."""

    def __init__(self) -> None:
        self.view = RegistryView(
            available=True,
            models=[
                compare(
                    "overrun-risk",
                    VersionInfo("3", "run-3", None, {"roc_auc": 0.71, "brier": 0.21}),
                    VersionInfo("4", "run-4", None, {"roc_auc": 0.76, "brier": 0.19}),
                ),
                compare("staffing-ranker", VersionInfo("1", "run-1", None, {"ndcg": 0.6}), None),
            ],
        )

    def read(self) -> RegistryView:
        return self.view


@pytest.fixture
def registry_client(runtime: Runtime) -> Iterator[TestClient]:
    services = Services(extras={"model_registry": FakeRegistry()})
    with TestClient(create_app(runtime=runtime, services=services)) as c:
        yield c


def test_no_decisions_and_no_registry_are_explained(client: TestClient, sign_in: SignIn) -> None:
    sign_in("data_scientist")
    page = client.get("/metrics")
    assert page.status_code == 200
    assert "No decisions in this window" in page.text
    assert "No models in the registry" in page.text
    assert "opscopilot bootstrap" in page.text


def test_rates_reasons_and_versions_from_the_decision_history(
    client: TestClient, sign_in: SignIn, runtime: Runtime, firm: Firm, gov: Governance
) -> None:
    with unit_of_work(runtime.sessions) as s:
        seed_queue(s, gov, firm, requested_by=DM_EMAIL, now=utcnow())
    sign_in("data_scientist")
    page = client.get("/metrics").text

    assert f'id="kpi-decided">{len(HISTORY)}<' in page
    overrides = sum(1 for h in HISTORY if h[3] == "override")
    assert f'id="kpi-override">{overrides / len(HISTORY):.0%}<' in page
    for text in ("client preference", "severity overstated", "skill-match-0", "risk-gbm-3"):
        assert text in page
    assert page.count('<svg class="chart"') >= 6
    assert 'id="kpi-backlog">5<' in page and '"text-danger">1 overdue<' in page
    hours = sorted(h[5] for h in HISTORY)
    assert f'id="kpi-time">{(hours[6] + hours[7]) / 2:.1f} h<' in page  # the median

    risk_only = client.get("/metrics?type=flag_risk").text
    flags = sum(1 for h in HISTORY if h[1] == "flag_risk")
    assert f'id="kpi-decided">{flags}<' in risk_only
    one_model = client.get("/metrics?type=flag_risk&model=risk-gbm-2").text
    assert 'id="kpi-decided">2<' in one_model
    assert 'id="kpi-decided">14<' in client.get("/metrics?weeks=26&model=nonsense").text


def test_promote_creates_a_governed_proposal_not_a_change(
    registry_client: TestClient, make_user: MakeUser
) -> None:
    client = registry_client
    scientist = login(client, make_user, "data_scientist")
    page = client.get("/metrics").text
    assert "Propose promoting v4" in page
    assert "staffing-ranker" in page and "No challenger registered" in page
    assert "better" in page  # roc_auc up, brier down: both better

    response = client.post(
        "/metrics/promote", data={"model_name": "overrun-risk"}, follow_redirects=False
    )
    assert response.status_code == 303
    pid = int(response.headers["location"].split("promoted=")[1].split("#")[0])
    after = client.get(response.headers["location"]).text
    assert "is in the approval queue" in after
    assert f"Promotion #{pid} awaiting approval" in after
    assert "Propose promoting v4" not in after

    proposal = client.get(f"/v1/proposals/{pid}").json()
    assert proposal["type"] == "promote_model"
    assert proposal["status"] == "pending"
    assert proposal["requested_by"] == scientist.email
    assert proposal["payload"]["challenger_version"] == "4"
    assert proposal["payload"]["champion_version"] == "3"
    assert proposal["payload"]["eval_report"]["metrics"]["brier"]["verdict"] == "better"
    assert not proposal["can_decide"]  # whoever proposed cannot approve

    again = client.post("/metrics/promote", data={"model_name": "overrun-risk"})
    assert f"#{pid}" in again.text  # the pending one, not a second proposal

    login(client, make_user, "data_scientist")  # another model owner
    inbox = client.get("/inbox").text
    assert f'href="/inbox/proposals/{pid}' in inbox
    assert "Promote overrun-risk v4" in inbox


def test_promoting_a_model_without_a_challenger_is_refused(
    registry_client: TestClient, make_user: MakeUser
) -> None:
    login(registry_client, make_user, "data_scientist")
    response = registry_client.post("/metrics/promote", data={"model_name": "staffing-ranker"})
    assert response.status_code == 422
    assert "no challenger of staffing-ranker" in response.text


def test_approvers_cannot_open_metrics_or_promote(
    registry_client: TestClient, make_user: MakeUser
) -> None:
    login(registry_client, make_user, "approver")
    assert registry_client.get("/metrics").status_code == 403
    refused = registry_client.post("/metrics/promote", data={"model_name": "overrun-risk"})
    assert refused.status_code == 403


def test_metrics_page_links_the_models_it_shows_into_the_mlflow_ui(
    registry_client: TestClient, make_user: MakeUser
) -> None:
    login(registry_client, make_user, "data_scientist")
    page = registry_client.get("/metrics").text
    assert 'href="http://127.0.0.1:5000/#/models/overrun-risk/versions/4"' in page
    assert "/runs/run-3" in page  # the champion's training run
    assert "copilot traces with approvers&#39; feedback" in page or "traces with approvers" in page
