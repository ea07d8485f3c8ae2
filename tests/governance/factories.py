"""Small factories for approval-queue tests: a firm, people, payloads, proposals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from domain.tables import Client, Consultant, IncomingRequest, Milestone, Project
from governance.actor import Actor
from governance.schemas import DecisionCreate, Evidence, ProposalCreate
from governance.service import Governance
from governance.tables import Proposal
from governance.types import ProposalType

PRACTICE, REGION = "Data & AI", "EMEA"

DM = Actor("dm@firm.test", "delivery_manager")
APPROVER = Actor("ana@firm.test", "approver", (PRACTICE,), (REGION,))
APPROVER_2 = Actor("ben@firm.test", "approver", (PRACTICE,), ())
DIRECTOR = Actor("dora@firm.test", "approver")  # firm-wide scope: a delivery director
OUTSIDER = Actor("olga@firm.test", "approver", ("Cloud",), ())
DATA_SCIENTIST = Actor("dan@firm.test", "data_scientist")
DATA_SCIENTIST_2 = Actor("dee@firm.test", "data_scientist")
ADMIN = Actor("root@firm.test", "admin")


@dataclass
class Firm:
    project: Project  # Data & AI / EMEA, bill rate 200, budget 400k
    big_project: Project  # budget 2M: staffing needs a director
    cloud_project: Project  # another practice
    consultant: Consultant  # cost 100: margin 0.5
    consultant_2: Consultant
    expensive: Consultant  # cost 180: margin 0.1 on the project
    request: IncomingRequest


def _suffix() -> str:
    return uuid.uuid4().hex[:6]


def make_project(session: Session, client: Client, **kw: Any) -> Project:
    s = _suffix()
    values: dict[str, Any] = {
        "external_id": f"P-{s}",
        "client_id": client.id,
        "name": f"Project {s}",
        "engagement_type": "implementation",
        "contract_type": "time_and_materials",
        "practice": PRACTICE,
        "region": REGION,
        "budget_hours": 2000.0,
        "budget_amount": 400_000.0,
        "bill_rate": 200.0,
        "start_date": date(2026, 12, 1),
        "end_date": date(2027, 6, 30),
        "status": "active",
        "delivery_manager_email": DM.email,
    }
    values.update(kw)
    project = Project(**values)
    session.add(project)
    session.flush()
    return project


def make_consultant(session: Session, cost_rate: float = 100.0, **kw: Any) -> Consultant:
    s = _suffix()
    values: dict[str, Any] = {
        "external_id": f"C-{s}",
        "name": f"Consultant {s}",
        "email": f"c-{s}@firm.test",
        "role_level": "consultant",
        "practice": PRACTICE,
        "region": REGION,
        "timezone": "Europe/Berlin",
        "languages": ["en"],
        "cost_rate": cost_rate,
        "bill_rate": 200.0,
    }
    values.update(kw)
    c = Consultant(**values)
    session.add(c)
    session.flush()
    return c


def make_firm(session: Session) -> Firm:
    client = Client(external_id=f"CL-{_suffix()}", name=f"Client {_suffix()}")
    session.add(client)
    session.flush()
    project = make_project(session, client)
    project.milestones = [Milestone(name="Go-live", due_date=date(2027, 5, 1), amount=50_000)]
    request = IncomingRequest(external_id=f"R-{_suffix()}", body="Please add a data engineer",
                              project_id=project.id)  # fmt: skip
    session.add(request)
    firm = Firm(
        project=project,
        big_project=make_project(session, client, budget_amount=2_000_000.0),
        cloud_project=make_project(session, client, practice="Cloud", region="NA"),
        consultant=make_consultant(session, 100.0),
        consultant_2=make_consultant(session, 120.0),
        expensive=make_consultant(session, 180.0),
        request=request,
    )
    session.flush()
    return firm


def candidate(c: Consultant, score: float = 0.8) -> dict[str, Any]:
    return {"consultant_id": c.id, "name": c.name, "score": score,
            "score_parts": {"skills": score}, "reasons": ["knows the stack"]}  # fmt: skip


def payload(kind: ProposalType, firm: Firm, **kw: Any) -> dict[str, Any]:
    pid = firm.project.id
    base: dict[ProposalType, dict[str, Any]] = {
        ProposalType.assign_staff: {
            "project_id": pid, "role": "Data Engineer", "hours_per_week": 20,
            "start_date": "2026-12-01", "end_date": "2027-03-31",
            "candidates": [candidate(firm.consultant, 0.9), candidate(firm.consultant_2, 0.7)],
        },
        ProposalType.flag_risk: {
            "project_id": pid, "probability": 0.6, "severity": "medium",
            "drivers": [{"feature": "burn_rate", "value": 1.3, "contribution": 0.2,
                         "description": "Burning faster than planned"}],
            "mitigation": "Re-plan the remaining sprints",
        },
        ProposalType.send_status_summary: {
            "project_id": pid, "audience": "client", "rag": "amber",
            "draft": "We are on track for go-live [f1].",
            "facts": [{"id": "f1", "kind": "milestone", "text": "Go-live on 1 May"}],
        },
        ProposalType.route_request: {
            "request_id": firm.request.id, "predicted_category": "staffing_request",
            "confidence": 0.8, "alternatives": [{"category": "scope_change", "confidence": 0.1}],
        },
        ProposalType.raise_change_request: {
            "project_id": pid, "title": "Add a reporting module", "scope_delta": "Two dashboards",
            "estimated_hours": 80,
        },
        ProposalType.promote_model: {
            "model_name": "risk", "challenger_version": "7", "champion_version": "6",
            "eval_report": {"auc": 0.81},
        },
    }  # fmt: skip
    return {**base[kind], **kw}


def propose(
    session: Session,
    gov: Governance,
    kind: ProposalType,
    firm: Firm,
    *,
    requested_by: str = DM.email,
    evidence: dict[str, Any] | None = None,
    **kw: Any,
) -> Proposal:
    data = ProposalCreate(
        type=kind,
        payload=payload(kind, firm, **kw),
        evidence=Evidence(summary="because", features={"burn": 1.3}, **(evidence or {})),
        model_version="m-1",
        prompt_version="p-1",
        thread_id="thread-1",
        run_id="run-1",
        requested_by=requested_by,
    )
    return gov.submit(session, data, submitted_by="agent:copilot").proposal


def decision(action: str = "accept", reason: str | None = None, **kw: Any) -> DecisionCreate:
    default = {"accept": "good_fit", "reject": "skill_gap", "override": "client_preference",
               "accept_with_edits": "other"}  # fmt: skip
    kw.setdefault("note", "edited" if action == "accept_with_edits" else "")
    return DecisionCreate(action=action, reason_code=reason or default[action], **kw)  # type: ignore[arg-type]
