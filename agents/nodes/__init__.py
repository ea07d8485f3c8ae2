"""The graph's nodes: small verbs that read the state and return a partial update."""

from agents.nodes.answer import answer
from agents.nodes.change import raise_change_request
from agents.nodes.clarify import clarify
from agents.nodes.events import interpret_event, setup_project
from agents.nodes.people import answer_people
from agents.nodes.portfolio import portfolio
from agents.nodes.propose import await_decision, post_outcome, respond, submit_proposals
from agents.nodes.risk import assess_risk
from agents.nodes.staffing import recommend_staff
from agents.nodes.summary import draft_summary
from agents.nodes.triage import triage
from agents.nodes.understand import understand

__all__ = [
    "answer",
    "answer_people",
    "assess_risk",
    "await_decision",
    "clarify",
    "draft_summary",
    "interpret_event",
    "portfolio",
    "post_outcome",
    "raise_change_request",
    "recommend_staff",
    "respond",
    "setup_project",
    "submit_proposals",
    "triage",
    "understand",
]
