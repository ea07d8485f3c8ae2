"""Risk features of projects as they stood on a given day.

Everything here is point-in-time: a value counts only if it was recorded on or before
``as_of`` (time entries by work date *and* submission date, status notes by note date, change
requests by the day they were raised or decided, assignments by the day they started or ended).
The project row contributes only what is fixed when the project is sold: budget, planned dates,
contract and engagement type. ``percent_complete`` and ``actual_hours`` on the project row are
final values and are never read.

A batch of (project, as_of) pairs costs five queries whatever its size: rows are fetched up to
the latest ``as_of`` of the batch and each pair keeps only what it could have seen.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.tables import Assignment, ChangeRequest, Project, StatusNote, TimeEntry
from models.risk.lexicon import note_tone

NUMERIC = (
    "burn",
    "percent_complete",
    "burn_gap",
    "schedule_elapsed",
    "burn_vs_schedule",
    "recent_burn_rate",
    "change_requests",
    "change_hours_share",
    "team_churn",
    "late_time_share",
    "missing_time_share",
    "red_amber_share",
    "note_tone",
    "days_since_note",
    "log_budget_hours",
)
CATEGORICAL = ("contract_type", "engagement_type")

# Features explained together, because they are one fact seen from two sides (burn and
# progress); setting only one of them to its typical value would describe an impossible project.
GROUPS: dict[str, tuple[str, ...]] = {
    "burn_vs_progress": ("burn", "percent_complete", "burn_gap"),
    "burn_vs_schedule": ("schedule_elapsed", "burn_vs_schedule"),
    "recent_burn_rate": ("recent_burn_rate",),
    "change_requests": ("change_requests", "change_hours_share"),
    "team_churn": ("team_churn",),
    "late_time": ("late_time_share",),
    "missing_time": ("missing_time_share",),
    "status_notes": ("red_amber_share", "note_tone", "days_since_note"),
    "size": ("log_budget_hours",),
    "contract_type": ("contract_type",),
    "engagement_type": ("engagement_type",),
}

RECENT = timedelta(weeks=4)  # window for the recent burn rate and for missing timesheets
RECENT_NOTES = 3
# An assignment that ends this long before the project's planned end ended early; one that
# starts this long after the project started, in a role someone already held, is a replacement.
CHURN_SLACK = timedelta(days=14)
_CHUNK = 900  # ids per IN (...) list: stays below SQLite's bound-parameter limit

FeatureRow = dict[str, float | str]
NAN = math.nan


@dataclass(frozen=True)
class Snapshot:
    """One project's features on ``as_of``, plus the facts driver sentences quote."""

    project_id: int
    as_of: date
    features: FeatureRow
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Rows:
    """Everything recorded on a batch of projects up to the batch's latest day."""

    projects: dict[int, Project]
    time: dict[int, list[tuple[date, date, float]]]  # work_date, submitted_on, hours
    notes: dict[int, list[tuple[date, str, float | None, str]]]  # date, rag, percent, text
    changes: dict[int, list[tuple[date, float, str, date | None]]]  # raised, hours, status, decided
    assignments: dict[int, list[tuple[str, date, date, float]]]  # role, start, end, hours/week


def compute_features(session: Session, requests: Sequence[tuple[int, date]]) -> list[Snapshot]:
    """Features of each ``(project_id, as_of)``; the order of ``requests`` is kept.

    Unknown project ids are skipped (callers that need them check first).
    """
    if not requests:
        return []
    ids = sorted({pid for pid, _ in requests})
    rows = _fetch(session, ids, max(d for _, d in requests))
    return [
        _snapshot(rows.projects[pid], as_of, rows)
        for pid, as_of in requests
        if pid in rows.projects
    ]


def features_on(session: Session, project_ids: Iterable[int], as_of: date) -> list[Snapshot]:
    """Features of several projects on the same day."""
    return compute_features(session, [(pid, as_of) for pid in project_ids])


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _fetch(session: Session, ids: list[int], until: date) -> _Rows:
    rows = _Rows({}, defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list))
    for chunk in _chunks(ids):
        for p in session.scalars(select(Project).where(Project.id.in_(chunk))):
            rows.projects[p.id] = p
        # Weekly timesheets make many entries share (project, week, submission day): summing
        # them in SQL keeps the transfer small.
        time = (
            select(
                TimeEntry.project_id,
                TimeEntry.work_date,
                TimeEntry.submitted_on,
                func.sum(TimeEntry.hours),
            )
            .where(
                TimeEntry.project_id.in_(chunk),
                TimeEntry.work_date <= until,
                TimeEntry.submitted_on <= until,
            )
            .group_by(TimeEntry.project_id, TimeEntry.work_date, TimeEntry.submitted_on)
        )
        for pid, worked, submitted, hours in session.execute(time):
            rows.time[pid].append((worked, submitted, float(hours or 0.0)))
        notes = select(
            StatusNote.project_id,
            StatusNote.note_date,
            StatusNote.rag,
            StatusNote.percent_complete,
            StatusNote.text,
        ).where(StatusNote.project_id.in_(chunk), StatusNote.note_date <= until)
        for pid, day, rag, pct, text in session.execute(notes.order_by(StatusNote.note_date)):
            rows.notes[pid].append((day, rag, pct, text))
        changes = select(
            ChangeRequest.project_id,
            ChangeRequest.raised_on,
            ChangeRequest.hours,
            ChangeRequest.status,
            ChangeRequest.decided_on,
        ).where(ChangeRequest.project_id.in_(chunk), ChangeRequest.raised_on <= until)
        for pid, raised, hours, status, decided in session.execute(changes):
            rows.changes[pid].append((raised, float(hours), status, decided))
        staff = select(
            Assignment.project_id,
            Assignment.role,
            Assignment.start_date,
            Assignment.end_date,
            Assignment.hours_per_week,
        ).where(Assignment.project_id.in_(chunk), Assignment.start_date <= until)
        for pid, role, start, end, hours in session.execute(staff):
            rows.assignments[pid].append((role, start, end, float(hours)))
    return rows


