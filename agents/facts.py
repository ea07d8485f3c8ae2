"""The facts about a project that drafts and answers may use, each with a citable id.

Ids name the row they come from: ``pj:`` project, ``te:`` time entry, ``ms:`` milestone,
``sn:`` status note, ``cr:`` change request; ``wk:`` is this week's time summed up, and
``rk:`` a risk score. A draft cites these ids; ``agents.grounding`` checks that every number
and date in the draft appears in the facts it was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agents.ports import RiskAssessment
from domain.repositories.projects import burned_hours, get_project
from domain.tables import ChangeRequest, Consultant, Milestone, StatusNote, TimeEntry

MAX_TIME_ENTRIES = 40


class Fact(TypedDict):
    id: str
    kind: str
    text: str
    values: dict[str, Any]


@dataclass(frozen=True)
class ProjectFacts:
    project_id: int
    project_name: str
    client_name: str
    week_start: date
    week_end: date
    facts: list[Fact]

    def of_kind(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f["kind"] == kind]


def fraction(percent: float | None) -> float:
    """Progress as a 0..1 fraction whether it was stored as 0..1 or 0..100."""
    if percent is None:
        return 0.0
    return max(0.0, min(1.0, percent / 100 if percent > 1 else percent))


def num(x: float) -> float | int:
    """Whole numbers without a trailing .0, so facts read like the text that quotes them."""
    x = round(x, 1)
    return int(x) if x == int(x) else x


def gather_project_facts(session: Session, project_id: int, today: date) -> ProjectFacts:
    """Project, this week's time, recent and next milestones, last notes, open changes."""
    p = get_project(session, project_id)
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    burned = burned_hours(session, [p.id], as_of=today).get(p.id, 0.0)
    pct = num(fraction(p.percent_complete) * 100)
    burn_pct = num(100 * burned / p.budget_hours) if p.budget_hours else 0
    facts: list[Fact] = [
        {
            "id": f"pj:{p.id}",
            "kind": "project",
            "text": (
                f"{p.name} for {p.client.name}: {pct}% complete; {num(burned)} of "
                f"{num(p.budget_hours)} budget hours used ({burn_pct}%); runs "
                f"{p.start_date.isoformat()} to {p.end_date.isoformat()}; status {p.status}."
            ),
            "values": {
                "percent_complete": pct,
                "hours_burned": num(burned),
                "budget_hours": num(p.budget_hours),
                "burn_percent": burn_pct,
                "start_date": p.start_date.isoformat(),
                "end_date": p.end_date.isoformat(),
            },
        }
    ]
    facts += _week_facts(session, p.id, week_start, week_end, today)
    facts += _milestone_facts(session, p.id, today)
    facts += _note_facts(session, p.id, today)
    facts += _change_facts(session, p.id, today)
    return ProjectFacts(p.id, p.name, p.client.name, week_start, week_end, facts)


def _week_facts(
    session: Session, project_id: int, start: date, week_end: date, today: date
) -> list[Fact]:
    end = min(week_end, today)
    rows = session.execute(
        select(TimeEntry, Consultant.name)
        .join(Consultant, Consultant.id == TimeEntry.consultant_id)
        .where(
            TimeEntry.project_id == project_id,
            TimeEntry.work_date >= start,
            TimeEntry.work_date <= end,
        )
        .order_by(TimeEntry.work_date, TimeEntry.id)
    ).all()
    hours = num(sum(te.hours for te, _ in rows))
    people = len({te.consultant_id for te, _ in rows})
    summary: Fact = {
        "id": f"wk:{start.isoformat()}",
        "kind": "week",
        "text": f"Week {start.isoformat()} to {week_end.isoformat()}, up to {end.isoformat()}: "
        f"{hours} hours logged by {people} people in {len(rows)} entries.",
        "values": {
            "hours": hours,
            "people": people,
            "week_start": start.isoformat(),
            "week_end": week_end.isoformat(),
            "entries": [f"te:{te.id}" for te, _ in rows],
        },
    }
    entries: list[Fact] = [
        {
            "id": f"te:{te.id}",
            "kind": "time_entry",
            "text": f"{te.work_date.isoformat()}: {num(te.hours)} h by {name}"
            + (f" ({te.description})" if te.description else ""),
            "values": {"hours": num(te.hours), "date": te.work_date.isoformat()},
        }
        for te, name in rows[:MAX_TIME_ENTRIES]
    ]
    return [summary, *entries]


def _milestone_facts(session: Session, project_id: int, today: date) -> list[Fact]:
    rows = session.scalars(
        select(Milestone).where(Milestone.project_id == project_id).order_by(Milestone.due_date)
    ).all()
    recent = [m for m in rows if m.accepted_on and m.accepted_on >= today - timedelta(days=14)]
    upcoming = [m for m in rows if m.status != "accepted"][:2]
    out: list[Fact] = []
    for m in recent + upcoming:
        state = (
            f"accepted on {m.accepted_on.isoformat()}"
            if m.accepted_on
            else ("overdue" if m.due_date < today else "pending")
        )
        out.append(
            {
                "id": f"ms:{m.id}",
                "kind": "milestone",
                "text": f"Milestone '{m.name}' due {m.due_date.isoformat()}, {state}.",
                "values": {"due_date": m.due_date.isoformat(), "status": m.status},
            }
        )
    return out


def _note_facts(session: Session, project_id: int, today: date) -> list[Fact]:
    rows = session.scalars(
        select(StatusNote)
        .where(StatusNote.project_id == project_id, StatusNote.note_date <= today)
        .order_by(StatusNote.note_date.desc(), StatusNote.id.desc())
        .limit(3)
    ).all()
    return [
        {
            "id": f"sn:{n.id}",
            "kind": "status_note",
            "text": f"{n.note_date.isoformat()} ({n.rag}, by {n.author}): {n.text}",
            "values": {"date": n.note_date.isoformat(), "rag": n.rag, "note": n.text},
        }
        for n in rows
    ]


def _change_facts(session: Session, project_id: int, today: date) -> list[Fact]:
    rows = session.scalars(
        select(ChangeRequest)
        .where(
            ChangeRequest.project_id == project_id,
            or_(
                ChangeRequest.status == "proposed",
                ChangeRequest.raised_on >= today - timedelta(days=30),
            ),
        )
        .order_by(ChangeRequest.raised_on)
    ).all()
    return [
        {
            "id": f"cr:{c.id}",
            "kind": "change_request",
            "text": f"Change request '{c.title}': {num(c.hours)} h, {c.status}, raised "
            f"{c.raised_on.isoformat()}.",
            "values": {"hours": num(c.hours), "status": c.status},
        }
        for c in rows
    ]


def risk_fact(risk: RiskAssessment) -> Fact:
    """A risk score as a fact an answer can cite."""
    pct = num(risk.probability * 100)
    drivers = "; ".join(d.description for d in risk.drivers[:3]) or "no driver stands out"
    return {
        "id": f"rk:{risk.project_id}",
        "kind": "risk",
        "text": f"Overrun risk {pct}% ({risk.severity}): {drivers}.",
        "values": {"probability_percent": pct, "severity": risk.severity},
    }
