"""API schemas for the firm's data (read side), and the query parameters the API shares."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from domain.types import NoNul

MAX_OFFSET = 100_000
MAX_QUERY_TEXT = 200

# How many rows to skip: beyond any table this firm has, and far inside a 64-bit OFFSET.
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
# A filter or search term from the address (a practice, a region, words of a name).
QueryText = Annotated[str, Field(max_length=MAX_QUERY_TEXT), NoNul]


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserRead(ORMModel):
    id: int
    email: str
    name: str
    role: str
    practices: list[str]
    regions: list[str]


class MilestoneRead(ORMModel):
    id: int
    name: str
    due_date: date
    amount: float
    status: str
    accepted_on: date | None


class ProjectRead(ORMModel):
    id: int
    external_id: str
    name: str
    client: str
    engagement_type: str
    contract_type: str
    practice: str
    region: str
    budget_hours: float
    budget_amount: float
    bill_rate: float
    start_date: date
    end_date: date
    percent_complete: float
    status: str
    delivery_manager_email: str
    hours_burned: float
    burn: float


class ProjectDetail(ProjectRead):
    milestones: list[MilestoneRead]


class SkillRead(BaseModel):
    name: str
    proficiency: int
    years: float


class CertificationRead(ORMModel):
    name: str
    issuer: str
    issued_on: date | None
    expires_on: date | None


class ConsultantRead(ORMModel):
    id: int
    external_id: str
    name: str
    email: str
    role_level: str
    title: str
    practice: str
    region: str
    timezone: str
    languages: list[str]
    cost_rate: float
    bill_rate: float
    weekly_capacity_hours: float
    utilization_target: float
    skills: list[SkillRead]
    certifications: list[CertificationRead]


class AvailabilityRead(BaseModel):
    consultant_id: int
    start: date
    end: date
    capacity_hours: float
    peak_committed_hours: float
    free_hours: float
    utilization: float
