"""The conversations a delivery manager has with the copilot, end to end on the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agents import chat
from agents.adapters.classifier import KeywordClassifier
from agents.copilot import Copilot
from app.runtime import Runtime
from domain.db import unit_of_work
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink
from tests.agents.firm import Firm


def test_staffing_request_proposes_ranked_candidates(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    text = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"
    result = conversation.say(text)

    assert result.status == "awaiting_decision"
    [proposal] = sink.submitted
    assert proposal.type == "assign_staff"
    p = proposal.payload
    assert p["project_id"] == firm.contoso
    assert p["hours_per_week"] == 30
    assert p["start_date"] == "2027-03-01"
    assert p["role"] == "senior data engineer"
    names = [c["name"] for c in p["candidates"]]
    # Ana has both skills at a senior level and is free; Dora is booked full-time.
    assert names[0] == "Ana Costa"
    assert "Dora Ivanova" not in names
    assert "Gus Lind" not in names  # no Spark, no Azure
    assert p["chosen_consultant_id"] == firm.people["Ana Costa"]
    assert all(c["reasons"] and c["score_parts"] for c in p["candidates"])
    # The proposal is on behalf of the person who asked, not the copilot.
    assert proposal.requester == conversation.requester
    assert "Ana Costa" in result.reply and "waiting for approval" in result.reply


def test_the_message_goes_to_the_classifier_before_it_is_stored(
    make_copilot: Callable[..., Copilot], talk_to: Callable[[Copilot], Conversation]
) -> None:
    """So that its embedding is computed while the message and the run are written."""
    prepared: list[tuple[str, list[str]]] = []

    class Watching(KeywordClassifier):
        def prepare(self, text: str) -> None:
            prepared.append((text, conversation.history()))

    conversation = talk_to(make_copilot(classifier=Watching()))
    conversation.say("how is the Fabrikam migration doing?")
    conversation.say("and Contoso?")

    first, second = prepared
    assert first == ("how is the Fabrikam migration doing?", [])  # nothing stored yet
    assert second[0] == "and Contoso?"
    assert second[1][0] == "how is the Fabrikam migration doing?"
    assert "and Contoso?" not in second[1]


def test_question_about_a_project_answers_with_facts_and_flags_high_risk(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    result = conversation.say("how is the Fabrikam migration doing?")

    assert "1000 of 1200 budget hours" in result.reply
    assert f"[pj:{firm.fabrikam_migration}]" in result.reply  # cites its facts
    [flag] = sink.submitted
    assert flag.type == "flag_risk"
    assert flag.payload["project_id"] == firm.fabrikam_migration
    assert flag.payload["probability"] >= 0.5
    assert flag.payload["drivers"][0]["feature"] == "burn_ahead_of_progress"
    assert flag.evidence["llm_calls"][0]["prompt"]["id"] == "project_answer"


def test_question_about_a_healthy_project_proposes_nothing(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("how is Northwind doing?")

    assert result.status == "done"
    assert sink.submitted == []
    assert "Northwind Analytics Rollout" in result.reply
    assert "(low)" in result.reply


def test_status_draft_cites_its_facts(conversation: Conversation, sink: RecordingSink) -> None:
    conversation.say("draft this week's status for Northwind")

    [summary] = sink.submitted
    assert summary.type == "send_status_summary"
    draft = summary.payload["draft"]
    assert "22.5 hours logged by 3 people" in draft
    assert "UAT complete" in draft
    cited = summary.evidence["cited_fact_ids"]
    assert any(i.startswith("te:") for i in cited)
    assert any(i.startswith("ms:") for i in cited)
    assert any(i.startswith("sn:") for i in cited)
    assert {f["id"] for f in summary.payload["facts"]} <= set(cited)
    assert summary.evidence["unsupported_claims"] == []
    assert summary.evidence["auto_accept_allowed"] is True
    assert summary.payload["rag"] == "green"
    assert summary.versions["prompt_id"] == "status_summary"
    assert len(summary.versions["prompt_hash"]) == 64


def test_change_request_uses_the_project_in_context(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    conversation.say("how is Northwind doing?")
    result = conversation.say("client wants two extra interfaces, about 80 hours")

    [change] = sink.submitted
    assert change.type == "raise_change_request"
    assert change.payload["project_id"] == firm.northwind
    assert change.payload["estimated_hours"] == 80
    assert change.payload["title"] == "Northwind Analytics Rollout: Two extra interfaces"
    assert "earlier in this conversation" in result.reply


def test_change_request_without_an_estimate_asks_for_one(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("Northwind client wants two extra interfaces")

    assert sink.submitted == []
    assert "How many hours" in result.reply


def test_an_unknown_project_gets_a_question_not_a_guess(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say("how is Northwind doing?")  # a project in focus must not be used
    result = conversation.say("draft this week's status for Globex")

    assert sink.submitted == []
    assert "couldn't find a project or client called 'Globex'" in result.reply
    assert "Northwind Analytics Rollout" in result.reply  # offers the real options


@pytest.mark.parametrize("text", ["how is Globex doing?", "how's Globex going"])
def test_a_question_about_an_unknown_name_says_so(
    conversation: Conversation, sink: RecordingSink, text: str
) -> None:
    result = conversation.say(text)

    assert sink.submitted == []
    assert "couldn't find a project or client called 'Globex'" in result.reply


def test_a_question_about_a_client_with_no_open_project_says_so(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("how is Tailspin doing?")

    assert sink.submitted == []
    assert "Tailspin Toys has no open project" in result.reply


def test_a_question_torn_between_progress_and_risk_is_answered_not_sent_to_triage(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("How is the Northwind project going? Any risks?")

    assert [p.type for p in sink.submitted if p.type == "route_request"] == []
    assert "Northwind Analytics Rollout" in result.reply
    assert "triage" not in result.reply


def test_a_client_with_two_projects_gets_a_choice(
    conversation: Conversation, sink: RecordingSink
) -> None:
    result = conversation.say("draft the status for Fabrikam")

    assert sink.submitted == []
    assert "Fabrikam ERP Migration" in result.reply
    assert "Fabrikam Support Retainer" in result.reply


def test_out_of_scope_requests_are_routed_and_unclear_ones_triaged(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say("please send the invoice for October")
    conversation.say("invoice the extra timesheet hours")

    routed, triaged = sink.of_type("route_request")
    assert routed.payload["predicted_category"] == "billing_invoice"
    assert routed.evidence["abstained"] is False
    assert triaged.evidence["abstained"] is True
    assert triaged.payload["text"] == "invoice the extra timesheet hours"


def test_the_conversation_is_kept_with_its_proposals(
    conversation: Conversation, runtime: Runtime
) -> None:
    result = conversation.say("draft this week's status for Northwind")

    with unit_of_work(runtime.sessions) as s:
        history = [
            (m.role, m.content, m.proposal_ids) for m in chat.messages(s, conversation.thread)
        ]
    assert [h[0] for h in history] == ["user", "assistant"]
    assert history[0][1] == "draft this week's status for Northwind"
    assert history[1][2] == [result.proposals[0]["id"]]
    assert history[1][1] == result.reply


def test_naming_the_project_completes_the_request_that_asked_for_it(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    first = conversation.say("draft the status for Fabrikam")
    assert sink.submitted == []
    assert "Fabrikam ERP Migration" in first.reply

    second = conversation.say("Fabrikam ERP Migration")

    assert "Fabrikam ERP Migration" in second.reply
    [proposal] = sink.submitted
    assert proposal.type == "send_status_summary"
    assert proposal.payload["project_id"] == firm.fabrikam_migration


def test_a_new_request_after_a_question_is_read_on_its_own(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say("draft the status for Fabrikam")
    # A long message is a new request, not the answer to "which project?".
    conversation.say(
        "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week",
    )
    [proposal] = sink.submitted
    assert proposal.type == "assign_staff"
