"""Reading projects with what has been burned on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.tables import Client, Project, TimeEntry


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    hours_burned: float

    @property
    def burn(self) -> float:
        return self.hours_burned / self.project.budget_hours if self.project.budget_hours else 0.0


def burned_hours(
    session: Session, project_ids: list[int], as_of: date | None = None
) -> dict[int, float]:
    q = select(TimeEntry.project_id, func.coalesce(func.sum(TimeEntry.hours), 0.0)).where(
        TimeEntry.project_id.in_(project_ids)
    )
    if as_of is not None:
        q = q.where(TimeEntry.work_date <= as_of)
    return {pid: float(h) for pid, h in session.execute(q.group_by(TimeEntry.project_id))}


def list_projects(
    session: Session,
    *,
    status: str | None = None,
    practice: str | None = None,
    client: str | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ProjectSummary]:
    q = select(Project).join(Client).order_by(Project.name)
    if status:
        q = q.where(Project.status == status)
    if practice:
        q = q.where(Project.practice == practice)
    if client:
        q = q.where(func.lower(Client.name) == client.lower())
    if search:
        # autoescape: "50%" and "a_b" mean those characters, not LIKE wildcards.
        words = search.lower()
        q = q.where(
            or_(
                func.lower(Project.name).contains(words, autoescape=True),
                func.lower(Client.name).contains(words, autoescape=True),
            )
        )
    projects = list(session.scalars(q.limit(limit).offset(offset)))
    burned = burned_hours(session, [p.id for p in projects])
    return [ProjectSummary(p, burned.get(p.id, 0.0)) for p in projects]


def get_project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound.of("project", project_id)
    return project
