"""What each inbound event changes in the firm's data, one small handler per type.

Handlers run inside the ingest transaction and return a summary that is stored with the event.
A reference to something unknown (a project external id nobody created) is a 422 naming the
field, so the sender can fix and resend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.tables import (
    Assignment,
    ChangeRequest,
    Client,
    Consultant,
    IncomingRequest,
    Milestone,
    Project,
    StatusNote,
    TimeEntry,
)
from governance import event_schemas as ev
from governance import submission
from governance.context import Context
from governance.hashing import jsonable
from governance.listeners import StaffingNeed
from governance.payloads import validate_model
from governance.schemas import Evidence, ProposalCreate
from governance.types import ProposalType


@dataclass(frozen=True)
class EventContext:
    session: Session
    ctx: Context
    event_id: str
    received_by: str
    now: datetime


Handler = Callable[[EventContext, Any], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def handles(event_type: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[event_type] = fn
        return fn

    return register


def _unknown(field: str, what: str, key: str) -> InvalidInput:
    return InvalidInput(
        f"data.{field}: no {what} with external id {key!r}",
        extra={"problems": [{"field": f"data.{field}", "reason": f"unknown {what}"}]},
    )


def _project(session: Session, external_id: str, field: str = "project_external_id") -> Project:
    project = session.scalar(select(Project).where(Project.external_id == external_id))
    if project is None:
        raise _unknown(field, "project", external_id)
    return project


def _consultant(session: Session, external_id: str) -> Consultant:
    c = session.scalar(select(Consultant).where(Consultant.external_id == external_id))
    if c is None:
        raise _unknown("consultant_external_id", "consultant", external_id)
    return c


@handles("project.created")
def project_created(e: EventContext, d: ev.ProjectCreated) -> dict[str, Any]:
    s = e.session
    existing = s.scalar(select(Project).where(Project.external_id == d.external_id))
    if existing is not None:
        return {"project_id": existing.id, "created": False}
    client = s.scalar(select(Client).where(func.lower(Client.name) == d.client.lower()))
    if client is None:
        client = Client(external_id=f"client:{d.client.lower()}"[:64], name=d.client)
        s.add(client)
        s.flush()
    values = d.model_dump(exclude={"client", "milestones"})
    project = Project(**values, client_id=client.id, percent_complete=0.0)
    project.milestones = [Milestone(**m.model_dump()) for m in d.milestones]
    s.add(project)
    s.flush()
    return {"project_id": project.id, "client_id": client.id, "created": True}


def _staffing_proposal(
    e: EventContext, need: StaffingNeed, *, requested_by: str, dedupe_key: str, why: str,
    inputs: dict[str, Any],
) -> int:  # fmt: skip
    candidates = e.ctx.candidate_source.candidates(e.session, need)
    payload = {
        "project_id": need.project_id,
        "role": need.role,
        "hours_per_week": need.hours_per_week,
        "start_date": need.start_date,
        "end_date": need.end_date,
        "candidates": [c.model_dump(mode="json") for c in candidates],
    }
    data = ProposalCreate(
        type=ProposalType.assign_staff,
        payload=jsonable(payload),
        evidence=Evidence(summary=why, inputs=jsonable(inputs)),
        model_version=getattr(e.ctx.candidate_source, "version", None),
        requested_by=requested_by,
        dedupe_key=dedupe_key,
    )
    done = submission.submit(
        e.session, e.ctx, data, submitted_by=f"event:{e.event_id}"[:200], now=e.now
    )
    return done.proposal.id


@handles("deal.approved")
def deal_approved(e: EventContext, d: ev.DealApproved) -> dict[str, Any]:
    """The engagement's template: one assign_staff proposal per kickoff role."""
    if d.project is not None:
        if d.project.external_id != d.project_external_id:
            raise InvalidInput("data.project.external_id differs from data.project_external_id")
        project_created(e, d.project)
    project = _project(e.session, d.project_external_id)
    etype = d.engagement_type.value if d.engagement_type else project.engagement_type
    template = e.ctx.templates.for_type(etype)
    requester = d.requested_by or project.delivery_manager_email or e.received_by
    ids = []
    for i, role in enumerate(template.kickoff_roles):
        need = StaffingNeed(
            project.id, role.role, role.hours_per_week, project.start_date, project.end_date,
            tuple(role.skills), role.role_level,
        )  # fmt: skip
        ids.append(
            _staffing_proposal(
                e, need, requested_by=requester, dedupe_key=f"deal:{d.deal_id}:kickoff:{i}",
                why=f"Kickoff role {i + 1} of the {etype} template, for deal {d.deal_id}",
                inputs={"deal_id": d.deal_id, "template": etype, "role": role.model_dump()},
            )
        )  # fmt: skip
    return {
        "project_id": project.id,
        "engagement_type": etype,
        "billing_trigger": template.billing_trigger,
        "required_approvals": [t.value for t in template.required_approvals],
        "closure_criteria": list(template.closure_criteria),
        "proposal_ids": ids,
    }


