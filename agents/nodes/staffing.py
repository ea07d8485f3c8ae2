"""Recommend people for a staffing request and draft an ``assign_staff`` proposal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy.orm import Session

from agents.context import Ctx
from agents.nodes.common import draft, project_of
from agents.ports import Recommendation, StaffingRequest
from agents.state import ProposalDraft, State
from domain.repositories.projects import get_project
from domain.tables import Project

DEFAULT_HOURS = 40.0


def recommend_staff(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Rank candidates for the request and propose the best; no one free means no proposal."""
    ctx, x = runtime.context, state["extraction"]
    assumptions = []
    if x["hours_per_week"] is None:
        assumptions.append(f"hours per week not given; assumed {DEFAULT_HOURS:g}")
    if x["role"] is None:
        assumptions.append("role not given; asked for a consultant")
    with ctx.transaction() as session:
        project = get_project(session, project_of(state)["id"])
        request = staffing_request(
            ctx,
            project,
            role=x["role"] or "consultant",
            skills=x["skills"],
            hours=x["hours_per_week"] or DEFAULT_HOURS,
            start=date.fromisoformat(x["start"]) if x["start"] else None,
            end=date.fromisoformat(x["end"]) if x["end"] else None,
            seniority=x["seniority"],
        )
        proposal, reply = staffing_draft(
            state, session, ctx, request, project, key="staff", note=assumptions
        )
    return {"drafts": [proposal] if proposal else [], "reply": reply}


def staffing_request(
    ctx: Ctx,
    project: Project,
    *,
    role: str,
    skills: list[str],
    hours: float,
    start: date | None,
    end: date | None,
    seniority: str | None,
) -> StaffingRequest:
    """A request with its window filled in: from today or the project's start, to its end."""
    start = start or max(ctx.clock(), project.start_date)
    if end is None or end < start:
        default_end = start + timedelta(weeks=ctx.policy.default_assignment_weeks)
        end = project.end_date if project.end_date > start else default_end
    return StaffingRequest(project.id, role, tuple(skills), hours, start, end, seniority)


def staffing_draft(
    state: State,
    session: Session,
    ctx: Ctx,
    request: StaffingRequest,
    project: Project,
    *,
    key: str,
    note: list[str],
) -> tuple[ProposalDraft | None, str]:
    """An assign_staff draft for ``request`` and a reply line; no draft if no one fits.

    ``project`` is the request's project, loaded in ``session``: while the caller holds it,
    the recommender finds it in the session instead of reading it again (a session keeps
    only the objects someone still references).
    """
    rec = ctx.recommender.recommend(session, request, limit=ctx.policy.max_candidates)
    where = project.name
    wanted = f"{request.seniority + ' ' if request.seniority else ''}{request.role}"
    skills = f" with {', '.join(request.skills)}" if request.skills else ""
    window = f"{request.start.isoformat()} to {request.end.isoformat()}"
    if not rec.candidates:
        return None, f"No one{skills} has free hours for {where} from {window}."
    top, rest = rec.candidates[0], rec.candidates[1:]
    reply = (
        f"For {where} ({wanted}{skills}, {request.hours_per_week:g} h/week, {window}) I'd "
        f"propose {top.name} (fit {top.score:.2f}: {'; '.join(top.reasons)})."
    )
    if rest:
        reply += " Alternatives: " + ", ".join(f"{c.name} ({c.score:.2f})" for c in rest) + "."
    if note:
        reply += " Note: " + "; ".join(note) + "."
    proposal = draft(
        state,
        type="assign_staff",
        title=f"Staff {where}: {wanted}, {request.hours_per_week:g} h/week from {request.start}",
        payload=_payload(request, wanted, rec),
        key=key,
        evidence={
            "assumptions": note,
            "free_hours": {str(c.consultant_id): c.free_hours for c in rec.candidates},
            "model_features": dict(rec.features),
        },
        versions={"model": rec.model_version},
    )
    return proposal, reply


def _payload(request: StaffingRequest, role: str, rec: Recommendation) -> dict[str, Any]:
    """The payload governance's ``AssignStaff`` schema expects; the best candidate chosen."""
    return {
        "project_id": request.project_id,
        "role": role[:80],
        "hours_per_week": request.hours_per_week,
        "start_date": request.start.isoformat(),
        "end_date": request.end.isoformat(),
        "candidates": [
            {
                "consultant_id": c.consultant_id,
                "name": c.name,
                "score": c.score,
                "score_parts": dict(c.score_parts),
                "reasons": list(c.reasons),
            }
            for c in rec.candidates
        ],
        "chosen_consultant_id": rec.candidates[0].consultant_id,
    }
