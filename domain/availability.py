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
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from domain.db import IDS, read_rows
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


# Built once: a statement object keeps its cache key, which SQLAlchemy otherwise derives
# afresh for each new statement on every call; the filters are bound parameters.
_PEOPLE = select(Consultant.id, Consultant.weekly_capacity_hours).where(Consultant.active)
_PEOPLE_OF = _PEOPLE.where(Consultant.id.in_(IDS))
_BOOKED = select(
    Assignment.consultant_id,
    Assignment.hours_per_week,
    Assignment.start_date,
    Assignment.end_date,
).where(Assignment.start_date <= bindparam("end"), Assignment.end_date >= bindparam("start"))


@cache
def _booked(of_ids: bool, excluding: bool) -> Select[int, float, date, date]:
    q = _BOOKED.where(Assignment.consultant_id.in_(IDS)) if of_ids else _BOOKED
    return q.where(Assignment.project_id != bindparam("exclude")) if excluding else q


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
    ids = list(consultant_ids) if consultant_ids is not None else None
    params: dict[str, Any] = {"start": start, "end": end, "exclude": exclude_project_id}
    if ids is not None:
        params["ids"] = ids
    people = _PEOPLE if ids is None else _PEOPLE_OF
    capacity = {cid: cap for cid, cap in read_rows(session, people, params)}
    booked = _booked(ids is not None, exclude_project_id is not None)

    weeks = week_starts(start, end)
    load: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(weeks))
    for cid, hours, a_start, a_end in read_rows(session, booked, params):
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
