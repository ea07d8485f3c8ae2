"""Understand a message: what kind of request it is and what it is about."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from langgraph.runtime import Runtime
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.context import Ctx
from agents.ports import Classification, EntityMatch
from agents.ports import Extraction as FoundExtraction
from agents.safety import find_instructions
from agents.state import EntityRef, Extraction, Intent, State
from domain.tables import Project
from domain.types import RequestCategory

OPEN_STATUSES = ("active", "planned", "on_hold")


# Drafting verbs: "draft / write / prepare the status" asks for a summary to send.
_DRAFT = re.compile(r"\b(draft|write|prepare|compose|send|put together|update for)\b", re.I)
# A question about how the project is doing: "how is X doing?", "is X on track?". Without a
# drafting verb such a status request is answered; "status report for X" is drafted.
_ASKS = re.compile(
    r"^\W*(how|how's|is|are|was|were|what|what's|when|where|why|will|does|did|has|have|any)\b"
    r"|\?\s*$",
    re.I,
)
# A request even with a question mark: "can you send me the status update?"
_REQUEST = re.compile(r"^\W*(can|could|would|will) you\b|\bplease\b", re.I)
# A reply to "which project do you mean?" or "which role?" is short: a name or a role.
FOLLOW_UP_MAX_WORDS = 8
# What a reply to "which role and skills?" may add to the staffing request on hold.
STAFFING_DETAILS = (
    "role", "seniority", "headcount", "skills", "hours_per_week", "start", "end", "duration_weeks"
)  # fmt: skip


def understand(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Classify and extract, then settle on one project or leave it to a question.

    When the previous turn asked about a request (which project, which role) and this short
    message answers it, the earlier request goes ahead with the answer instead of being
    read anew.
    """
    ctx = runtime.context
    text = state["message"]
    focus = state.get("focus") or {}
    with ctx.transaction() as session:
        found = ctx.extractor.extract(session, text)
        extraction = resolve_project(session, found, focus)
    pending = focus.get("pending")
    short = len(text.split()) <= FOLLOW_UP_MAX_WORDS
    if pending and short and (answer := answers(pending, extraction, text)):
        return {
            "intent": pending["intent"],
            "extraction": cast(Extraction, {**pending["extraction"], **answer}),
            "message": pending["message"],
            "suspicious": find_instructions(text),
        }
    intent = intent_of(ctx.classifier.classify(text), ctx.policy.min_confidence)
    intent["question"] = asks_about_the_project(text)
    intent["portfolio"] = asks_about_the_portfolio(text)
    intent["about_people"] = mentions_availability(text)
    return {"intent": intent, "extraction": extraction, "suspicious": find_instructions(text)}


# A bare figure is an estimate only as the answer to "how many hours?": "about 80", "80".
_BARE_NUMBER = re.compile(r"(?:about|around|roughly|approx\.?|~)?\s*(\d{1,6}(?:\.\d+)?)\s*\.?",
                          re.IGNORECASE)  # fmt: skip


# "which of my projects are at risk?", "how are my projects doing?", "portfolio overview"
_PORTFOLIO = re.compile(
    r"\b(?:(?:my|all|which|what|any|our)\b(?:\s+\w+){0,3}\s+projects|portfolio)\b", re.IGNORECASE
)


# What someone is doing or has room for: "is Ana free in March?", "what is Dora working on?"
_ABOUT_PEOPLE = re.compile(
    r"\b(?:free|available|availability|busy|capacity|booked|allocated|assigned|"
    r"working on|work on|staffed|utili[sz]ation|on the bench|bandwidth)\b",
    re.IGNORECASE,
)


def mentions_availability(text: str) -> bool:
    """A question about what people are doing or whether they have time."""
    return bool(_ABOUT_PEOPLE.search(text))


def asks_about_the_portfolio(text: str) -> bool:
    """A question about all of one's projects, not one of them."""
    return bool(_PORTFOLIO.search(text)) and not _DRAFT.search(text)


