"""Overrun risk, read-only: one project, or a batch scored in a few queries."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator

from app.deps import CurrentUser, SessionDep
from app.services import ServicesDep
from domain.types import Day, Id
from models.risk import RiskService

router = APIRouter(prefix="/v1", tags=["risk"])

MAX_BATCH = 500


class DriverRead(BaseModel):
    factor: str
    effect: float = Field(description="Change in overrun probability this factor causes")
    direction: str = Field(description="raises or lowers")
    sentence: str


class RiskRead(BaseModel):
    project_id: int
    as_of: date
    probability: float = Field(description="Calibrated probability of overrunning the budget")
    severity: str = Field(description="low, medium, high or critical (bands from settings)")
    flagged: bool = Field(description="Probability at or above the firm's flag threshold")
    drivers: list[DriverRead]
    model_version: str


class RiskScoreRequest(BaseModel):
    project_ids: list[Id] | None = Field(
        default=None, description=f"Projects to score (at most {MAX_BATCH})"
    )
    all_live: bool = Field(default=False, description="Score every active or on-hold project")
    as_of: Day | None = Field(default=None, description="Score as projects stood on this day")

    @model_validator(mode="after")
    def _one_selection(self) -> RiskScoreRequest:
        if (self.project_ids is not None) == self.all_live:
            raise ValueError('send either "project_ids": [...] or "all_live": true, not both')
        if self.project_ids is not None and not 1 <= len(self.project_ids) <= MAX_BATCH:
            raise ValueError(f"project_ids must list 1 to {MAX_BATCH} ids")
        return self


class RiskScoreResponse(BaseModel):
    as_of: date
    model_version: str
    count: int
    results: list[RiskRead]


def _service(services: ServicesDep) -> RiskService:
    service: RiskService = services.require("risk")
    return service


@router.get("/projects/{project_id}/risk", response_model=RiskRead)
def project_risk(
    project_id: Id,
    session: SessionDep,
    services: ServicesDep,
    _: CurrentUser,
    as_of: Annotated[Day | None, Query(description="Default: today")] = None,
) -> dict[str, Any]:
    """Overrun probability, severity band and drivers of one project."""
    service = _service(services)
    return service.assess(session, [project_id], as_of or date.today())[0].as_dict()


@router.post("/risk/score", response_model=RiskScoreResponse)
def score(
    body: RiskScoreRequest, session: SessionDep, services: ServicesDep, _: CurrentUser
) -> dict[str, Any]:
    """Score listed projects, or every live one, in one pass."""
    service = _service(services)
    day = body.as_of or date.today()
    results = service.assess(session, None if body.all_live else body.project_ids, day)
    return {
        "as_of": day,
        "model_version": service.version,
        "count": len(results),
        "results": [r.as_dict() for r in results],
    }
