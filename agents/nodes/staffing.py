"""Recommend people for a staffing request and draft an ``assign_staff`` proposal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy.orm import Session

from agents.context import Ctx
from agents.nodes.common import draft, project_of
from agents.ports import Candidate, StaffingRequest
from agents.state import ProposalDraft, State
from domain.repositories.projects import get_project
from domain.tables import Project

DEFAULT_HOURS = 40.0
# People proposed for one request at most; "we need 12 testers" is a resourcing plan, not a
# chat turn.
MAX_HEADCOUNT = 5


def recommend_staff(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Rank candidates for the request and propose the best; no one free means no proposal.

    A request naming neither a role nor a skill gets a question instead, kept on hold so
    that the answer completes it; a start after the project's end gets a refusal.
    """
    ctx, x, where = runtime.context, state["extraction"], project_of(state)
    if not (x["role"] or x["skills"]):
        return {
            "reply": which_role(where["name"]),
            "clarifying": True,
        }
    assumptions = []
    if x["hours_per_week"] is None:
        assumptions.append(f"hours per week not given; assumed {DEFAULT_HOURS:g}")
    if x["role"] is None:
        assumptions.append("role not given; asked for a consultant")
    with ctx.transaction() as session:
        project = get_project(session, where["id"])
        request, dates = staffing_request(
            ctx,
            project,
            role=x["role"] or "consultant",
            skills=x["skills"],
            hours=x["hours_per_week"] or DEFAULT_HOURS,
            start=date.fromisoformat(x["start"]) if x["start"] else None,
            end=date.fromisoformat(x["end"]) if x["end"] else None,
            seniority=x["seniority"],
            weeks=x.get("duration_weeks"),
        )
        asked = max(1, x.get("headcount") or 1)
        if asked > MAX_HEADCOUNT:
            assumptions.append(f"{asked} people asked for; proposing the first {MAX_HEADCOUNT}")
        drafts, reply = staffing_draft(
            state, session, ctx, request, project, key="staff", note=assumptions + dates,
            count=min(asked, MAX_HEADCOUNT),
        )  # fmt: skip
    return {"drafts": drafts, "reply": reply}


def which_role(project_name: str) -> str:
    return (
        f"Which role and skills do you need for {project_name}? For example: "
        '"a senior data engineer with Spark and Azure, 30h a week from January".'
    )


def starts_after_the_end(project: Project, start: date) -> str:
    return (
        f"{project.name} ends on {project.end_date.isoformat()}, before the requested start "
        f"on {start.isoformat()}, so I haven't proposed anyone. Give a start before the "
        "project's end, or extend the project first."
    )


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
    weeks: float | None = None,
) -> tuple[StaffingRequest, list[str]]:
    """A request with its window filled in, and the dates it assumed to fill it.

    From today or the project's start, for ``weeks`` if the request gave a length ("for 6
    weeks") and otherwise to the project's end; an end past the project's end is cut to it.
    A start after the project's end is left for the caller to refuse.
    """
    assumed = []
    if start is None:
        start = max(ctx.clock(), project.start_date)
        assumed.append(f"start not given; assumed {start.isoformat()}")
    if end is None and weeks:
        end = start + timedelta(weeks=weeks, days=-1)
    last = project.end_date.isoformat()
    if end is None or end < start:
        what = "not given" if end is None else f"{end.isoformat()} is before the start"
        end = project.end_date
        assumed.append(f"end {what}; assumed the project's end, {last}")
    elif end > project.end_date:
        assumed.append(f"the project ends {last}; assumed that end, not {end.isoformat()}")
        end = project.end_date
    request = StaffingRequest(project.id, role, tuple(skills), hours, start, end, seniority)
    return request, assumed


def staffing_draft(
    state: State,
    session: Session,
    ctx: Ctx,
    request: StaffingRequest,
    project: Project,
    *,
    key: str,
    note: list[str],
    count: int = 1,
) -> tuple[list[ProposalDraft], str]:
    """One assign_staff draft per person asked for (``count``), each choosing a different
    candidate, and a reply line; fewer drafts if fewer people fit, none if no one does or
    the request starts after the project's end.

    ``project`` is the request's project, loaded in ``session``: while the caller holds it,
    the recommender finds it in the session instead of reading it again (a session keeps
    only the objects someone still references).
    """
    if request.start > project.end_date:
        return [], starts_after_the_end(project, request.start)
    limit = ctx.policy.max_candidates + count - 1  # alternatives beside every pick
    rec = ctx.recommender.recommend(session, request, limit=limit)
    where = project.name
    wanted = f"{request.seniority + ' ' if request.seniority else ''}{request.role}"
    skills = f" with {', '.join(request.skills)}" if request.skills else ""
    window = f"{request.start.isoformat()} to {request.end.isoformat()}"
    if not rec.candidates:
        return [], f"No one{skills} has free hours for {where} from {window}."
    picks, rest = rec.candidates[:count], rec.candidates[count:]
    people = f"{count} people: {wanted}" if count > 1 else wanted
    reply = (
        f"For {where} ({people}{skills}, {request.hours_per_week:g} h/week, {window}) I'd "
        "propose "
        + " and ".join(f"{c.name} (fit {c.score:.2f}: {'; '.join(c.reasons)})" for c in picks)
        + "."
    )
    if len(picks) < count:
        reply += f" Only {len(picks)} of the {count} people asked for have free hours."
    if rest:
        reply += " Alternatives: " + ", ".join(f"{c.name} ({c.score:.2f})" for c in rest) + "."
    if note:
        reply += " Note: " + "; ".join(note) + "."
    drafts = []
    for i, pick in enumerate(picks):
        nth = f" ({i + 1} of {count})" if count > 1 else ""
        drafts.append(
            draft(
                state,
                type="assign_staff",
                title=f"Staff {where}: {wanted}{nth}, {request.hours_per_week:g} h/week from "
                f"{request.start}",
                payload=_payload(request, wanted, [pick, *rest][: ctx.policy.max_candidates]),
                # The first keeps the single-person key, so runs from before stay idempotent.
                key=key if i == 0 else f"{key}:{i + 1}",
                evidence={
                    "assumptions": note,
                    "free_hours": {str(c.consultant_id): c.free_hours for c in rec.candidates},
                    "model_features": dict(rec.features),
                },
                versions={"model": rec.model_version},
            )
        )
    return drafts, reply


def _payload(request: StaffingRequest, role: str, candidates: list[Candidate]) -> dict[str, Any]:
    """The payload governance's ``AssignStaff`` schema expects; the first candidate chosen."""
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
            for c in candidates
        ],
        "chosen_consultant_id": candidates[0].consultant_id,
    }
