"""The firm's data, read-only: projects, consultants, availability, the signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import CurrentUser, SessionDep
from app.schemas import (
    AvailabilityRead,
    CertificationRead,
    ConsultantRead,
    Offset,
    ProjectDetail,
    ProjectRead,
    QueryText,
    SkillRead,
    UserRead,
)
from domain.availability import availability
from domain.errors import InvalidInput
from domain.repositories import consultants as consultant_repo
from domain.repositories import projects as project_repo
from domain.repositories.projects import ProjectSummary
from domain.tables import Consultant
from domain.types import Day, Id

router = APIRouter(prefix="/v1", tags=["firm"])


def _project_read(row: ProjectSummary) -> dict[str, object]:
    derived = {"client": row.project.client.name, "hours_burned": round(row.hours_burned, 1),
               "burn": round(row.burn, 3)}  # fmt: skip
    cols = {c: getattr(row.project, c) for c in ProjectRead.model_fields if c not in derived}
    return {**cols, **derived}


def _consultant_read(c: Consultant) -> ConsultantRead:
    fields = {k: getattr(c, k) for k in ConsultantRead.model_fields if k != "skills"}
    fields["certifications"] = [CertificationRead.model_validate(x) for x in c.certifications]
    skills = [
        SkillRead(name=s.skill.name, proficiency=s.proficiency, years=s.years) for s in c.skills
    ]
    return ConsultantRead(**fields, skills=sorted(skills, key=lambda s: (-s.proficiency, s.name)))


@router.get("/me", response_model=UserRead)
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@router.get("/projects", response_model=list[ProjectRead])
def list_projects(
    session: SessionDep,
    _: CurrentUser,
    status: QueryText | None = None,
    practice: QueryText | None = None,
    client: QueryText | None = None,
    q: Annotated[QueryText | None, Query(description="Search in project and client names")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[dict[str, object]]:
    rows = project_repo.list_projects(
        session,
        status=status,
        practice=practice,
        client=client,
        search=q,
        limit=limit,
        offset=offset,
    )
    return [_project_read(r) for r in rows]


@router.get("/projects/{project_id}", response_model=ProjectDetail)
def get_project(project_id: Id, session: SessionDep, _: CurrentUser) -> dict[str, object]:
    p = project_repo.get_project(session, project_id)
    hours = project_repo.burned_hours(session, [p.id]).get(p.id, 0.0)
    return {**_project_read(ProjectSummary(p, hours)), "milestones": p.milestones}


@router.get("/consultants", response_model=list[ConsultantRead])
def list_consultants(
    session: SessionDep,
    _: CurrentUser,
    practice: QueryText | None = None,
    region: QueryText | None = None,
    skill: QueryText | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[ConsultantRead]:
    rows = consultant_repo.list_consultants(
        session, practice=practice, region=region, skill=skill, limit=limit, offset=offset
    )
    return [_consultant_read(c) for c in rows]


@router.get("/consultants/{consultant_id}", response_model=ConsultantRead)
def get_consultant(consultant_id: Id, session: SessionDep, _: CurrentUser) -> ConsultantRead:
    return _consultant_read(consultant_repo.get_consultant(session, consultant_id))


@router.get("/consultants/{consultant_id}/availability", response_model=AvailabilityRead)
def consultant_availability(
    consultant_id: Id, start: Day, end: Day, session: SessionDep, _: CurrentUser
) -> AvailabilityRead:
    if end < start:
        raise InvalidInput(f"end ({end}) is before start ({start})")
    consultant_repo.get_consultant(session, consultant_id)
    a = availability(session, start, end, [consultant_id])[consultant_id]
    return AvailabilityRead(
        consultant_id=consultant_id,
        start=start,
        end=end,
        capacity_hours=a.capacity_hours,
        peak_committed_hours=a.peak_committed_hours,
        free_hours=a.free_hours,
        utilization=round(a.utilization, 3),
    )
