"""A run that proposes waits for the approver; the decision resumes it and is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from agents import chat, runs
from agents.copilot import Copilot
from agents.nodes.propose import respond, submit_proposals
from agents.ports import DecisionInfo, Requester
from agents.tables import AgentSubmission, ChatMessage, CopilotProposal
from app.runtime import Runtime
from domain.db import unit_of_work
from tests.agents.fakes import RecordingSink
from tests.agents.firm import Firm

STAFFING = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"


def _history(runtime: Runtime, thread: str) -> list[str]:
    with unit_of_work(runtime.sessions) as s:
        return [m.content for m in chat.messages(s, thread)]


def test_the_decision_resumes_the_run_and_is_posted_to_the_conversation(
    copilot: Copilot,
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    thread = thread_of(dm)
    first = copilot.chat(thread, dm, STAFFING)
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
    last = _history(runtime, thread)[-1]
    assert f"Proposal {proposal['id']}" in last
    assert "overridden by rita@example.com (approver)" in last
    assert "better_fit — Ben knows the client" in last
    with unit_of_work(runtime.sessions) as s:
        run = runs.get_run(s, first.run_key)
        assert run is not None and run.status == "done"
        assert s.get(AgentSubmission, f"{first.run_key}:staff").status == "overridden"  # type: ignore[union-attr]


def test_resuming_does_not_submit_or_post_twice(
    copilot: Copilot,
    sink: RecordingSink,
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    thread = thread_of(dm)
    first = copilot.chat(thread, dm, STAFFING)
    pid = first.proposals[0]["id"]
    copilot.resume_after_decision(first.run_key, DecisionInfo(pid, "accepted", "rita@example.com"))

    assert len(sink.submitted) == 1
    assert len(_history(runtime, thread)) == 3  # question, reply, outcome


def test_a_decision_the_run_is_not_waiting_for_changes_nothing(
    copilot: Copilot,
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    thread = thread_of(dm)
    first = copilot.chat(thread, dm, STAFFING)
    pid = first.proposals[0]["id"]

    assert (
        copilot.resume_after_decision(first.run_key, DecisionInfo("nope", "accepted", "x")) is None
    )
    assert copilot.resume_after_decision("no-such-run", DecisionInfo(pid, "accepted", "x")) is None
    assert copilot.resume_after_decision(first.run_key, DecisionInfo(pid, "rejected", "x"))
    # Decided once: a second (late or replayed) decision is not applied again.
    assert copilot.resume_after_decision(first.run_key, DecisionInfo(pid, "accepted", "y")) is None
    assert sum("was rejected" in m for m in _history(runtime, thread)) == 1
    assert not any("was accepted" in m for m in _history(runtime, thread))


def test_a_waiting_run_survives_a_restart(
    make_copilot: Callable[..., Copilot],
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    thread = thread_of(dm)
    first = make_copilot().chat(thread, dm, STAFFING)
    pid = first.proposals[0]["id"]

    # A new process: new copilot, same checkpointer storage, found through the proposal id.
    after_restart = make_copilot()
    resumed = after_restart.on_decision(DecisionInfo(pid, "accepted", "rita@example.com"))

    assert resumed is not None and resumed.status == "done"
    assert "was accepted by rita@example.com" in _history(runtime, thread)[-1]


def test_a_new_message_while_a_proposal_waits_is_a_new_turn(
    copilot: Copilot,
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    thread = thread_of(dm)
    first = copilot.chat(thread, dm, STAFFING)
    second = copilot.chat(thread, dm, "how is Northwind doing?")

    assert second.run_key != first.run_key
    assert copilot.waiting_for(first.run_key) == [first.proposals[0]["id"]]
    resumed = copilot.resume_after_decision(
        first.run_key, DecisionInfo(first.proposals[0]["id"], "accepted", "rita@example.com")
    )
    assert resumed is not None and resumed.status == "done"


def test_a_proposal_accepted_by_policy_at_submission_is_not_waited_for(
    make_copilot: Callable[..., Copilot],
    firm: Firm,
    dm: Requester,
    thread_of: Callable[[Requester], str],
) -> None:
    copilot = make_copilot(proposals=RecordingSink(status="accepted"))
    result = copilot.chat(thread_of(dm), dm, "please send the invoice for October")

    assert result.status == "done"
    assert "Proposal p1 (request routing)" in result.reply
    assert copilot.waiting_for(result.run_key) == []


def test_nodes_before_the_interrupt_are_idempotent(
    make_copilot: Callable[..., Copilot],
    firm: Firm,
    dm: Requester,
    runtime: Runtime,
    thread_of: Callable[[Requester], str],
) -> None:
    """A crashed or retried run may run submit and respond again: nothing doubles."""
    copilot = make_copilot()  # proposals go to the default table sink
    ctx = copilot.context
    thread = thread_of(dm)
    first = copilot.chat(thread, dm, "draft this week's status for Northwind")
    state: Any = copilot.graph.get_state({"configurable": {"thread_id": first.run_key}}).values

    class Rt:  # what LangGraph passes as ``runtime``: only the context is read
        context = ctx

    again = submit_proposals(state, Rt())  # type: ignore[arg-type]
    respond({**state, **again}, Rt())  # type: ignore[arg-type]

    assert again["proposals"] == first.proposals
    with unit_of_work(runtime.sessions) as s:
        assert s.scalar(select(func.count()).select_from(CopilotProposal)) == 1
        assert s.scalar(select(func.count()).select_from(ChatMessage)) == 2
