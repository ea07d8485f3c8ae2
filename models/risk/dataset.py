"""Training examples: snapshots of finished projects, labelled with how they ended.

Label rule: a finished project *overran* when its actual hours exceed 1.1 x (budget hours +
hours of approved change requests). Approved change requests move the budget, so extra work
the client agreed to pay for is not an overrun; the 10 % margin ignores ordinary noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.tables import ChangeRequest, Project, TimeEntry
from domain.types import ProjectStatus
from models.risk.features import FeatureRow, compute_features

OVERRUN_MARGIN = 1.1
# Where on its planned schedule a finished project is looked at: early, midway and late.
SNAPSHOT_POINTS = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Example:
    """One labelled row. Every snapshot of a project shares its ``group``."""

    group: str
    ended_on: date | None  # orders the time split; None: keep the source's order
    stage: str  # "25%" of schedule, or "file" for a row of a history export
    features: FeatureRow
    label: int


def overran(actual_hours: float, budget_hours: float, approved_change_hours: float = 0.0) -> bool:
    """The label rule: actual > 1.1 x (budget + approved change-request hours)."""
    return actual_hours > OVERRUN_MARGIN * (budget_hours + approved_change_hours)


def firm_history(session: Session, points: Sequence[float] = SNAPSHOT_POINTS) -> list[Example]:
    """Snapshots of every closed project with timesheets at ``points`` of its planned schedule.

    A snapshot is taken only while the project was still running (before it closed). Actual
    hours come from the project's closing record, or from its timesheets when none was kept.
    """
    projects = list(
        session.scalars(
            select(Project)
            .where(Project.status == ProjectStatus.closed.value, Project.closed_on.is_not(None))
            .order_by(Project.closed_on, Project.id)
        )
    )
    if not projects:
        return []
    ids = [p.id for p in projects]
    logged = dict(
        session.execute(
            select(TimeEntry.project_id, func.sum(TimeEntry.hours))
            .where(TimeEntry.project_id.in_(ids))
            .group_by(TimeEntry.project_id)
        ).all()
    )
    approved = dict(
        session.execute(
            select(ChangeRequest.project_id, func.sum(ChangeRequest.hours))
            .where(ChangeRequest.project_id.in_(ids), ChangeRequest.status == "approved")
            .group_by(ChangeRequest.project_id)
        ).all()
    )
    requests: list[tuple[int, date]] = []
    stages: list[str] = []
    # A project closed without timesheets (imported from a history of totals) has no
    # trajectory to snapshot: every snapshot would show zero burn. Such history trains
    # through ``opscopilot train risk --data FILE`` instead.
    for p in (p for p in projects if logged.get(p.id)):
        for point in points:
            as_of = snapshot_day(p.start_date, p.end_date, point)
            assert p.closed_on is not None
            if as_of < p.closed_on:
                requests.append((p.id, as_of))
                stages.append(f"{point:.0%}")
    by_id = {p.id: p for p in projects}
    examples = []
    for snap, stage in zip(compute_features(session, requests), stages, strict=True):
        p = by_id[snap.project_id]
        actual = p.actual_hours if p.actual_hours is not None else float(logged.get(p.id) or 0.0)
        label = overran(actual, p.budget_hours, float(approved.get(p.id) or 0.0))
        examples.append(Example(str(p.id), p.closed_on, stage, snap.features, int(label)))
    return examples


def snapshot_day(start: date, end: date, point: float) -> date:
    """The day ``point`` (0..1) of the way through the planned schedule."""
    return start + timedelta(days=round((end - start).days * point))
