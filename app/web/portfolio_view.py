"""The portfolio as one page shows it: projects with burn and, when the risk model is loaded,
their overrun risk and its drivers; consultants with their utilization."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.availability import availability
from domain.errors import OpsError
from domain.repositories import consultants as consultant_repo
from domain.repositories import projects as project_repo
from domain.tables import TimeEntry

log = logging.getLogger(__name__)
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
WINDOW_WEEKS = 4


@dataclass(frozen=True)
class RiskInfo:
    probability: float
    severity: str
    drivers: list[str]


@dataclass(frozen=True)
class ProjectRow:
    id: int
    name: str
    client: str
    practice: str
    status: str
    delivery_manager_email: str
    budget_hours: float
    hours_burned: float
    burn: float
    progress: float  # 0..1, from the project's percent complete (0..100)
    end_date: date
    risk: RiskInfo | None = None

    @property
    def burn_ahead(self) -> bool:
        """Burned a tenth of the budget more than the work done: the usual overrun signal."""
        return self.burn - self.progress > 0.1


@dataclass
class RiskState:
    loaded: bool
    model_version: str = ""
    problem: str = ""
    by_project: dict[int, RiskInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsultantRow:
    id: int
    name: str
    title: str
    practice: str
    region: str
    target: float
    actual: float  # billable hours / capacity, last four weeks
    booked: float  # committed hours / capacity, next four weeks
    free_hours: float  # per week, next four weeks


def assess_risk(session: Session, service: Any | None, today: date) -> RiskState:
    if service is None:
        return RiskState(loaded=False)
    try:
        results = service.assess(session, None, today)
    except OpsError as exc:
        return RiskState(loaded=False, problem=exc.detail)
    by_project = {
        r.project_id: RiskInfo(r.probability, r.severity, [d.sentence for d in r.drivers])
        for r in results
    }
    return RiskState(loaded=True, model_version=str(service.version), by_project=by_project)


def projects(
    session: Session, risk: RiskState, *, manager_email: str | None = None
) -> list[ProjectRow]:
    rows = []
    for s in project_repo.list_projects(session, limit=500):
        p = s.project
        if p.status == "closed":
            continue
        if manager_email and p.delivery_manager_email != manager_email:
            continue
        rows.append(
            ProjectRow(
                id=p.id,
                name=p.name,
                client=p.client.name,
                practice=p.practice,
                status=p.status,
                delivery_manager_email=p.delivery_manager_email,
                budget_hours=p.budget_hours,
                hours_burned=s.hours_burned,
                burn=s.burn,
                progress=(p.percent_complete or 0.0) / 100,
                end_date=p.end_date,
                risk=risk.by_project.get(p.id),
            )
        )
    if risk.loaded:
        rows.sort(key=lambda r: (-(r.risk.probability if r.risk else -1.0), r.name))
    else:
        rows.sort(key=lambda r: (-(r.burn - r.progress), r.name))
    return rows


def consultants(session: Session, today: date) -> list[ConsultantRow]:
    people = consultant_repo.list_consultants(session, limit=500)
    ids = [c.id for c in people]
    ahead = availability(
        session, today, today + timedelta(weeks=WINDOW_WEEKS) - timedelta(days=1), ids
    )
    since = today - timedelta(weeks=WINDOW_WEEKS)
    billable = dict(
        session.execute(
            select(TimeEntry.consultant_id, func.coalesce(func.sum(TimeEntry.hours), 0.0))
            .where(
                TimeEntry.consultant_id.in_(ids),
                TimeEntry.billable,
                TimeEntry.work_date >= since,
                TimeEntry.work_date < today,
            )
            .group_by(TimeEntry.consultant_id)
        ).all()
    )
    rows = []
    for c in people:
        a = ahead.get(c.id)
        capacity = c.weekly_capacity_hours * WINDOW_WEEKS
        rows.append(
            ConsultantRow(
                id=c.id,
                name=c.name,
                title=c.title,
                practice=c.practice,
                region=c.region,
                target=c.utilization_target,
                actual=float(billable.get(c.id, 0.0)) / capacity if capacity else 0.0,
                booked=a.utilization if a else 0.0,
                free_hours=a.free_hours if a else c.weekly_capacity_hours,
            )
        )
    return sorted(rows, key=lambda r: (-r.booked, r.name))
