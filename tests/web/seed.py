"""A queue worth looking at: pending proposals of every type (one overdue) and a few weeks of
decided ones, on the agent tests' small firm. Used by the page tests and the browser tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from domain.tables import IncomingRequest
from governance.actor import Actor
from governance.schemas import DecisionCreate, Evidence, ProposalCreate
from governance.service import Governance
from governance.types import ProposalType
from tests.agents.firm import Firm

APPROVER_EMAIL = "rita.approver@example.com"
HISTORY_APPROVER = Actor("sam.director@example.com", "approver")


@dataclass(frozen=True)
class Queue:
    staff: int
    risk: int  # overdue
    summary: int
    route: int
    change: int
    decided: list[int]


def _cand(firm: Firm, name: str, score: float, **parts: float) -> dict[str, Any]:
    return {
        "consultant_id": firm.people[name],
        "name": name,
        "score": score,
        "score_parts": parts,
        "reasons": [f"{name.split()[0]} fits the stack", "free for the whole window"],
    }


def payloads(firm: Firm, request_id: int) -> dict[ProposalType, dict[str, Any]]:
    return {
        ProposalType.assign_staff: {
            "project_id": firm.contoso,
            "role": "Data Engineer",
            "hours_per_week": 24,
            "start_date": "2027-01-04",
            "end_date": "2027-04-30",
            "candidates": [
                _cand(firm, "Ana Costa", 0.86, skills=0.9, availability=1.0, margin=0.53),
                _cand(firm, "Hana Sato", 0.74, skills=0.7, availability=0.8, margin=0.5),
                _cand(firm, "Chen Wei", 0.69, skills=0.6, availability=1.0, margin=0.58),
            ],
        },
        ProposalType.flag_risk: {
            "project_id": firm.fabrikam_migration,
            "probability": 0.78,
            "severity": "high",
            "drivers": [
                {
                    "feature": "burn_vs_progress",
                    "value": 1.67,
                    "contribution": 0.31,
                    "description": "Hours burned run well ahead of reported progress",
                },
                {
                    "feature": "late_timesheets",
                    "value": 0.2,
                    "contribution": 0.08,
                    "description": "A fifth of timesheets arrive late",
                },
            ],
            "mitigation": "Re-baseline the cut-over plan with the client this week.",
        },
        ProposalType.send_status_summary: {
            "project_id": firm.northwind,
            "audience": "client",
            "rag": "green",
            "draft": (
                "The analytics rollout is 40% complete [pj:northwind] and on budget. "
                "The next milestone is the sales dashboard sign-off [ms:1]."
            ),
            "facts": [
                {"id": "pj:northwind", "kind": "project", "text": "40% complete, 320 of 800 h"},
                {"id": "ms:1", "kind": "milestone", "text": "Sales dashboard sign-off"},
            ],
        },
        ProposalType.route_request: {
            "request_id": request_id,
            "text": "Can we get the November invoice split by cost centre?",
            "predicted_category": "billing_invoice",
            "confidence": 0.71,
            "alternatives": [{"category": "general_question", "confidence": 0.18}],
        },
        ProposalType.raise_change_request: {
            "project_id": firm.fabrikam_support,
            "title": "Add weekend on-call cover",
            "scope_delta": "On-call cover on Saturdays for the peak season",
            "estimated_hours": 64,
        },
    }


def _submit(
    session: Session,
    gov: Governance,
    kind: ProposalType,
    payload: dict[str, Any],
    *,
    requested_by: str,
    now: datetime,
    model_version: str,
) -> int:
    data = ProposalCreate(
        type=kind,
        payload=payload,
        evidence=Evidence(summary="Seeded for the page tests", features={"seeded": True}),
        model_version=model_version,
        requested_by=requested_by,
    )
    return gov.submit(session, data, submitted_by="copilot", now=now).proposal.id


def seed_queue(
    session: Session, gov: Governance, firm: Firm, *, requested_by: str, now: datetime,
    history: bool = True,
) -> Queue:  # fmt: skip
    """Five pending proposals (the risk flag overdue) and, optionally, decided history."""
    request = IncomingRequest(
        external_id="REQ-1", source="email", sender="ap@northwind.example", body="invoice split"
    )
    session.add(request)
    session.flush()
    p = payloads(firm, request.id)
    ids = {
        kind: _submit(
            session, gov, kind, p[kind], requested_by=requested_by,
            now=now - timedelta(hours=60 if kind is ProposalType.flag_risk else 2),
            model_version="risk-gbm-3" if kind is ProposalType.flag_risk else "skill-match-1",
        )
        for kind in p
    }  # fmt: skip
    decided = (
        seed_history(session, gov, firm, requested_by=requested_by, now=now) if history else []
    )
    return Queue(
        staff=ids[ProposalType.assign_staff],
        risk=ids[ProposalType.flag_risk],
        summary=ids[ProposalType.send_status_summary],
        route=ids[ProposalType.route_request],
        change=ids[ProposalType.raise_change_request],
        decided=decided,
    )


# (weeks ago, type, model version, action, reason code, hours to decide)
HISTORY = [
    (7, ProposalType.assign_staff, "skill-match-0", "override", "client_preference", 30),
    (7, ProposalType.flag_risk, "risk-gbm-2", "reject", "false_positive", 20),
    (6, ProposalType.assign_staff, "skill-match-0", "accept", "good_fit", 6),
    (6, ProposalType.assign_staff, "skill-match-0", "override", "cost", 12),
    (5, ProposalType.flag_risk, "risk-gbm-2", "accept", "risk_confirmed", 4),
    (5, ProposalType.assign_staff, "skill-match-1", "accept", "good_fit", 5),
    (4, ProposalType.assign_staff, "skill-match-1", "accept", "good_fit", 3),
    (4, ProposalType.flag_risk, "risk-gbm-3", "override", "severity_overstated", 9),
    (3, ProposalType.assign_staff, "skill-match-1", "reject", "availability_out_of_date", 2),
    (3, ProposalType.assign_staff, "skill-match-1", "accept", "good_fit", 8),
    (2, ProposalType.flag_risk, "risk-gbm-3", "accept", "risk_confirmed", 6),
    (2, ProposalType.assign_staff, "skill-match-1", "accept", "good_fit", 2),
    (1, ProposalType.assign_staff, "skill-match-1", "accept", "good_fit", 4),
    (1, ProposalType.flag_risk, "risk-gbm-3", "accept", "risk_confirmed", 3),
]


def seed_history(
    session: Session, gov: Governance, firm: Firm, *, requested_by: str, now: datetime
) -> list[int]:
    """Decided proposals spread over the last weeks, in the past so they book nobody now."""
    out = []
    for weeks, kind, model, action, reason, hours in HISTORY:
        created = now - timedelta(weeks=weeks, hours=hours + 1)
        if kind is ProposalType.assign_staff:
            payload: dict[str, Any] = {
                "project_id": firm.northwind,
                "role": "Data Engineer",
                "hours_per_week": 8,
                "start_date": "2026-01-05",
                "end_date": "2026-02-27",
                "candidates": [
                    _cand(firm, "Chen Wei", 0.7, skills=0.6),
                    _cand(firm, "Eli Novak", 0.6, skills=0.5),
                ],
            }
            choice: Any = firm.people["Eli Novak"]
        else:
            payload = {
                "project_id": firm.northwind,
                "probability": 0.62,
                "severity": "medium",
                "drivers": [],
            }
            choice = "low"
        pid = _submit(
            session, gov, kind, payload, requested_by=requested_by, now=created,
            model_version=model,
        )  # fmt: skip
        body = DecisionCreate(
            action=action,  # type: ignore[arg-type]
            reason_code=reason,
            note="",
            choice=choice if action == "override" else None,
        )
        gov.decide(session, pid, HISTORY_APPROVER, body, now=created + timedelta(hours=hours))
        out.append(pid)
    return out
