"""Routers are pure functions of the state: checked with constructed states."""

from typing import Any

from agents.routing import route_intent


def _state(
    label: str,
    *,
    question: bool = False,
    project: bool = True,
    abstained: bool = False,
    client: bool = False,
    alternatives: tuple[str, ...] = (),
) -> Any:
    return {
        "intent": {
            "label": label,
            "confidence": 0.9,
            "abstained": abstained,
            "alternatives": [(a, 0.4) for a in alternatives],
            "model_version": "1",
            "source": "classifier",
            "question": question,
        },
        "extraction": {
            "project": {"id": 1, "name": "P"} if project else None,
            "project_source": "message" if project else None,
            "client": {"id": 4, "name": "C"} if client else None,
            "unknown_names": [],
            "project_candidates": [],
        },
        "trigger": {"kind": "chat"},
    }


def test_a_status_question_is_answered_and_a_status_ask_is_drafted() -> None:
    assert route_intent(_state("status_report", question=True)) == "answer"
    assert route_intent(_state("status_report", question=False)) == "draft_summary"


def test_work_on_a_project_needs_the_project() -> None:
    for label in ("staffing_request", "scope_change", "status_report", "risk_escalation"):
        assert route_intent(_state(label, project=False)) == "clarify"
    assert route_intent(_state("staffing_request")) == "recommend_staff"
    assert route_intent(_state("scope_change")) == "raise_change_request"


def test_uncertain_or_other_teams_requests_go_to_triage() -> None:
    assert route_intent(_state("staffing_request", abstained=True)) == "triage"
    assert route_intent(_state("billing_invoice")) == "triage"


def test_a_question_naming_only_a_client_without_open_projects_is_asked_back() -> None:
    assert route_intent(_state("general_question", project=False, client=True)) == "clarify"
    assert route_intent(_state("general_question", project=False)) == "answer"  # help
    assert route_intent(_state("general_question", client=True)) == "answer"


def test_doubt_between_a_question_and_a_risk_about_a_project_is_answered() -> None:
    torn = ("general_question", "risk_escalation")
    assert route_intent(_state("general_question", abstained=True, question=True,
                               alternatives=torn)) == "answer"  # fmt: skip
    # Not without a project, not for a request phrased as a request, not with other doubts.
    assert route_intent(_state("general_question", abstained=True, question=True, project=False,
                               alternatives=torn)) == "triage"  # fmt: skip
    assert route_intent(_state("general_question", abstained=True, alternatives=torn)) == "triage"
    assert route_intent(_state("general_question", abstained=True, question=True,
                               alternatives=("general_question", "staffing_request"))) == "triage"  # fmt: skip


def test_a_question_about_all_my_projects_goes_to_the_portfolio() -> None:
    asked = _state("risk_escalation", project=False)
    asked["intent"]["portfolio"] = True
    assert route_intent(asked) == "portfolio"
    named = _state("risk_escalation")  # a project named: about that project, not all
    named["intent"]["portfolio"] = True
    assert route_intent(named) == "assess_risk"
    # The project the conversation was about is no reason to answer for it alone.
    focused = _state("risk_escalation")
    focused["extraction"]["project_source"] = "context"
    focused["intent"]["portfolio"] = True
    assert route_intent(focused) == "portfolio"
