"""A run that proposes waits for the approver; the decision resumes it and is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from agents import runs
from agents.copilot import Copilot
from agents.nodes.propose import respond, submit_proposals
from agents.ports import DecisionInfo
from agents.tables import AgentSubmission, ChatMessage
from app.runtime import Runtime
from domain.db import unit_of_work
from governance.tables import Proposal
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink

STAFFING = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"


def test_the_decision_resumes_the_run_and_is_posted_to_the_conversation(
    conversation: Conversation, copilot: Copilot, runtime: Runtime
) -> None:
    first = conversation.say(STAFFING)
    [proposal] = first.proposals
    assert copilot.waiting_for(first.run_key) == [proposal["id"]]

    decision = DecisionInfo(
        proposal_id=proposal["id"],
        outcome="overridden",
        decided_by="rita@example.com",
        role="approver",
        reason_code="better_fit",
        note="Ben knows the client",
    )
    resumed = copilot.resume_after_decision(first.run_key, decision)

    assert resumed is not None and resumed.status == "done"
    assert copilot.waiting_for(first.run_key) == []
    last = conversation.history()[-1]
    assert f"Proposal {proposal['id']}" in last
    assert "overridden by rita@example.com (approver)" in last
    assert "better_fit — Ben knows the client" in last
    with unit_of_work(runtime.sessions) as s:
        run = runs.get_run(s, first.run_key)
        assert run is not None and run.status == "done"
        assert s.get(AgentSubmission, f"{first.run_key}:staff").status == "overridden"  # type: ignore[union-attr]


def test_resuming_does_not_submit_or_post_twice(
    conversation: Conversation, copilot: Copilot, sink: RecordingSink
) -> None:
    first = conversation.say(STAFFING)
    pid = first.proposals[0]["id"]
    copilot.resume_after_decision(first.run_key, DecisionInfo(pid, "accepted", "rita@example.com"))

    assert len(sink.submitted) == 1
    assert len(conversation.history()) == 3  # question, reply, outcome


def test_a_decision_the_run_is_not_waiting_for_changes_nothing(
    conversation: Conversation, copilot: Copilot
) -> None:
    first = conversation.say(STAFFING)
    pid = first.proposals[0]["id"]

    assert (
        copilot.resume_after_decision(first.run_key, DecisionInfo("nope", "accepted", "x")) is None
    )
    assert copilot.resume_after_decision("no-such-run", DecisionInfo(pid, "accepted", "x")) is None
    assert copilot.resume_after_decision(first.run_key, DecisionInfo(pid, "rejected", "x"))
    # Decided once: a second (late or replayed) decision is not applied again.
    assert copilot.resume_after_decision(first.run_key, DecisionInfo(pid, "accepted", "y")) is None
    history = conversation.history()
    assert sum("was rejected" in m for m in history) == 1
    assert not any("was accepted" in m for m in history)


def test_a_waiting_run_survives_a_restart(
    make_copilot: Callable[..., Copilot], talk_to: Callable[[Copilot], Conversation]
) -> None:
    conversation = talk_to(make_copilot())
    first = conversation.say(STAFFING)
    pid = first.proposals[0]["id"]

    # A new process: new copilot, same checkpointer storage, found through the proposal id.
    after_restart = make_copilot()
    resumed = after_restart.on_decision(DecisionInfo(pid, "accepted", "rita@example.com"))

    assert resumed is not None and resumed.status == "done"
    assert "was accepted by rita@example.com" in conversation.history()[-1]


def test_a_new_message_while_a_proposal_waits_is_a_new_turn(
    conversation: Conversation, copilot: Copilot
) -> None:
    first = conversation.say(STAFFING)
    second = conversation.say("how is Northwind doing?")

    assert second.run_key != first.run_key
    assert copilot.waiting_for(first.run_key) == [first.proposals[0]["id"]]
    resumed = copilot.resume_after_decision(
        first.run_key, DecisionInfo(first.proposals[0]["id"], "accepted", "rita@example.com")
    )
    assert resumed is not None and resumed.status == "done"


def test_a_proposal_accepted_by_policy_at_submission_is_not_waited_for(
    make_copilot: Callable[..., Copilot], talk_to: Callable[[Copilot], Conversation]
) -> None:
    copilot = make_copilot(proposals=RecordingSink(status="accepted"))
    result = talk_to(copilot).say("please send the invoice for October")

    assert result.status == "done"
    assert "Proposal p1 (request routing)" in result.reply
    assert copilot.waiting_for(result.run_key) == []


def test_nodes_before_the_interrupt_are_idempotent(
    make_copilot: Callable[..., Copilot],
    talk_to: Callable[[Copilot], Conversation],
    runtime: Runtime,
) -> None:
    """A crashed or retried run may run submit and respond again: nothing doubles."""
    copilot = make_copilot()  # proposals go to the default sink, the approval queue
    first = talk_to(copilot).say("draft this week's status for Northwind")
    state: Any = copilot.graph.get_state({"configurable": {"thread_id": first.run_key}}).values

    class Rt:  # what LangGraph passes as ``runtime``: only the context is read
        context = copilot.context

    again = submit_proposals(state, Rt())  # type: ignore[arg-type]
    respond({**state, **again}, Rt())  # type: ignore[arg-type, typeddict-item]

    assert again["proposals"] == first.proposals
    with unit_of_work(runtime.sessions) as s:
        assert s.scalar(select(func.count()).select_from(Proposal)) == 1
        assert s.scalar(select(func.count()).select_from(ChatMessage)) == 2