@handles("resource.requested")
def resource_requested(e: EventContext, d: ev.ResourceRequested) -> dict[str, Any]:
    project = _project(e.session, d.project_external_id)
    if d.end_date < d.start_date:
        raise InvalidInput("data.end_date: before data.start_date")
    need = StaffingNeed(project.id, d.role, d.hours_per_week, d.start_date, d.end_date,
                        tuple(d.skills), d.role_level)  # fmt: skip
    pid = _staffing_proposal(
        e, need, requested_by=d.requested_by or project.delivery_manager_email or e.received_by,
        dedupe_key=f"resource:{e.event_id}"[:200], why=f"Resource requested for {d.role}",
        inputs=d.model_dump(mode="json"),
    )  # fmt: skip
    return {"project_id": project.id, "proposal_ids": [pid]}


@handles("timesheet.submitted")
def timesheet_submitted(e: EventContext, d: ev.TimesheetSubmitted) -> dict[str, Any]:
    project = _project(e.session, d.project_external_id)
    consultant = _consultant(e.session, d.consultant_external_id)
    rows = [
        TimeEntry(project_id=project.id, consultant_id=consultant.id, submitted_on=d.submitted_on,
                  **entry.model_dump())
        for entry in d.entries
    ]  # fmt: skip
    e.session.add_all(rows)
    e.session.flush()
    return {"project_id": project.id, "consultant_id": consultant.id,
            "time_entry_ids": [r.id for r in rows], "hours": sum(r.hours for r in rows)}  # fmt: skip


@handles("status.updated")
def status_updated(e: EventContext, d: ev.StatusUpdated) -> dict[str, Any]:
    project = _project(e.session, d.project_external_id)
    note = StatusNote(project_id=project.id, **d.model_dump(exclude={"project_external_id"}))
    e.session.add(note)
    if d.percent_complete is not None:
        project.percent_complete = d.percent_complete
    e.session.flush()
    return {"project_id": project.id, "status_note_id": note.id}


@handles("milestone.accepted")
def milestone_accepted(e: EventContext, d: ev.MilestoneAccepted) -> dict[str, Any]:
    project = _project(e.session, d.project_external_id)
    milestone = e.session.scalar(
        select(Milestone).where(Milestone.project_id == project.id, Milestone.name == d.milestone)
    )
    if milestone is None:
        raise InvalidInput(f"data.milestone: project {project.external_id} has no {d.milestone!r}")
    milestone.status, milestone.accepted_on = "accepted", d.accepted_on
    e.session.flush()
    return {"project_id": project.id, "milestone_id": milestone.id}


@handles("change_request.raised")
def change_request_raised(e: EventContext, d: ev.ChangeRequestRaised) -> dict[str, Any]:
    project = _project(e.session, d.project_external_id)
    row = ChangeRequest(project_id=project.id, status="proposed",
                        **d.model_dump(exclude={"project_external_id"}))  # fmt: skip
    e.session.add(row)
    e.session.flush()
    return {"project_id": project.id, "change_request_id": row.id}


@handles("request.received")
def request_received(e: EventContext, d: ev.RequestReceived) -> dict[str, Any]:
    existing = e.session.scalar(
        select(IncomingRequest).where(IncomingRequest.external_id == d.external_id)
    )
    if existing is not None:
        return {"request_id": existing.id, "created": False}
    project = _project(e.session, d.project_external_id) if d.project_external_id else None
    row = IncomingRequest(
        **d.model_dump(exclude={"project_external_id"}),
        project_id=project.id if project else None,
        received_at=e.now,
    )
    e.session.add(row)
    e.session.flush()
    return {"request_id": row.id, "created": True}


@handles("project.closed")
def project_closed(e: EventContext, d: ev.ProjectClosed) -> dict[str, Any]:
    """Close the project and report which of its template's closure criteria are not met."""
    project = _project(e.session, d.project_external_id)
    project.status, project.closed_on = "closed", d.closed_on
    if d.actual_hours is not None:
        project.actual_hours = d.actual_hours
    template = e.ctx.templates.for_type(project.engagement_type)
    unmet = [c for c in template.closure_criteria if not _closure_met(e.session, project, c, d)]
    e.session.flush()
    return {"project_id": project.id, "unmet_closure_criteria": unmet}


def _closure_met(session: Session, project: Project, check: str, d: ev.ProjectClosed) -> bool:
    def count(q: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(q.subquery())) or 0)

    if check == "all_milestones_accepted":
        return not count(select(Milestone.id).where(Milestone.project_id == project.id,
                                                     Milestone.status != "accepted"))  # fmt: skip
    if check == "no_open_change_requests":
        return not count(select(ChangeRequest.id).where(ChangeRequest.project_id == project.id,
                                                         ChangeRequest.status == "proposed"))  # fmt: skip
    if check == "final_status_note":
        return bool(count(select(StatusNote.id).where(StatusNote.project_id == project.id)))
    if check == "no_future_assignments":
        return not count(select(Assignment.id).where(Assignment.project_id == project.id,
                                                      Assignment.end_date > d.closed_on))  # fmt: skip
    return True


def parse(event_type: str, data: dict[str, Any]) -> BaseModel:
    """Validate ``data`` against the type's schema; 422 naming each bad field."""
    schema = ev.EVENT_TYPES.get(event_type)
    if schema is None:
        raise InvalidInput(
            f"Unknown event type {event_type!r}; known types: {', '.join(ev.EVENT_TYPES)}",
            extra={"known_types": list(ev.EVENT_TYPES)},
        )
    return validate_model(schema, data, field="data", label=event_type)
