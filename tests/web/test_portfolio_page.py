"""The portfolio: projects with risk when the model is loaded, burn otherwise; utilization."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.runtime import Runtime
from app.services import Services
from domain.errors import InvalidInput
from models.risk import Driver, RiskAssessment
from tests.agents.firm import DM_EMAIL, Firm
from tests.web.conftest import MakeUser, SignIn, login


class FakeRisk:
    """Scores the firm's projects from a fixed table; raises like the real one if told to."""

    version = "7"

    def __init__(self, probabilities: dict[int, float], fail: bool = False) -> None:
        self.probabilities = probabilities
        self.fail = fail

    def assess(
        self, session: Session, project_ids: Sequence[int] | None, as_of: date
    ) -> list[RiskAssessment]:
        if self.fail:
            raise InvalidInput("the champion reads columns the firm does not have")
        return [
            RiskAssessment(
                project_id=pid, as_of=as_of, probability=p,
                severity="critical" if p > 0.7 else "low", flagged=p > 0.5,
                drivers=[Driver("burn_gap", 0.2, f"Burn runs ahead of progress on {pid}")],
                model_version=self.version,
            )
            for pid, p in self.probabilities.items()
        ]  # fmt: skip


@pytest.fixture
def with_risk(runtime: Runtime) -> Iterator[Callable[[FakeRisk], TestClient]]:
    """A client whose app has ``risk`` loaded; closed at the end of the test."""
    stack = ExitStack()

    def make(risk: FakeRisk) -> TestClient:
        app = create_app(runtime=runtime, services=Services(extras={"risk": risk}))
        return stack.enter_context(TestClient(app))

    with stack:
        yield make


def test_without_the_risk_model_burn_and_status_lead(
    client: TestClient, sign_in: SignIn, firm: Firm
) -> None:
    sign_in("approver")
    page = client.get("/portfolio").text

    assert "The overrun-risk model is not loaded" in page
    assert "Tailspin" not in page  # closed
    rows = page.split('id="projects"')[1].split("</table>")[0]
    assert rows.index("Fabrikam ERP Migration") < rows.index("Contoso Cloud Data Platform")
    assert "Burn ahead" in rows  # 1,000 of 1,200 h at 50 % complete
    assert "83%" in rows and "50%" in rows
    people = page.split('id="people"')[1]
    assert "Dora Ivanova" in people and "100%" in people  # booked full time


def test_delivery_managers_start_on_their_own_projects(
    client: TestClient, sign_in: SignIn, firm: Firm
) -> None:
    sign_in("delivery_manager", email=DM_EMAIL)
    assert "Fabrikam ERP Migration" in client.get("/portfolio").text
    sign_in("delivery_manager")
    mine = client.get("/portfolio").text
    assert "You manage no live projects" in mine
    assert "Fabrikam ERP Migration" in client.get("/portfolio?scope=all").text


def test_with_the_risk_model_bands_and_drivers_lead(
    with_risk: Callable[[FakeRisk], TestClient], make_user: MakeUser, firm: Firm
) -> None:
    client = with_risk(FakeRisk({firm.contoso: 0.2, firm.fabrikam_migration: 0.81}))
    login(client, make_user, "approver")
    page = client.get("/portfolio").text

    assert "Overrun risk from model 7" in page
    rows = page.split('id="projects"')[1].split("</table>")[0]
    assert rows.index("Fabrikam ERP Migration") < rows.index("Contoso Cloud Data Platform")
    assert "Critical" in rows and "81%" in rows
    assert f"Burn runs ahead of progress on {firm.fabrikam_migration}" in rows
    assert "Not scored" in rows  # projects the model did not return


def test_a_model_that_cannot_score_falls_back_to_burn(
    with_risk: Callable[[FakeRisk], TestClient], make_user: MakeUser, firm: Firm
) -> None:
    client = with_risk(FakeRisk({}, fail=True))
    login(client, make_user, "approver")
    page = client.get("/portfolio").text
    assert "could not score these projects" in page
    assert "columns the firm does not have" in page
    assert "Burn ahead" in page
