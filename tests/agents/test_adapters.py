"""The database-only defaults: what they find in text and how they rank and score."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from agents.adapters import BurnRateRiskScorer, KeywordClassifier, SkillMatchRecommender
from agents.adapters.models import ModelExtractor
from agents.ports import StaffingRequest
from domain.tables import Project
from models.extraction import FirmIndexCache
from tests.agents.firm import TODAY, Firm, seed_firm


@pytest.fixture
def firm_in(session: Session) -> Firm:
    return seed_firm(session)


def extract(session: Session, text: str):  # type: ignore[no-untyped-def]
    return ModelExtractor(FirmIndexCache(), clock=lambda: TODAY).extract(session, text)


def test_staffing_details_are_read_from_the_text(session: Session, firm_in: Firm) -> None:
    x = extract(
        session,
        "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week",
    )
    assert x.client is not None and x.client.name == "Contoso Ltd"
    # A client named, with one live project: that project.
    assert x.project is not None and x.project.id == firm_in.contoso
    assert (x.role, x.seniority) == ("data engineer", "senior")
    assert sorted(x.skills) == ["Azure", "Spark"]
    assert x.hours_per_week == 30
    assert x.start == date(2027, 3, 1)  # the next March after 2026-11-26
    assert x.hours_estimate is None  # 30 h a week is a rate, not an estimate
    assert x.unknown_names == ()


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("from 2027-01-11 to 2027-04-30", date(2027, 1, 11), date(2027, 4, 30)),
        ("starting 3 February until June", date(2027, 2, 3), date(2027, 6, 30)),
        ("from December for 6 weeks", date(2026, 12, 1), date(2027, 1, 11)),  # 42 days
        ("next week, it may slip", date(2026, 11, 30), None),
        ("asap", TODAY, None),
    ],
)
def test_dates_are_read_relative_to_today(
    session: Session, firm_in: Firm, text: str, start: date, end: date | None
) -> None:
    x = extract(session, text)
    assert (x.start, x.end) == (start, end)


def test_projects_are_matched_by_their_words_not_guessed(session: Session, firm_in: Firm) -> None:
    x = extract(session, "how is the Fabrikam migration doing?")
    assert x.project is not None and x.project.id == firm_in.fabrikam_migration

    both = extract(session, "Fabrikam status please")
    assert both.project is None and both.client is not None  # two open Fabrikam projects

    unknown = extract(session, "Globex rollout: how is it going?")
    assert unknown.project is None and unknown.unknown_names == ("Globex",)

    external_id = session.get(Project, firm_in.contoso).external_id  # type: ignore[union-attr]
    by_id = extract(session, f"status of {external_id}")
    assert by_id.project is not None and by_id.project.id == firm_in.contoso


def test_estimates_and_rates_are_told_apart(session: Session, firm_in: Firm) -> None:
    assert extract(session, "two extra interfaces, about 80 hours").hours_estimate == 80
    assert extract(session, "roughly 10 person-days").hours_estimate == 80
    assert extract(session, "3 days a week").hours_per_week == 24
    assert extract(session, "full-time").hours_per_week == 40


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I need a senior data engineer for Contoso, 30h a week", "staffing_request"),
        ("how is the Fabrikam migration doing?", "general_question"),
        ("draft this week's status for Northwind", "status_report"),
        ("client wants two extra interfaces, about 80 hours", "scope_change"),
        ("the Fabrikam project is slipping, what's the overrun risk?", "risk_escalation"),
        ("my timesheet for last week is missing", "timesheet_expense"),
    ],
)
def test_the_keyword_classifier_recognises_common_requests(text: str, label: str) -> None:
    c = KeywordClassifier().classify(text)
    assert (c.label, c.abstained) == (label, False)


def test_the_keyword_classifier_abstains_on_mixed_signals() -> None:
    c = KeywordClassifier().classify("invoice the extra timesheet hours")
    assert c.abstained
    assert {c.label, c.alternatives[0][0]} == {"billing_invoice", "timesheet_expense"}


def test_candidates_are_ranked_with_reasons_and_only_if_free(
    session: Session, firm_in: Firm
) -> None:
    request = StaffingRequest(
        project_id=firm_in.contoso,
        role="data engineer",
        skills=("Spark", "Azure"),
        hours_per_week=30,
        start=date(2027, 3, 1),
        end=date(2027, 6, 30),
        seniority="senior",
    )
    rec = SkillMatchRecommender().recommend(session, request, limit=3)

    names = [c.name for c in rec.candidates]
    assert names[0] == "Ana Costa" and len(names) == 3
    assert "Dora Ivanova" not in names  # booked full-time on this very project
    top = rec.candidates[0]
    assert top.reasons[0] == "Spark 5/5, Azure 4/5"
    assert set(top.score_parts) == {"skills", "availability", "seniority", "role", "margin"}
    assert [c.score for c in rec.candidates] == sorted(
        (c.score for c in rec.candidates), reverse=True
    )


def test_risk_rises_with_burn_ahead_of_progress(session: Session, firm_in: Firm) -> None:
    scorer = BurnRateRiskScorer(clock=lambda: TODAY)
    troubled = scorer.score(session, firm_in.fabrikam_migration)
    healthy = scorer.score(session, firm_in.contoso)

    assert troubled.probability > 0.5 > 0.3 > healthy.probability
    assert (troubled.severity, healthy.severity) == ("high", "low")
    assert troubled.drivers[0].name == "burn_ahead_of_progress"
    assert troubled.drivers[0].description == "83% of budget hours burned at 50% complete"
    assert sum(d.contribution for d in troubled.drivers) == pytest.approx(1.0, abs=0.01)
