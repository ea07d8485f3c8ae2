"""The copilot asks back rather than guessing, says what it assumed, and drafts what is asked.

End to end on the database, through the copilot, like ``test_conversations``: staffing
without a role or skill, staffing dates, and status reports asked for without a verb.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.runtime import Runtime
from domain.db import unit_of_work
from domain.tables import Project
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink
from tests.agents.firm import DM_EMAIL, TODAY, Firm

# --- a staffing request with neither a role nor a skill gets a question ---------------------


def test_staffing_without_a_role_or_skill_asks_and_the_answer_completes_it(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    asked = conversation.say("we need someone for Northwind")

    assert asked.status == "done"
    assert sink.submitted == []
    assert "Which role and skills do you need for Northwind Analytics Rollout?" in asked.reply

    answered = conversation.say("a data engineer with Spark")

    [proposal] = sink.submitted
    assert proposal.type == "assign_staff"
    assert proposal.payload["project_id"] == firm.northwind
    assert proposal.payload["role"] == "data engineer"
    assert proposal.payload["candidates"][0]["name"] == "Ana Costa"  # Spark 5/5
    assert proposal.evidence["extraction"]["skills"] == ["Spark"]
    assert "Ana Costa" in answered.reply and "waiting for approval" in answered.reply


def test_staffing_without_a_project_or_role_asks_for_each_in_turn(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    first = conversation.say("staff the migration")
    assert "Which project is this about?" in first.reply

    second = conversation.say("Fabrikam ERP Migration")
    assert "Which role and skills do you need for Fabrikam ERP Migration?" in second.reply
    assert sink.submitted == []

    conversation.say("a data engineer with Spark")

    [proposal] = sink.submitted
    assert proposal.payload["project_id"] == firm.fabrikam_migration
    assert proposal.payload["role"] == "data engineer"


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I need someone with Spark for Northwind", "consultant"),
        ("I need a data engineer for Northwind", "data engineer"),
    ],
)
def test_a_role_or_a_skill_is_enough_to_propose(
    conversation: Conversation, sink: RecordingSink, text: str, role: str
) -> None:
    conversation.say(text)

    [proposal] = sink.submitted
    assert proposal.type == "assign_staff"
    assert proposal.payload["role"] == role


def test_a_new_request_after_the_role_question_is_read_on_its_own(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    conversation.say("we need someone for Northwind")
    conversation.say("draft this week's status for Northwind")

    [summary] = sink.submitted
    assert summary.type == "send_status_summary"
    assert summary.payload["project_id"] == firm.northwind


def test_a_project_still_in_focus_does_not_answer_which_project(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    conversation.say("how is Northwind doing?")
    conversation.say("draft this week's status for Globex")  # which project?
    conversation.say("a data engineer with Spark")  # names no project: a request of its own

    [proposal] = sink.submitted
    assert proposal.type == "assign_staff"
    assert proposal.payload["project_id"] == firm.northwind


# --- staffing dates: assumed, kept within the project, or refused ---------------------------


def test_a_start_not_given_is_assumed_and_said(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("I need a data engineer with Spark for Northwind, 20h a week")

    [proposal] = sink.submitted
    assert proposal.payload["start_date"] == "2026-11-26"  # today
    assert proposal.payload["end_date"] == "2027-03-31"  # the project's end
    assumed = proposal.evidence["assumptions"]
    assert "start not given; assumed 2026-11-26" in assumed
    assert "end not given; assumed the project's end, 2027-03-31" in assumed
    assert "start not given; assumed 2026-11-26" in result.reply


def test_a_length_without_a_start_runs_from_the_assumed_start(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say("I need a data engineer with Spark for Northwind for 6 weeks, 20h a week")

    [proposal] = sink.submitted
    assert proposal.payload["start_date"] == "2026-11-26"  # today, said as assumed
    assert proposal.payload["end_date"] == "2027-01-06"  # six weeks, not the project's end
    assert "start not given; assumed 2026-11-26" in proposal.evidence["assumptions"]


def test_an_end_past_the_project_end_is_cut_to_it_and_said(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say(
        "I need a data engineer with Spark for Northwind from January to June, 20h a week"
    )

    [proposal] = sink.submitted
    assert proposal.payload["start_date"] == "2027-01-01"
    assert proposal.payload["end_date"] == "2027-03-31"
    note = "the project ends 2027-03-31; assumed that end, not 2027-06-30"
    assert note in proposal.evidence["assumptions"]
    assert note in result.reply


def test_a_start_after_the_project_end_is_refused(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("I need a data engineer with Spark for Northwind from May")

    assert result.status == "done"
    assert sink.submitted == []
    assert "Northwind Analytics Rollout ends on 2027-03-31" in result.reply
    assert "2027-05-01" in result.reply
    assert "I haven't proposed anyone" in result.reply


# --- a status report asked for without a drafting verb is drafted ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Status report for Northwind",
        "Northwind weekly report",
        "status update Northwind please",
        "can you put together the status for Northwind Traders for this week",
    ],
)
def test_a_status_report_asked_for_is_drafted(
    conversation: Conversation, sink: RecordingSink, firm: Firm, text: str
) -> None:
    result = conversation.say(text)

    [summary] = sink.submitted
    assert summary.type == "send_status_summary"
    assert summary.payload["project_id"] == firm.northwind
    assert result.reply.startswith("Draft status for Northwind Analytics Rollout:")


@pytest.mark.parametrize(
    "text", ["is Northwind on track for its weekly report?", "how is Northwind doing?"]
)
def test_a_question_about_a_project_is_answered_not_drafted(
    conversation: Conversation, sink: RecordingSink, text: str
) -> None:
    result = conversation.say(text)

    assert sink.submitted == []
    assert "Draft status" not in result.reply
    assert "300 of 800 budget hours" in result.reply


# --- a change request without an estimate asks for one, and the answer completes it -------


@pytest.mark.parametrize("reply", ["about 80", "80 hours", "80"])
def test_a_change_request_without_an_estimate_asks_and_the_answer_completes_it(
    conversation: Conversation, sink: RecordingSink, firm: Firm, reply: str
) -> None:
    asked = conversation.say("Northwind wants two extra interfaces")
    assert "How many hours do you estimate" in asked.reply
    assert sink.submitted == []

    conversation.say(reply)

    [proposal] = sink.submitted
    assert proposal.type == "raise_change_request"
    assert proposal.payload["project_id"] == firm.northwind
    assert proposal.payload["estimated_hours"] == 80
    assert "two extra interfaces" in proposal.payload["scope_delta"]  # the original request


def test_a_number_is_not_an_estimate_without_the_question(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say("how is Northwind doing?")
    conversation.say("80")
    assert [p.type for p in sink.submitted if p.type == "raise_change_request"] == []


# --- a headcount gets one proposal per person, each a different consultant ----------------


def test_two_people_asked_for_get_two_proposals_with_different_people(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    result = conversation.say("We need two data engineers with Spark for Northwind, 20h a week")

    staffing = [p for p in sink.submitted if p.type == "assign_staff"]
    assert len(staffing) == 2
    chosen = [p.payload["chosen_consultant_id"] for p in staffing]
    assert len(set(chosen)) == 2  # two different people
    assert all(p.payload["project_id"] == firm.northwind for p in staffing)
    assert [p.title.split(": ", 1)[1].split(",")[0] for p in staffing] == [
        "data engineer (1 of 2)",
        "data engineer (2 of 2)",
    ]
    assert "2 people: data engineer" in result.reply
    names = [p.payload["candidates"][0]["name"] for p in staffing]
    assert all(name in result.reply for name in names)


def test_one_person_asked_for_keeps_one_proposal(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say("We need a data engineer with Spark for Northwind, 20h a week")
    assert [p.type for p in sink.submitted] == ["assign_staff"]


# --- a question about all of one's projects lists them with their risk --------------------


@pytest.mark.parametrize(
    "text",
    ["which of my projects are at risk?", "how are my projects doing?", "portfolio overview"],
)
def test_a_question_about_my_projects_lists_them_riskiest_first(
    conversation: Conversation, sink: RecordingSink, text: str
) -> None:
    result = conversation.say(text)

    assert sink.submitted == []  # read-only
    assert "running projects, riskiest first" in result.reply
    listed = [line for line in result.reply.splitlines() if line.startswith("- ")]
    assert len(listed) >= 2 and all("chance of overrunning" in line for line in listed)
    shares = [int(line.split(": ")[1].split("%")[0]) for line in listed]
    assert shares == sorted(shares, reverse=True)
    assert "Northwind Analytics Rollout" in result.reply
    assert "Which project is this about?" not in result.reply


def test_a_question_about_one_project_is_not_a_portfolio_question(
    conversation: Conversation,
) -> None:
    result = conversation.say("how is the Fabrikam migration doing?")
    assert "riskiest first" not in result.reply


def test_a_portfolio_question_after_one_about_a_project_is_about_all_of_them(
    conversation: Conversation,
) -> None:
    conversation.say("how is Northwind doing?")
    result = conversation.say("which of my projects are at risk?")

    assert "running projects, riskiest first" in result.reply


def test_a_project_not_started_yet_is_listed_but_not_scored(
    conversation: Conversation, runtime: Runtime, firm: Firm
) -> None:
    with unit_of_work(runtime.sessions) as s:
        contoso = s.get(Project, firm.contoso)
        assert contoso is not None
        planned = Project(
            external_id="PRJ-NEXT", client_id=contoso.client_id, name="Contoso Next Phase",
            engagement_type="implementation", contract_type="fixed_fee", practice="Data & AI",
            region="EMEA", budget_hours=400, budget_amount=64_000, bill_rate=160.0,
            start_date=TODAY + timedelta(days=60), end_date=TODAY + timedelta(days=200),
            percent_complete=0, status="planned", delivery_manager_email=DM_EMAIL,
        )  # fmt: skip
        s.add(planned)

    result = conversation.say("which of my projects are at risk?")

    listed = [line for line in result.reply.splitlines() if line.startswith("- ")]
    assert listed and not any("Contoso Next Phase" in line for line in listed)
    assert "Not started yet, so not scored: Contoso Next Phase." in result.reply
