"""The facts a policy reads about a proposal: scope, money and the model's own numbers.

Computed from the payload and the firm's data when a proposal is submitted, and again from the
final payload when it is decided (an override can change the margin).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.tables import Consultant, IncomingRequest, Project
from governance.types import ProposalType


def _project(session: Session, payload: dict[str, Any], kind: ProposalType) -> Project | None:
    if "project_id" in payload:
        project = session.get(Project, payload["project_id"])
        if project is None:
            raise InvalidInput(
                f"payload.project_id: no project with id {payload['project_id']}",
                extra={"problems": [{"field": "payload.project_id", "reason": "unknown project"}]},
            )
        return project
    if kind is ProposalType.route_request and payload.get("request_id") is not None:
        request = session.get(IncomingRequest, payload["request_id"])
        if request is None:
            raise InvalidInput(f"payload.request_id: no request with id {payload['request_id']}")
        return session.get(Project, request.project_id) if request.project_id else None
    return None


def gather(session: Session, kind: ProposalType, payload: dict[str, Any]) -> dict[str, Any]:
    """Facts for policy conditions; a fact that cannot be known is None (conditions fail)."""
    project = _project(session, payload, kind)
    facts: dict[str, Any] = {
        "project_id": project.id if project else None,
        "practice": project.practice if project else None,
        "region": project.region if project else None,
        "budget_amount": project.budget_amount if project else None,
    }
    if kind is ProposalType.assign_staff:
        chosen = payload.get("chosen_consultant_id")
        cost = (
            session.scalar(select(Consultant.cost_rate).where(Consultant.id == chosen))
            if chosen is not None
            else None
        )
        facts["consultant_id"] = chosen
        if cost is not None and project and project.bill_rate > 0:
            margin = (project.bill_rate - cost) / project.bill_rate
            facts["margin"] = round(margin, 4)
        else:
            facts["margin"] = None
    elif kind is ProposalType.flag_risk:
        facts["probability"] = payload["probability"]
        facts["severity"] = payload["severity"]
    elif kind is ProposalType.raise_change_request:
        hours = payload["estimated_hours"]
        facts["estimated_hours"] = hours
        amount = payload.get("estimated_amount")
        if amount is None and project is not None:
            amount = round(hours * project.bill_rate, 2)
        facts["amount"] = amount
    elif kind is ProposalType.route_request:
        facts["confidence"] = payload["confidence"]
    return facts
