"""Score a project's overrun risk and draft a ``flag_risk`` proposal when it crosses the
threshold, once: a project already flagged is not flagged again until it drops back under."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy.orm import Session

from agents import memory
from agents.context import Ctx
from agents.nodes.common import draft, project_of
from agents.ports import RiskAssessment
from agents.state import ProposalDraft, State

MITIGATIONS = {
    "burn_ahead_of_progress": "Re-estimate the remaining work with the team and agree with the "
    "client how to cover the gap (re-scope or a change request).",
    "schedule_ahead_of_progress": "Re-plan the remaining milestones and confirm the dates "
    "with the client.",
    "reported_rag": "Hold a recovery review with the delivery team this week.",
    "open_change_requests": "Get the open change requests decided before more work starts.",
}


def assess_risk(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Score the project; propose a flag if it is newly over the threshold."""
    ctx, project = runtime.context, project_of(state)
    with ctx.transaction() as session:
        risk = ctx.risk.score(session, project["id"])
        proposal, status = flag_if_new(state, session, ctx, risk)
    pct = f"{risk.probability:.0%}"
    drivers = "; ".join(d.description for d in risk.drivers[:3]) or "no driver stands out"
    reply = f"{project['name']}: overrun risk {pct} ({risk.severity}). Drivers: {drivers}."
    reply += {
        "flagged": " I've proposed flagging it.",
        "already_flagged": " It is already flagged; I have not flagged it again.",
        "below": "",
    }[status]
    return {"drafts": [proposal] if proposal else [], "reply": reply}


def flag_if_new(
    state: State, session: Session, ctx: Ctx, risk: RiskAssessment
) -> tuple[ProposalDraft | None, str]:
    """A flag_risk draft if the project is over the threshold and not yet flagged.

    Dropping back under the threshold clears the memory, so a later crossing flags again.
    The memory itself is written with the proposal (``submit_proposals``), not here.
    """
    if risk.probability < ctx.policy.risk_flag_threshold:
        memory.clear_flag(session, risk.project_id)
        return None, "below"
    if memory.active_flag(session, risk.project_id) is not None:
        return None, "already_flagged"
    top = risk.drivers[0].name if risk.drivers else ""
    payload = {
        "project_id": risk.project_id,
        "probability": risk.probability,
        "severity": risk.severity,
        "drivers": [
            {
                "feature": d.name,
                "value": d.value,
                "contribution": d.contribution,
                "description": d.description,
            }
            for d in risk.drivers
        ],
        "mitigation": MITIGATIONS.get(top, "Review the project with its delivery manager."),
    }
    project = project_of(state)
    proposal = draft(
        state,
        type="flag_risk",
        title=f"Overrun risk {risk.probability:.0%} ({risk.severity}): {project['name']}",
        payload=payload,
        key="flag",
        evidence={"features": dict(risk.features), "threshold": ctx.policy.risk_flag_threshold},
        versions={"model": risk.model_version},
        flags_project_id=risk.project_id,
    )
    return proposal, "flagged"
