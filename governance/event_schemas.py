"""Canonical inbound events: the envelope and one pydantic schema per event type.

Integrations name things by their external ids (the CRM's project id, the HR system's person
id), never by our database ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.types import (
    ContractType,
    Day,
    EngagementType,
    Hours,
    JsonObject,
    Money,
    NoNul,
    ProjectStatus,
    Text,
)


class EventIn(BaseModel):
    """``POST /v1/events`` body. The event id comes from here or the Idempotency-Key header."""

    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(min_length=1, max_length=200), NoNul] | None = None
    type: Text = Field(min_length=1, max_length=64)
    source: Text = Field(default="", max_length=64)
    occurred_at: datetime | None = None
    # Checked for NUL characters, non-finite numbers and oversized ids here, before the event
    # is hashed or its type looked up; the type's own schema checks the rest.
    data: JsonObject


class Data(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class MilestoneIn(Data):
    name: str = Field(min_length=1, max_length=160)
    due_date: Day
    amount: Money = 0.0


class ProjectCreated(Data):
    external_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=160)
    client: str = Field(min_length=1, max_length=120, description="Client name")
    engagement_type: EngagementType
    contract_type: ContractType
    practice: str = Field(min_length=1, max_length=64)
    region: str = Field(min_length=1, max_length=32)
    budget_hours: Hours = Field(gt=0)
    budget_amount: Money
    bill_rate: Money
    start_date: Day
    end_date: Day
    status: ProjectStatus = ProjectStatus.planned
    delivery_manager_email: str = Field(default="", max_length=200)
    milestones: list[MilestoneIn] = []

    @model_validator(mode="after")
    def _dates(self) -> ProjectCreated:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class DealApproved(Data):
    deal_id: str = Field(min_length=1, max_length=64)
    project_external_id: str = Field(min_length=1, max_length=64)
    engagement_type: EngagementType | None = None  # defaults to the project's
    requested_by: str | None = Field(default=None, max_length=200)
    # The project, when the CRM approves a deal before the PSA has created it.
    project: ProjectCreated | None = None


class TimeEntryIn(Data):
    work_date: Day
    hours: float = Field(gt=0, le=24)
    billable: bool = True
    description: str = ""


class TimesheetSubmitted(Data):
    project_external_id: str
    consultant_external_id: str
    submitted_on: Day
    entries: list[TimeEntryIn] = Field(min_length=1)


class StatusUpdated(Data):
    project_external_id: str
    author: str = Field(min_length=1, max_length=120)
    note_date: Day
    rag: Literal["green", "amber", "red"]
    percent_complete: float | None = Field(default=None, ge=0, le=100)
    text: str = Field(min_length=1)


class MilestoneAccepted(Data):
    project_external_id: str
    milestone: str = Field(min_length=1, description="The milestone's name")
    accepted_on: Day


class ChangeRequestRaised(Data):
    project_external_id: str
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    hours: Hours = Field(gt=0)
    amount: Money = 0.0
    raised_on: Day


class ResourceRequested(Data):
    project_external_id: str
    role: str = Field(min_length=1, max_length=80)
    hours_per_week: float = Field(gt=0, le=80)
    start_date: Day
    end_date: Day
    skills: list[str] = []
    role_level: str | None = None
    requested_by: str | None = Field(default=None, max_length=200)


class ProjectClosed(Data):
    project_external_id: str
    closed_on: Day
    actual_hours: Hours | None = None


class RequestReceived(Data):
    external_id: str = Field(min_length=1, max_length=64)
    source: Literal["email", "chat", "portal", "api"] = "api"
    sender: str = Field(default="", max_length=200)
    subject: str = Field(default="", max_length=300)
    body: str = Field(min_length=1)
    project_external_id: str | None = None


EVENT_TYPES: dict[str, type[Data]] = {
    "deal.approved": DealApproved,
    "project.created": ProjectCreated,
    "timesheet.submitted": TimesheetSubmitted,
    "status.updated": StatusUpdated,
    "milestone.accepted": MilestoneAccepted,
    "change_request.raised": ChangeRequestRaised,
    "resource.requested": ResourceRequested,
    "project.closed": ProjectClosed,
    "request.received": RequestReceived,
}
