"""Understand a message: what kind of request it is and what it is about."""

from __future__ import annotations

import re
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

OPEN_STATUSES = ("active", "planned", "on_hold")


# Drafting verbs: "draft / write / prepare the status" asks for a summary to send; without
# one, a status request is a question about how the project is doing.
_DRAFT = re.compile(r"\b(draft|write|prepare|compose|send|put together|update for)\b", re.I)
# A reply to "which project do you mean?" is short: mostly the project's name.
FOLLOW_UP_MAX_WORDS = 8


def understand(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Classify and extract, then settle on one project or leave it to a question.

    When the previous turn asked which project a request was about and this message names
    one, the earlier request goes ahead with that project instead of being read anew.
    """
    ctx = runtime.context
    text = state["message"]
    focus = state.get("focus") or {}
    with ctx.transaction() as session:
        found = ctx.extractor.extract(session, text)
        extraction = resolve_project(session, found, focus)
    pending = focus.get("pending")
    if pending and extraction["project"] and len(text.split()) <= FOLLOW_UP_MAX_WORDS:
        merged = cast(Extraction, {**pending["extraction"], "project": extraction["project"]})
        merged["project_source"] = "message"
        merged["project_candidates"], merged["unknown_names"] = [], []
        return {
            "intent": pending["intent"],
            "extraction": merged,
            "message": pending["message"],
            "suspicious": find_instructions(text),
        }
    intent = intent_of(ctx.classifier.classify(text), ctx.policy.min_confidence)
    intent["question"] = _DRAFT.search(text) is None
    return {"intent": intent, "extraction": extraction, "suspicious": find_instructions(text)}


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


def resolve_project(session: Session, x: FoundExtraction, focus: dict[str, Any]) -> Extraction:
    """The extraction as state, with the project settled where the data allows.

    A named project wins; a client with one open project means that project; otherwise the
    project the conversation was already about, unless the message names something unknown.
    """
    project, source = _ref(x.project), "message" if x.project else None
    candidates = [r for r in map(_ref, x.project_candidates) if r]
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
        "role": x.role,
        "seniority": x.seniority,
        "skills": list(x.skills),
        "hours_per_week": x.hours_per_week,
        "start": x.start.isoformat() if x.start else None,
        "end": x.end.isoformat() if x.end else None,
        "hours_estimate": x.hours_estimate,
    }
