"""Routers: pure functions from state to the name of the next node."""

from __future__ import annotations

from typing import Literal

from agents.nodes.propose import pending
from agents.state import State
from domain.types import RequestCategory as C

WorkNode = Literal[
    "clarify",
    "triage",
    "recommend_staff",
    "assess_risk",
    "draft_summary",
    "raise_change_request",
    "setup_project",
    "answer",
    "answer_people",
    "portfolio",
]
# Categories the agent can act on only for a known project.
NEEDS_PROJECT = {C.staffing_request, C.status_report, C.scope_change, C.risk_escalation}
_WORK: dict[str, WorkNode] = {
    C.staffing_request: "recommend_staff",
    C.status_report: "draft_summary",
    C.scope_change: "raise_change_request",
    C.risk_escalation: "assess_risk",
    C.general_question: "answer",
}
# What ``answer`` covers for a named project: the facts, the overrun risk (flagged if newly
# high) and how it is going. Doubt among these alone is no reason to hand the message on.
ANSWERABLE = {C.general_question, C.status_report, C.risk_escalation}


def route_trigger(state: State) -> Literal["understand", "interpret_event"]:
    """Messages are understood from their text; events from their type and payload."""
    return "interpret_event" if state["trigger"]["kind"] == "event" else "understand"


def route_intent(state: State) -> WorkNode:
    """The work node for the request; a question back when the project is not clear."""
    intent, x = state["intent"], state["extraction"]
    label = intent["label"]
    if intent["source"] == "event":
        if label == C.project_setup:
            return "setup_project"
        return "assess_risk" if x["project"] else "clarify"
    # "which of my projects are at risk?": all of them, read-only, unless the message itself
    # names a project or client (one only in focus from earlier turns does not count).
    if intent.get("portfolio") and x["project_source"] in (None, "context") and not x["client"]:
        return "portfolio"
    if routes_to_people(state):
        return "answer_people"
    if intent["abstained"]:
        # "How is the Northwind project going? Any risks?" sits between a question and a risk
        # escalation: an answer about the project serves both; anything else goes to a person.
        runners_up = {label, *(alt for alt, _ in intent["alternatives"][:2])}
        if x["project"] is not None and intent.get("question") and runners_up <= ANSWERABLE:
            return "answer"
        return "triage"
    if x["project"] is None and (
        label in NEEDS_PROJECT
        or (
            label == C.general_question
            # Named something we cannot answer about: unknown, ambiguous, or a client with no
            # open project ("how is Tailspin doing?").
            and (x["unknown_names"] or x["project_candidates"] or x["client"])
        )
    ):
        return "clarify"
    if label == C.status_report and intent.get("question"):
        return "answer"  # "how is X doing?": the facts and the risk, not a draft to send
    # Timesheets, invoices and set-up requests belong to other teams: route them.
    return _WORK.get(label, "triage")


def routes_to_people(state: State) -> bool:
    """A question about named people: what they are doing or when they are free ("is Ana
    Costa free in March?", even with a project: "...to join Contoso?"), or who they are
    ("who is Ana Costa?") when no project is named. A request to staff someone who happens
    to be booked ("Ana is booked, find someone else for Contoso") stays a staffing request.
    """
    intent, x = state["intent"], state["extraction"]
    if not (x.get("people") or x.get("people_candidates")):
        return False
    if intent.get("about_people"):
        return bool(intent.get("question")) or intent["label"] != C.staffing_request
    return (
        bool(intent.get("question"))
        and x["project_source"] != "message"
        and intent["label"] in ANSWERABLE
    )


def route_after_work(state: State) -> Literal["submit_proposals", "respond"]:
    return "submit_proposals" if state.get("drafts") else "respond"


def route_after_respond(state: State) -> Literal["await_decision", "__end__"]:
    """Wait for decisions only while a proposal of this run is pending ("__end__" is END)."""
    return "await_decision" if pending(state) else "__end__"


def route_after_outcome(state: State) -> Literal["await_decision", "__end__"]:
    return "await_decision" if pending(state) else "__end__"
