"""One pydantic model per record kind, plus the entries nested in them.

A blank value means "not given": a required field then reports "is required", an optional one
keeps its default on create and its stored value on update (see ``Record.values``). A blank
list field is the exception: it means "none", so a file can clear a consultant's skills.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from domain.importers.fields import (
    Count,
    Day,
    Email,
    Moment,
    NonNegative,
    Percent,
    Positive,
    Proficiency,
    Share,
    TimeZone,
    WeekHours,
    choice,
    entries,
    name_list,
    text,
    value_error,
)
from domain.types import ContractType, EngagementType, ProjectStatus, RequestCategory, RoleLevel


class RequestSource(StrEnum):
    email = "email"
    chat = "chat"
    portal = "portal"
    api = "api"


ExternalId = Annotated[str, text(64)]


def not_before(value: date | None, info: ValidationInfo, earlier_field: str) -> date | None:
    earlier = info.data.get(earlier_field)
    if value is not None and earlier is not None and value < earlier:
        raise value_error(f"must be on or after {earlier_field} ({earlier.isoformat()})")
    return value


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Fields holding lists: for these a blank cell means an empty list, not "not given".
    list_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _blank_means_not_given(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        given: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str) and not value.strip():
                if key in cls.list_fields:
                    given[key] = []
            elif value is not None:
                given[key] = value
        return given

    def values(self, names: tuple[str, ...], *, given_only: bool) -> dict[str, Any]:
        """The named fields; with ``given_only``, just those the row actually gave."""
        return {n: getattr(self, n) for n in names if not given_only or n in self.model_fields_set}

    def gave(self, name: str) -> bool:
        return name in self.model_fields_set


# -- consultants ---------------------------------------------------------------------------


class SkillEntry(Record):
    name: Annotated[str, text(80)]
    proficiency: Proficiency
    years: NonNegative = 0.0


class CertificationEntry(Record):
    name: Annotated[str, text(120)]
    issued_on: Day | None = None
    expires_on: Day | None = None
    issuer: Annotated[str, text(80)] = ""

    @field_validator("expires_on")
    @classmethod
    def _expires_after_issue(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "issued_on")


class ConsultantRecord(Record):
    list_fields = frozenset({"languages", "skills", "certifications"})

    external_id: ExternalId
    name: Annotated[str, text(120)]
    email: Email
    role_level: Annotated[str, choice(RoleLevel)]
    title: Annotated[str, text(120)] = ""
    practice: Annotated[str, text(64)]
    region: Annotated[str, text(32)]
    timezone: TimeZone
    languages: Annotated[list[Annotated[str, text(60)]], name_list] = []
    cost_rate: NonNegative
    bill_rate: NonNegative
    weekly_capacity_hours: WeekHours = 40.0
    utilization_target: Share = 0.8
    # Split from the right so that a skill name may itself contain a colon.
    skills: Annotated[
        list[SkillEntry],
        entries(("name", "proficiency", "years"), ":", required=3, from_right=True),
    ] = []
    certifications: Annotated[
        list[CertificationEntry],
        entries(("name", "issued_on", "expires_on", "issuer"), "|", required=1),
    ] = []


# -- projects ------------------------------------------------------------------------------


class MilestoneEntry(Record):
    name: Annotated[str, text(160)]
    due_date: Day
    amount: NonNegative = 0.0


class AssignmentEntry(Record):
    consultant: ExternalId
    role: Annotated[str, text(80)]
    hours_per_week: WeekHours
    start_date: Day
    end_date: Day

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class ProjectRecord(Record):
    list_fields = frozenset({"milestones", "assignments"})

    external_id: ExternalId
    client: Annotated[str, text(120)]
    client_industry: Annotated[str, text(64)] = ""
    name: Annotated[str, text(160)]
    engagement_type: Annotated[str, choice(EngagementType)]
    contract_type: Annotated[str, choice(ContractType)]
    practice: Annotated[str, text(64)]
    region: Annotated[str, text(32)]
    budget_hours: NonNegative
    budget_amount: NonNegative
    bill_rate: NonNegative
    start_date: Day
    end_date: Day
    percent_complete: Percent = 0.0
    status: Annotated[str, choice(ProjectStatus)]
    delivery_manager_email: Email = ""
    milestones: Annotated[
        list[MilestoneEntry], entries(("name", "due_date", "amount"), "|", required=2)
    ] = []
    assignments: Annotated[
        list[AssignmentEntry],
        entries(
            ("consultant", "role", "hours_per_week", "start_date", "end_date"), "|", required=5
        ),
    ] = []

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


# -- history -------------------------------------------------------------------------------


class HistoryRecord(Record):
    # History files are often the same export the risk trainer reads, with its own extra
    # columns; those are ignored here rather than rejected.
    model_config = ConfigDict(extra="ignore")

    external_id: ExternalId
    client: Annotated[str, text(120)]
    client_industry: Annotated[str, text(64)] = ""
    name: Annotated[str, text(160)]
    engagement_type: Annotated[str, choice(EngagementType)]
    contract_type: Annotated[str, choice(ContractType)]
    # The estimate an overrun is measured against, so it cannot be zero.
    budget_hours: Positive
    actual_hours: NonNegative
    start_date: Day
    end_date: Day
    budget_amount: NonNegative = 0.0
    practice: Annotated[str, text(64)] = ""
    region: Annotated[str, text(32)] = ""
    change_request_hours: NonNegative = 0.0
    change_request_count: Count = 0

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")

    @field_validator("change_request_count")
    @classmethod
    def _count_covers_hours(cls, value: int, info: ValidationInfo) -> int:
        if value == 0 and info.data.get("change_request_hours"):
            raise value_error("must be at least 1 when change_request_hours is above 0")
        return value


# -- requests ------------------------------------------------------------------------------


class RequestRecord(Record):
    external_id: ExternalId
    source: Annotated[str, choice(RequestSource)]
    sender: Annotated[str, text(200)]
    subject: Annotated[str, text(300)] = ""  # chat messages have none
    body: Annotated[str, text(100_000)]
    received_at: Moment
    category: Annotated[str, choice(RequestCategory)] | None = None
    project: ExternalId | None = None
