"""Availability of consultants over a date window, computed from capacity and assignments.

Free hours are capacity minus committed hours for the busiest week in the window: a person
booked full-time for one week of a four-week window is not free for a 30 h/week request.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables import Assignment, Consultant


@dataclass(frozen=True)
class Availability:
    consultant_id: int
    capacity_hours: float  # per week
    peak_committed_hours: float  # busiest week in the window
    mean_committed_hours: float

    @property
    def free_hours(self) -> float:
        return max(0.0, self.capacity_hours - self.peak_committed_hours)

    @property
    def utilization(self) -> float:
        return self.mean_committed_hours / self.capacity_hours if self.capacity_hours else 0.0


def week_starts(start: date, end: date) -> list[date]:
    first = start - timedelta(days=start.weekday())
    weeks = []
    while first <= end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks


def availability(
    session: Session,
    start: date,
    end: date,
    consultant_ids: Iterable[int] | None = None,
    *,
    exclude_project_id: int | None = None,
) -> dict[int, Availability]:
    """Availability per consultant for [start, end], with one query for all assignments."""
    if end < start:
        start, end = end, start
    people = select(Consultant.id, Consultant.weekly_capacity_hours).where(Consultant.active)
    ids = list(consultant_ids) if consultant_ids is not None else None
    if ids is not None:
        people = people.where(Consultant.id.in_(ids))
    capacity = {cid: cap for cid, cap in session.execute(people)}

    booked = select(
        Assignment.consultant_id,
        Assignment.hours_per_week,
        Assignment.start_date,
        Assignment.end_date,
    ).where(Assignment.start_date <= end, Assignment.end_date >= start)
    if ids is not None:
        booked = booked.where(Assignment.consultant_id.in_(ids))
    if exclude_project_id is not None:
        booked = booked.where(Assignment.project_id != exclude_project_id)

    weeks = week_starts(start, end)
    load: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(weeks))
    for cid, hours, a_start, a_end in session.execute(booked):
        row = load[cid]
        # The weeks an assignment overlaps are a run of the sorted week starts: from the
        # first week ending on or after its start to the last week starting by its end.
        first = bisect_left(weeks, a_start - timedelta(days=6))
        for i in range(first, bisect_right(weeks, a_end)):
            row[i] += hours
    out = {}
    for cid, cap in capacity.items():
        row = load.get(cid, [0.0] * len(weeks))
        out[cid] = Availability(
            consultant_id=cid,
            capacity_hours=cap,
            peak_committed_hours=max(row, default=0.0),
            mean_committed_hours=sum(row) / len(row) if row else 0.0,
        )
    return out
