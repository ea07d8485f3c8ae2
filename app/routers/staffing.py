"""Staffing search: ranked candidates with their score parts and reasons (read-only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.deps import CurrentUser, SessionDep
from app.services import ServicesDep
from domain.types import Day, Id, Money, NoNul, Text
from models.staffing import Candidate, SkillNeed, StaffingRecommender, StaffingRequest

router = APIRouter(prefix="/v1/staffing", tags=["staffing"])

Name = Annotated[str, Field(min_length=1, max_length=120), NoNul]


class SkillNeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    min_level: int = Field(3, ge=1, le=5, description="Proficiency asked for, 1..5")


class StaffingSearch(BaseModel):
    """One role to fill. ``region``, ``languages`` and ``certifications`` are hard limits."""

    model_config = ConfigDict(extra="forbid")
    role: Text = Field("", max_length=120, examples=["Data Engineer"])
    required_skills: list[SkillNeedIn] = Field(default_factory=list, max_length=20)
    nice_to_have: list[SkillNeedIn] = Field(default_factory=list, max_length=20)
    hours_per_week: float = Field(gt=0, le=80)
    start: Day
    end: Day
    region: Annotated[str, Field(max_length=32), NoNul] | None = None
    languages: list[Name] = Field(default_factory=list, max_length=10)
    certifications: list[Name] = Field(default_factory=list, max_length=10)
    budget_rate: Money | None = Field(None, gt=0, description="Hourly rate billed for the role")
    project_id: Id | None = Field(None, description="For client history and the bill rate")
    description: Text = Field("", max_length=2000)
    top: int = Field(10, ge=1, le=50)

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return end

    def to_request(self) -> StaffingRequest:
        return StaffingRequest(
            role=self.role,
            start=self.start,
            end=self.end,
            hours_per_week=self.hours_per_week,
            required=tuple(SkillNeed(s.name, s.min_level) for s in self.required_skills),
            nice_to_have=tuple(SkillNeed(s.name, s.min_level) for s in self.nice_to_have),
            region=self.region,
            languages=tuple(self.languages),
            certifications=tuple(self.certifications),
            budget_rate=self.budget_rate,
            project_id=self.project_id,
            description=self.description,
            top=self.top,
        )


class SkillEvidenceOut(BaseModel):
    name: str
    level: int | None
    asked: int
    required: bool


class CandidateOut(BaseModel):
    consultant_id: int
    external_id: str
    name: str
    title: str
    role_level: str
    region: str
    score: float
    parts: dict[str, float]
    reasons: str
    free_hours: float
    margin: float
    utilization_after: float
    skills: list[SkillEvidenceOut]

    @classmethod
    def of(cls, c: Candidate) -> CandidateOut:
        return cls(
            consultant_id=c.consultant_id,
            external_id=c.external_id,
            name=c.name,
            title=c.title,
            role_level=c.role_level,
            region=c.region,
            score=round(c.score, 4),
            parts={k: round(v, 4) for k, v in c.parts.items()},
            reasons=c.reasons,
            free_hours=c.facts.free_hours,
            margin=round(c.facts.margin, 4),
            utilization_after=round(c.facts.utilization_after, 4),
            skills=[SkillEvidenceOut(**s.__dict__) for s in c.facts.skills],
        )


class SearchResult(BaseModel):
    candidates: list[CandidateOut]
    considered: int = Field(description="Profiles retrieved by search and checked")
    excluded: dict[str, int] = Field(description="Of those, how many each hard constraint removed")
    model_version: str
    search_mode: str


class ExplainBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request: StaffingSearch
    a: Id = Field(description="Consultant id")
    b: Id = Field(description="Consultant id")


class ExplainResult(BaseModel):
    text: str
    a: CandidateOut
    b: CandidateOut


@router.post("/search", response_model=SearchResult)
def search(
    body: StaffingSearch, session: SessionDep, services: ServicesDep, _: CurrentUser
) -> SearchResult:
    """Ranked candidates who satisfy every hard constraint, with score parts and reasons."""
    recommender: StaffingRecommender = services.require("staffing")
    rec = recommender.recommend(session, body.to_request())
    return SearchResult(
        candidates=[CandidateOut.of(c) for c in rec.candidates],
        considered=rec.considered,
        excluded=rec.excluded,
        model_version=rec.model_version,
        search_mode=rec.search_mode,
    )


@router.post("/explain", response_model=ExplainResult)
def explain(
    body: ExplainBody, session: SessionDep, services: ServicesDep, _: CurrentUser
) -> ExplainResult:
    """Why one of two consultants ranks above the other for a request: the parts that differ most."""
    recommender: StaffingRecommender = services.require("staffing")
    text, a, b = recommender.explain(session, body.request.to_request(), body.a, body.b)
    return ExplainResult(text=text, a=CandidateOut.of(a), b=CandidateOut.of(b))