def asks_about_the_project(text: str) -> bool:
    """A question ("how is X doing?"), not a request for something to send."""
    return not (_DRAFT.search(text) or _REQUEST.search(text)) and bool(_ASKS.search(text))


def answers(pending: dict[str, Any], reply: Extraction, text: str) -> dict[str, Any]:
    """What ``reply`` adds to the request on hold: the project it lacked, if the reply names
    it (a project merely still in focus answers nothing), the role and skills that a
    staffing request lacked, with any hours or dates given alongside, or the estimate a
    change request lacked ("80 hours", or just "about 80" in answer to the question), or
    the person meant when a first name fitted several."""
    held: Extraction = pending["extraction"]
    answer: dict[str, Any] = {}
    named = reply["project_source"] != "context" or reply["client"] is not None
    if held["project"] is None and reply["project"] and named:
        answer = {
            "project": reply["project"],
            "project_source": "message",
            "project_candidates": [],
            "unknown_names": [],
        }
    if (
        pending["intent"]["label"] == RequestCategory.staffing_request
        and not (held["role"] or held["skills"])
        and (reply["role"] or reply["skills"])
    ):
        answer |= {k: v for k, v in reply.items() if k in STAFFING_DETAILS and v}
    if held.get("people_candidates") and not held.get("people") and reply.get("people"):
        answer |= {"people": reply["people"], "people_candidates": []}  # "which Ana?" "Ana Costa"
    if pending["intent"]["label"] == RequestCategory.scope_change and not held["hours_estimate"]:
        bare = _BARE_NUMBER.fullmatch(text.strip())
        hours = reply["hours_estimate"] or (float(bare[1]) if bare else None)
        if hours:
            answer["hours_estimate"] = hours
    return answer


def intent_of(c: Classification, min_confidence: float) -> Intent:
    return {
        "label": c.label,
        "confidence": round(c.confidence, 4),
        "abstained": c.abstained or c.confidence < min_confidence,
        "alternatives": [(label, round(p, 4)) for label, p in c.alternatives],
        "model_version": c.model_version,
        "source": "classifier",
    }


def _ref(m: EntityMatch | None) -> EntityRef | None:
    return {"id": m.id, "name": m.name} if m else None


def _refs(ms: Sequence[EntityMatch]) -> list[EntityRef]:
    return [{"id": m.id, "name": m.name} for m in ms]


def resolve_project(session: Session, x: FoundExtraction, focus: dict[str, Any]) -> Extraction:
    """The extraction as state, with the project settled where the data allows.

    A named project wins; a client with one open project means that project; otherwise the
    project the conversation was already about, unless the message names something unknown.
    """
    project, source = _ref(x.project), "message" if x.project else None
    candidates = _refs(x.project_candidates)
    focused: EntityRef | None = focus.get("project")
    if project is None and x.client is not None and not candidates:
        candidates = [
            {"id": i, "name": n}
            for i, n in session.execute(
                select(Project.id, Project.name)
                .where(Project.client_id == x.client.id, Project.status.in_(OPEN_STATUSES))
                .order_by(Project.name)
            )
        ]
    if project is None and len(candidates) == 1:
        project, source, candidates = candidates[0], "client", []
    if (
        project is None
        and focused
        and (
            any(c["id"] == focused["id"] for c in candidates)
            or (not candidates and x.client is None and not x.unknown_names)
        )
    ):
        project, source, candidates = focused, "context", []
    return {
        "project": project,
        "project_source": source,
        "client": _ref(x.client),
        "project_candidates": candidates,
        "unknown_names": list(x.unknown_names),
        "people": _refs(x.people),
        "people_candidates": _refs(x.people_candidates),
        "role": x.role,
        "seniority": x.seniority,
        "headcount": x.headcount,
        "skills": list(x.skills),
        "hours_per_week": x.hours_per_week,
        "start": x.start.isoformat() if x.start else None,
        "end": x.end.isoformat() if x.end else None,
        "duration_weeks": x.duration_weeks,
        "hours_estimate": x.hours_estimate,
    }
