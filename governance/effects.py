"""What an accepted proposal does, one small handler per type.

Handlers run inside the decision's transaction: if one raises, neither the decision nor its
audit event nor its outbox event is stored. Each returns a summary (kept on the decision) and
the outbound events to write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.tables import (
    Assignment,
    ChangeRequest,
    Consultant,
    IncomingRequest,
    Project,
    StatusNote,
)
from governance.actor import Actor
from governance.listeners import ModelPromoter
from governance.tables import Proposal, RiskFlag
from governance.types import ProposalType


@dataclass(frozen=True)
class EffectContext:
    session: Session
    proposal: Proposal
    payload: dict[str, Any]  # the final payload: original, edited or with the override's choice
    actor: Actor
    now: datetime
    promoter: ModelPromoter


@dataclass
class EffectResult:
    summary: dict[str, Any]
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


Handler = Callable[[EffectContext], EffectResult]
EFFECTS: dict[ProposalType, Handler] = {}


def handles(kind: ProposalType) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        EFFECTS[kind] = fn
        return fn

    return register


def apply(ctx: EffectContext) -> EffectResult:
    """Run the handler registered for the proposal's type."""
    return EFFECTS[ProposalType(ctx.proposal.type)](ctx)


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise InvalidInput(f"Project {project_id} no longer exists; the effect cannot be applied")
    return project


def _today(ctx: EffectContext) -> date:
    return ctx.now.date()


def _inserted(
    ctx: EffectContext, row: Any, project: Project, *, key: str, event: str, **data: Any
) -> EffectResult:
    """Insert ``row`` about ``project``: its id under ``key`` on the decision and in ``event``."""
    ctx.session.add(row)
    ctx.session.flush()
    body = {key: row.id, "project_id": project.id, "project_external_id": project.external_id}
    return EffectResult({key: row.id}, [(event, body | data)])


@handles(ProposalType.assign_staff)
def assign_staff(ctx: EffectContext) -> EffectResult:
    p = ctx.payload
    consultant_id = p.get("chosen_consultant_id")
    if consultant_id is None:
        raise InvalidInput(
            "Nobody is chosen for this role: override with choice=<consultant_id>, or reject"
        )
    # Columns only: the full entity would also load skills and certifications.
    consultant = ctx.session.execute(
        select(Consultant.id, Consultant.external_id).where(
            Consultant.id == consultant_id, Consultant.active
        )
    ).first()
    if consultant is None:
        raise InvalidInput(f"choice: no active consultant with id {consultant_id}")
    project = _project(ctx.session, p["project_id"])
    row = Assignment(
        project_id=project.id,
        consultant_id=consultant.id,
        role=p["role"],
        hours_per_week=p["hours_per_week"],
        start_date=date.fromisoformat(p["start_date"]),
        end_date=date.fromisoformat(p["end_date"]),
    )
    return _inserted(
        ctx, row, project, key="assignment_id", event="resource.assigned",
        consultant_id=consultant.id, consultant_external_id=consultant.external_id,
        role=row.role, hours_per_week=row.hours_per_week,
        start_date=p["start_date"], end_date=p["end_date"],
    )  # fmt: skip


@handles(ProposalType.flag_risk)
def flag_risk(ctx: EffectContext) -> EffectResult:
    p = ctx.payload
    project = _project(ctx.session, p["project_id"])
    row = RiskFlag(
        project_id=project.id,
        proposal_id=ctx.proposal.id,
        severity=p["severity"],
        probability=p["probability"],
        drivers=p["drivers"],
        mitigation=p["mitigation"],
        flagged_by=ctx.actor.email,
        flagged_at=ctx.now,
    )
    return _inserted(
        ctx, row, project, key="risk_flag_id", event="risk.flagged",
        severity=row.severity, probability=row.probability, mitigation=row.mitigation,
    )  # fmt: skip


@handles(ProposalType.send_status_summary)
def send_status_summary(ctx: EffectContext) -> EffectResult:
    p = ctx.payload
    project = _project(ctx.session, p["project_id"])
    rag = p.get("rag") or ctx.session.scalar(
        select(StatusNote.rag)
        .where(StatusNote.project_id == project.id)
        .order_by(StatusNote.note_date.desc(), StatusNote.id.desc())
        .limit(1)
    )
    note_id = None
    # A status note needs a RAG; without one given or on record the summary is only sent.
    if rag:
        note = StatusNote(
            project_id=project.id,
            author=ctx.actor.email,
            note_date=_today(ctx),
            rag=rag,
            percent_complete=project.percent_complete,
            text=p["draft"],
        )
        ctx.session.add(note)
        ctx.session.flush()
        note_id = note.id
    data = {"project_id": project.id, "project_external_id": project.external_id,
            "audience": p["audience"], "text": p["draft"], "rag": rag,
            "approved_by": ctx.actor.email, "status_note_id": note_id}  # fmt: skip
    return EffectResult(
        {"status_note_id": note_id, "sent": True}, [("status.summary_approved", data)]
    )


@handles(ProposalType.route_request)
def route_request(ctx: EffectContext) -> EffectResult:
    p = ctx.payload
    category = p["predicted_category"]
    request_id = p.get("request_id")
    if request_id is not None:
        request = ctx.session.get(IncomingRequest, request_id)
        if request is None:
            raise InvalidInput(f"Request {request_id} no longer exists")
        request.category = category
        request.status = "routed"
        ctx.session.flush()
    data = {"request_id": request_id, "category": category, "routed_by": ctx.actor.email}
    return EffectResult(
        {"request_id": request_id, "category": category}, [("request.routed", data)]
    )


@handles(ProposalType.raise_change_request)
def raise_change_request(ctx: EffectContext) -> EffectResult:
    p = ctx.payload
    project = _project(ctx.session, p["project_id"])
    amount = p.get("estimated_amount")
    if amount is None:
        amount = round(p["estimated_hours"] * project.bill_rate, 2)
    row = ChangeRequest(
        project_id=project.id,
        title=p["title"],
        description=p["scope_delta"],
        hours=p["estimated_hours"],
        amount=amount,
        status="proposed",
        raised_on=_today(ctx),
    )
    return _inserted(
        ctx, row, project, key="change_request_id", event="change_request.raised",
        title=row.title, hours=row.hours, amount=row.amount,
    )  # fmt: skip


@handles(ProposalType.promote_model)
def promote_model(ctx: EffectContext) -> EffectResult:
    p = ctx.payload
    # Last step on purpose: if the registry refuses, the decision rolls back with it.
    outcome = ctx.promoter.promote(p["model_name"], p["challenger_version"])
    data = {"model_name": p["model_name"], "version": p["challenger_version"],
            "previous_version": p.get("champion_version"), "promoted_by": ctx.actor.email,
            "registry": outcome}  # fmt: skip
    return EffectResult(
        {"model_name": p["model_name"], "version": p["challenger_version"], "registry": outcome},
        [("model.promoted", data)],
    )
