"""Answer a question about all of one's projects ("which of my projects are at risk?")."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy import select

from agents.context import Ctx
from agents.nodes.understand import OPEN_STATUSES
from agents.state import State
from domain.tables import Project

MAX_LISTED = 10


def portfolio(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """The asker's open projects (as delivery manager), riskiest first, each with its overrun
    risk; read-only: flagging one is the per-project risk check's job."""
    ctx = runtime.context
    email = (state["requester"].get("email") or "").lower()
    today = ctx.clock()
    with ctx.transaction() as session:
        projects = list(
            session.scalars(
                select(Project)
                .where(
                    Project.status.in_(OPEN_STATUSES),
                    Project.delivery_manager_email == email,
                )
                .order_by(Project.name)
            )
        )
        # A project that has not started has no burn to score (the model refuses it).
        running = [p for p in projects if p.start_date <= today]
        risks = ctx.risk.score_many(session, [p.id for p in running])
    scored = list(zip(running, risks, strict=True))
    later = [p.name for p in projects if p.start_date > today]
    if not projects:
        return {
            "reply": "You are not the delivery manager of any open project, so I have no "
            "portfolio to report on. Ask about a project by name instead."
        }
    scored.sort(key=lambda pr: -pr[1].probability)
    flagged = [p.name for p, r in scored if r.probability >= ctx.policy.risk_flag_threshold]
    lines = [
        f"- {p.name}: {r.probability:.0%} chance of overrunning its budget ({r.severity})"
        for p, r in scored[:MAX_LISTED]
    ]
    more = f"\n…and {len(scored) - MAX_LISTED} more." if len(scored) > MAX_LISTED else ""
    if later:
        more += f"\nNot started yet, so not scored: {', '.join(later)}."
    at_risk = (
        f"{len(flagged)} at or above the {ctx.policy.risk_flag_threshold:.0%} risk threshold: "
        + ", ".join(flagged)
        + "."
        if flagged
        else f"None is at or above the {ctx.policy.risk_flag_threshold:.0%} risk threshold."
    )
    return {
        "reply": f"Your {len(scored)} running project{'s' if len(scored) != 1 else ''}, "
        f"riskiest first. {at_risk}\n" + "\n".join(lines) + more
    }