def approved_change_hours(
    changes: Iterable[tuple[date, float, str, date | None]], as_of: date
) -> float:
    """Hours of change requests approved on or before ``as_of``.

    A request approved without a recorded decision day counts from the day it was raised.
    """
    return sum(
        hours
        for raised, hours, status, decided in changes
        if status == "approved" and (decided or raised) <= as_of
    )


def _snapshot(p: Project, as_of: date, rows: _Rows) -> Snapshot:
    time = [(w, s, h) for w, s, h in rows.time.get(p.id, []) if w <= as_of and s <= as_of]
    notes = [n for n in rows.notes.get(p.id, []) if n[0] <= as_of]
    changes = [c for c in rows.changes.get(p.id, []) if c[0] <= as_of]
    staff = [a for a in rows.assignments.get(p.id, []) if a[1] <= as_of]

    budget = p.budget_hours + approved_change_hours(changes, as_of)
    hours = sum(h for _, _, h in time)
    burn = hours / budget if budget > 0 else NAN
    progress = [pct for _, _, pct, _ in notes if pct is not None]
    complete = progress[-1] / 100.0 if progress else NAN
    span = max((p.end_date - p.start_date).days, 1)
    elapsed = (as_of - p.start_date).days / span

    tone, worries = note_tone(text for *_, text in notes[-RECENT_NOTES:])
    recent_rag = [rag for _, rag, _, _ in notes[-RECENT_NOTES:]]
    churned = _churn_events(p, staff, as_of)
    features: FeatureRow = {
        "burn": burn,
        "percent_complete": complete,
        "burn_gap": burn - complete,
        "schedule_elapsed": elapsed,
        "burn_vs_schedule": burn - elapsed,
        "recent_burn_rate": _recent_burn_rate(p, time, as_of, span),
        "change_requests": float(len(changes)),
        "change_hours_share": sum(c[1] for c in changes) / p.budget_hours
        if p.budget_hours
        else NAN,
        "team_churn": churned / len(staff) if staff else NAN,
        "late_time_share": _late_share(time),
        "missing_time_share": _missing_share(time, staff, as_of),
        "red_amber_share": _rag_share(recent_rag),
        "note_tone": tone if notes else NAN,
        "days_since_note": float((as_of - notes[-1][0]).days) if notes else NAN,
        "log_budget_hours": math.log10(max(p.budget_hours, 1.0)),
        "contract_type": p.contract_type,
        "engagement_type": p.engagement_type,
    }
    context = {
        "hours": round(hours, 1),
        "budget_hours": round(budget, 1),
        "change_hours": round(sum(c[1] for c in changes), 1),
        "assignments": len(staff),
        "churned": churned,
        "red": recent_rag.count("red"),
        "amber": recent_rag.count("amber"),
        "notes": len(recent_rag),
        "worries": worries,
    }
    return Snapshot(p.id, as_of, features, context)


def _recent_burn_rate(
    p: Project, time: list[tuple[date, date, float]], as_of: date, span_days: int
) -> float:
    """Hours of the last four weeks against the even pace the budget implies (1.0 = on plan)."""
    if as_of < p.start_date or p.budget_hours <= 0:
        return NAN
    window_start = max(as_of - RECENT, p.start_date - timedelta(days=1))
    days = max((as_of - window_start).days, 7)
    planned = p.budget_hours / span_days * days
    recent = sum(h for w, _, h in time if w > window_start)
    return recent / planned


def _late_share(time: list[tuple[date, date, float]]) -> float:
    """Share of logged hours submitted after the Sunday closing their work week."""
    total = sum(h for _, _, h in time)
    if total <= 0:
        return NAN
    late = sum(h for w, s, h in time if s > w + timedelta(days=6 - w.weekday()))
    return late / total


def _missing_share(
    time: list[tuple[date, date, float]], staff: list[tuple[str, date, date, float]], as_of: date
) -> float:
    """Share of the last four weeks' staffed hours with no timesheet submitted yet."""
    window_start = as_of - RECENT
    expected = 0.0
    for _, start, end, per_week in staff:
        overlap = (min(end, as_of) - max(start, window_start + timedelta(days=1))).days + 1
        expected += max(overlap, 0) / 7.0 * per_week
    if expected <= 0:
        return NAN
    logged = sum(h for w, _, h in time if w > window_start)
    return min(max(1.0 - logged / expected, 0.0), 1.0)


def _churn_events(p: Project, staff: list[tuple[str, date, date, float]], as_of: date) -> int:
    """Assignments that ended early, plus late joiners who took over a role already held."""
    early = sum(1 for _, _, end, _ in staff if end <= as_of and end < p.end_date - CHURN_SLACK)
    first_start: dict[str, date] = {}
    for role, start, _, _ in staff:
        first_start[role] = min(start, first_start.get(role, start))
    replaced = sum(
        1
        for role, start, _, _ in staff
        if start > p.start_date + CHURN_SLACK and start > first_start[role]
    )
    return early + replaced


def _rag_share(rags: list[str]) -> float:
    if not rags:
        return NAN
    weight = {"red": 1.0, "amber": 0.5}
    return sum(weight.get(r, 0.0) for r in rags) / len(rags)
