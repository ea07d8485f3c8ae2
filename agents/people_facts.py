"""The facts about a person that an answer may use, each with a citable id.

Ids name what they come from: ``co:`` the consultant, ``as:`` an assignment, ``av:`` the
person's availability over the window asked about (``av:`` plus the consultant's id).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.facts import Fact, num
from domain.availability import availability
from domain.repositories.consultants import get_consultant
from domain.tables import Assignment, Client, Project

TOP_SKILLS = 5
MAX_ASSIGNMENTS = 8


def gather_person_facts(session: Session, consultant_id: int, start: date, end: date) -> list[Fact]:
    """Who the person is, their assignments overlapping [start, end], and how free they are."""
    person = get_consultant(session, consultant_id)
    skills = sorted(person.skills, key=lambda s: (-s.proficiency, s.skill.name))[:TOP_SKILLS]
    level = person.role_level.replace("_", " ")
    top = ", ".join(f"{s.skill.name} {s.proficiency}/5" for s in skills)
    facts: list[Fact] = [
        {
            "id": f"co:{person.id}",
            "kind": "consultant",
            "text": f"{person.name}: {person.title or level} ({level}, {person.practice}, "
            f"{person.region}), {num(person.weekly_capacity_hours)} hours a week"
            + (f"; skills {top}" if top else "")
            + ("" if person.active else "; no longer active"),
            "values": {
                "consultant_id": consultant_id,
                "name": person.name,
                "title": person.title,
                "role_level": level,
                "practice": person.practice,
                "region": person.region,
                "capacity_hours": num(person.weekly_capacity_hours),
                "skills": [{"name": s.skill.name, "proficiency": s.proficiency} for s in skills],
            },
        }
    ]
    rows = session.execute(
        select(Assignment, Project.name, Client.name)
        .join(Project, Project.id == Assignment.project_id)
        .join(Client, Client.id == Project.client_id)
        .where(
            Assignment.consultant_id == consultant_id,
            Assignment.start_date <= end,
            Assignment.end_date >= start,
        )
        .order_by(Assignment.start_date, Assignment.id)
        .limit(MAX_ASSIGNMENTS)
    ).all()
    for a, project, client in rows:
        facts.append(
            {
                "id": f"as:{a.id}",
                "kind": "assignment",
                "text": f"{project} ({client}): {a.role}, {num(a.hours_per_week)} hours a week "
                f"from {a.start_date.isoformat()} to {a.end_date.isoformat()}",
                "values": {
                    "consultant_id": consultant_id,
                    "project_id": a.project_id,
                    "project": project,
                    "client": client,
                    "role": a.role,
                    "hours_per_week": num(a.hours_per_week),
                    "start": a.start_date.isoformat(),
                    "end": a.end_date.isoformat(),
                },
            }
        )
    free = availability(session, start, end, [consultant_id]).get(consultant_id)
    if free is not None:
        facts.append(
            {
                "id": f"av:{consultant_id}",
                "kind": "availability",
                "text": f"From {start.isoformat()} to {end.isoformat()}: {num(free.free_hours)} "
                f"of {num(free.capacity_hours)} hours a week free in the busiest week, "
                f"{num(free.utilization * 100)}% booked on average",
                "values": {
                    "consultant_id": consultant_id,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "free_hours": num(free.free_hours),
                    "capacity_hours": num(free.capacity_hours),
                    "booked_percent": num(free.utilization * 100),
                },
            }
        )
    return facts
