"""Understand a message: what kind of request it is and what it is about."""

from __future__ import annotations

from typing import Any

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


def understand(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Classify and extract, then settle on one project or leave it to a question."""
    ctx = runtime.context
    text = state["message"]
    with ctx.transaction() as session:
        found = ctx.extractor.extract(session, text)
        extraction = resolve_project(session, found, state.get("focus") or {})
    intent = intent_of(ctx.classifier.classify(text), ctx.policy.min_confidence)
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
