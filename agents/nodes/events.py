"""Inbound events: read what an event is about, and set up projects from approved deals."""

from __future__ import annotations

from datetime import date
from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.context import Ctx
from agents.nodes.common import draft
from agents.nodes.staffing import (
    DEFAULT_HOURS,
    staffing_draft,
    staffing_request,
)
from agents.safety import find_instructions
from agents.state import EntityRef, Extraction, Intent, State
from domain.repositories.projects import get_project
from domain.tables import Project
from domain.types import RequestCategory

EVENT_INTENTS = {
    "deal.approved": RequestCategory.project_setup,
    "project.created": RequestCategory.project_setup,
    "timesheet.submitted": RequestCategory.risk_escalation,
    "status.updated": RequestCategory.risk_escalation,
}
MAX_ROLES = 10


def interpret_event(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Intent from the event type and project from the payload: no guessing from text."""
    trigger = state["trigger"]
    with runtime.context.transaction() as session:
        project = event_project(session, trigger["payload"])
    intent: Intent = {
        "label": EVENT_INTENTS[trigger["event_type"] or ""].value,
        "confidence": 1.0,
        "abstained": False,
        "alternatives": [],
        "model_version": "event-rules-1",
        "source": "event",
    }
    extraction: Extraction = {
        "project": project,
        "project_source": "event" if project else None,
        "client": None,
        "project_candidates": [],
        "unknown_names": [],
        "role": None,
        "seniority": None,
        "skills": [],
        "hours_per_week": None,
        "start": None,
        "end": None,
        "hours_estimate": None,
    }
    planted = [hit for text in _strings(trigger["payload"]) for hit in find_instructions(text)]
    return {"intent": intent, "extraction": extraction, "suspicious": planted}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def event_project(session: Session, payload: dict[str, Any]) -> EntityRef | None:
    """The project an event names by ``project_id``, ``project_external_id`` or exact name."""
    q = select(Project.id, Project.name)
    if isinstance(payload.get("project_id"), int):
        q = q.where(Project.id == payload["project_id"])
    elif payload.get("project_external_id"):
        q = q.where(Project.external_id == str(payload["project_external_id"]))
    elif payload.get("project_name"):
        q = q.where(Project.name == str(payload["project_name"]))
    else:
        return None
    row = session.execute(q.limit(1)).first()
    return {"id": row[0], "name": row[1]} if row else None


def setup_project(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """For an approved deal: a set-up request for the delivery team, and a staffing proposal
    per role once the project exists in the firm's data."""
    ctx, payload = runtime.context, state["trigger"]["payload"]
    project = state["extraction"]["project"]
    drafts, lines = [], []
    if state["trigger"]["event_type"] == "deal.approved":
        drafts.append(_setup_draft(state, payload))
        lines.append(
            f"Deal {payload.get('deal_id', '')} approved: I've proposed setting up "
            f"'{payload.get('project_name', 'the project')}'."
        )
    roles = [r for r in payload.get("roles", []) if isinstance(r, dict)][:MAX_ROLES]
    if roles and project is None:
        lines.append("Staffing proposals follow once the project exists (project.created).")
    elif roles and project is not None:
        with ctx.transaction() as session:
            target = get_project(session, project["id"])
            for i, role in enumerate(roles):
                request, dates = staffing_request(
                    ctx,
                    target,
                    role=str(role.get("role", "consultant")),
                    skills=[str(s) for s in role.get("skills", [])],
                    hours=float(role.get("hours_per_week") or DEFAULT_HOURS),
                    start=_date(role.get("start_date") or payload.get("start_date")),
                    end=_date(role.get("end_date") or payload.get("end_date")),
                    seniority=role.get("seniority"),
                )
                staffed, line = staffing_draft(
                    state, session, ctx, request, target, key=f"staff:{i}", note=dates
                )
                drafts += staffed
                lines.append(line)
    return {"drafts": drafts, "reply": "\n".join(lines) or "Nothing to set up."}


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _setup_draft(state: State, payload: dict[str, Any]) -> Any:
    fields = ("client", "project_name", "practice", "start_date", "end_date", "budget_hours")
    described = "; ".join(f"{f}: {payload[f]}" for f in fields if payload.get(f) is not None)
    roles = ", ".join(str(r.get("role")) for r in payload.get("roles", []) if isinstance(r, dict))
    text = f"Set up the project for approved deal {payload.get('deal_id', '?')}. {described}."
    text += f" Roles to staff: {roles}." if roles else ""
    return draft(
        state,
        type="route_request",
        title=f"Set up project: {payload.get('project_name', '?')}",
        payload={
            "text": text,
            "predicted_category": "project_setup",
            "confidence": 1.0,
            "alternatives": [],
        },
        key="setup",
        evidence={"deal": payload},
    )
