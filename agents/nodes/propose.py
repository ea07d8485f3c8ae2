"""Submit drafts to the approval queue, tell the person, wait for the decision, report it.

These nodes run before ``await_decision`` interrupts, and a crashed or retried run may run
them again, so each is idempotent: proposals by an idempotency key made of the run key and
the draft's key, chat messages by a dedupe key.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents import chat, memory
from agents.context import Ctx
from agents.ports import ProposalSubmission, Requester
from agents.state import Decision, ProposalDraft, ProposalRef, State

OUTCOME_WORDS = {
    "accepted": "accepted",
    "accepted_with_edits": "accepted with edits",
    "overridden": "overridden",
    "rejected": "rejected",
    "expired": "expired without a decision, so nothing was done",
}


def submit_proposals(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Queue every draft once; a project someone else flagged meanwhile is skipped."""
    ctx, run_key = runtime.context, state["run_key"]
    refs: list[ProposalRef] = []
    with ctx.transaction() as session:
        for d in state.get("drafts", []):
            key = f"{run_key}:{d['key']}"
            if (done := memory.submitted(session, key)) is not None:
                refs.append(
                    {
                        "id": done.proposal_id,
                        "type": done.proposal_type,
                        "title": done.title,
                        "status": done.status,
                    }
                )
                continue
            pid = d["flags_project_id"]
            if pid is not None and not memory.claim_flag(session, pid, d["payload"]["probability"]):
                continue
            receipt = ctx.proposals.submit(session, _submission(state, d, key))
            if pid is not None:
                memory.attach_flag_proposal(session, pid, receipt.id)
            memory.record_submission(
                session,
                idempotency_key=key,
                run_key=run_key,
                proposal_id=receipt.id,
                proposal_type=d["type"],
                title=d["title"],
                status=receipt.status,
            )
            refs.append(
                {"id": receipt.id, "type": d["type"], "title": d["title"], "status": receipt.status}
            )
    return {"proposals": refs}


def _submission(state: State, d: ProposalDraft, key: str) -> ProposalSubmission:
    suspicious = state.get("suspicious", [])
    calls = state.get("llm_calls", [])
    evidence = {
        **d["evidence"],
        "llm_calls": calls,
        "llm_fallback": any(c["fallback_reason"] for c in calls),
        "suspicious_instructions": suspicious,
        # The agent can only withhold auto-accept, never grant it: policy decides the rest.
        "auto_accept_allowed": bool(d["evidence"].get("auto_accept_allowed", True))
        and not suspicious,
        "trace_id": state.get("trace_id"),
    }
    return ProposalSubmission(
        type=d["type"],
        title=d["title"],
        payload=d["payload"],
        evidence=evidence,
        versions=d["versions"],
        requester=Requester(**state["requester"]),
        run_links={
            "run_key": state["run_key"],
            "chat_thread_id": state.get("chat_thread_id"),
            "trace_id": state.get("trace_id"),
        },
        idempotency_key=key,
    )


# How a proposal type reads in a reply to a person.
TYPE_WORDS = {
    "assign_staff": "staffing",
    "flag_risk": "risk flag",
    "send_status_summary": "status summary",
    "route_request": "request routing",
    "raise_change_request": "change request",
    "promote_model": "model promotion",
}


def kind(proposal_type: str) -> str:
    return TYPE_WORDS.get(proposal_type, proposal_type.replace("_", " "))


def respond(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Post the reply, with the proposals it made, and remember the project in focus."""
    proposals = state.get("proposals", [])
    text = state.get("reply") or "Done."
    for p in proposals:
        waiting = "waiting for approval" if p["status"] == "pending" else p["status"]
        text += f"\n\nProposal {p['id']} ({kind(p['type'])}): {p['title']} — {waiting}."
    thread_id = state.get("chat_thread_id")
    is_chat = state["trigger"]["kind"] == "chat"
    if thread_id and (is_chat or proposals):
        with runtime.context.transaction() as session:
            chat.post_message(
                session,
                thread_id,
                "assistant",
                text,
                proposal_ids=[p["id"] for p in proposals],
                run_key=state["run_key"],
                dedupe_key=f"{state['run_key']}:reply",
                touch_thread=not is_chat,  # set_focus below updates the thread row
            )
            if is_chat:
                chat.set_focus(session, thread_id, next_focus(state))
    return {"reply": text}


def next_focus(state: State) -> dict[str, Any]:
    """What the next turn starts from: the project talked about, and a request on hold.

    A request the turn asked about ("which project do you mean?", "which role and skills?")
    is kept, so a reply giving the answer completes it; any other turn drops it.
    """
    focus: dict[str, Any] = {}
    project = state["extraction"]["project"] or (state.get("focus") or {}).get("project")
    if project is not None:
        focus["project"] = project
    if state.get("clarifying"):
        focus["pending"] = {
            "message": state["message"],
            "intent": state["intent"],
            "extraction": state["extraction"],
        }
    return focus


def pending(state: State) -> list[ProposalRef]:
    """Proposals of this run still waiting for a decision."""
    decided = {d["proposal_id"] for d in state.get("decisions", [])}
    return [
        p for p in state.get("proposals", []) if p["status"] == "pending" and p["id"] not in decided
    ]


def await_decision(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Pause until an approver decides one of the pending proposals.

    ``interrupt`` comes first: on resume this node runs again from its top, and nothing
    before the interrupt may have effects.
    """
    waiting = [p["id"] for p in pending(state)]
    value = interrupt({"awaiting": "decision", "proposal_ids": waiting})
    if not isinstance(value, dict) or value.get("proposal_id") not in waiting:
        return {}  # not one of ours, or already decided: keep waiting
    decision: Decision = {
        "proposal_id": str(value["proposal_id"]),
        "outcome": str(value.get("outcome", "")),
        "decided_by": str(value.get("decided_by", "")),
        "role": str(value.get("role", "")),
        "reason_code": str(value.get("reason_code", "")),
        "note": str(value.get("note", "")),
        "decided_at": value.get("decided_at"),
    }
    return {"decisions": [decision]}


def post_outcome(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Tell the conversation what the approver decided, once per decision."""
    decisions = state.get("decisions", [])
    if not decisions:
        return {}
    d = decisions[-1]
    ref = next((p for p in state.get("proposals", []) if p["id"] == d["proposal_id"]), None)
    what = f"{kind(ref['type'])}: {ref['title']}" if ref else d["proposal_id"]
    who = f" by {d['decided_by']}" + (f" ({d['role']})" if d["role"] else "")
    text = (
        f"Proposal {d['proposal_id']} ({what}) was {OUTCOME_WORDS.get(d['outcome'], d['outcome'])}"
    )
    text += (who if d["outcome"] != "expired" else "") + "."
    if d["reason_code"] or d["note"]:
        text += f" Reason: {d['reason_code']}" + (f" — {d['note']}" if d["note"] else "") + "."
    with runtime.context.transaction() as session:
        memory.set_submission_status(session, d["proposal_id"], d["outcome"])
        if thread_id := state.get("chat_thread_id"):
            chat.post_message(
                session,
                thread_id,
                "assistant",
                text,
                proposal_ids=[d["proposal_id"]],
                run_key=state["run_key"],
                dedupe_key=f"{state['run_key']}:decision:{d['proposal_id']}",
            )
    return {"reply": text}
