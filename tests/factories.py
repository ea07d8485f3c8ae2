"""Small factories for the firm's data. Each flushes and returns the row it made."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy.orm import Session

from domain.tables import (
    Assignment,
    Certification,
    Client,
    Consultant,
    ConsultantSkill,
    Project,
    Skill,
    StatusNote,
    TimeEntry,
)

_seq = itertools.count(1)


def client(session: Session, name: str | None = None, **kw: object) -> Client:
    n = next(_seq)
    row = Client(external_id=f"CL{n}", name=name or f"Client {n}", industry="Retail", region="EMEA")
    for k, v in kw.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    return row


def skill(session: Session, name: str, category: str = "general") -> Skill:
    existing = session.query(Skill).filter_by(name=name).one_or_none()
    if existing:
        return existing
    row = Skill(name=name, category=category)
    session.add(row)
    session.flush()
    return row


def consultant(
    session: Session,
    name: str | None = None,
    skills: dict[str, int] | None = None,
    certs: list[tuple[str, date | None]] | None = None,
    **kw: object,
) -> Consultant:
    n = next(_seq)
    row = Consultant(
        external_id=f"C{n:05d}",
        name=name or f"Consultant {n}",
        email=f"c{n}@example.com",
        role_level="senior_consultant",
        title="Senior Consultant",
        practice="Data & AI",
        region="EMEA",
        timezone="Europe/London",
        languages=["English"],
        cost_rate=80.0,
        bill_rate=160.0,
        weekly_capacity_hours=40.0,
        utilization_target=0.8,
    )
    for k, v in kw.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    for sname, level in (skills or {}).items():
        session.add(
            ConsultantSkill(
                consultant_id=row.id,
                skill_id=skill(session, sname).id,
                proficiency=level,
                years=float(level),
            )
        )
    for cname, expires in certs or []:
        session.add(Certification(consultant_id=row.id, name=cname, issuer="", expires_on=expires))
    session.flush()
    session.refresh(row)
    return row


def project(
    session: Session, name: str | None = None, client_row: Client | None = None, **kw: object
) -> Project:
    n = next(_seq)
    c = client_row or client(session)
    start = date(2026, 1, 5)
    row = Project(
        external_id=f"P{n}",
        client_id=c.id,
        name=name or f"Project {n}",
        engagement_type="implementation",
        contract_type="fixed_fee",
        practice="Data & AI",
        region="EMEA",
        budget_hours=1000.0,
        budget_amount=150000.0,
        bill_rate=150.0,
        start_date=start,
        end_date=start + timedelta(days=180),
        percent_complete=0.0,
        status="active",
        delivery_manager_email="dm@example.com",
    )
    for k, v in kw.items():
        setattr(row, k, v)
    session.add(row)
    session.flush()
    return row


def assignment(
    session: Session,
    project_row: Project,
    consultant_row: Consultant,
    hours: float,
    start: date,
    end: date,
    role: str = "Consultant",
) -> Assignment:
    row = Assignment(
        project_id=project_row.id,
        consultant_id=consultant_row.id,
        role=role,
        hours_per_week=hours,
        start_date=start,
        end_date=end,
    )
    session.add(row)
    session.flush()
    return row


def time_entry(
    session: Session,
    project_row: Project,
    consultant_row: Consultant,
    day: date,
    hours: float,
    submitted: date | None = None,
) -> TimeEntry:
    row = TimeEntry(
        project_id=project_row.id,
        consultant_id=consultant_row.id,
        work_date=day,
        hours=hours,
        billable=True,
        description="work",
        submitted_on=submitted or day,
    )
    session.add(row)
    session.flush()
    return row


def status_note(
    session: Session,
    project_row: Project,
    day: date,
    rag: str = "green",
    percent: float | None = None,
    text: str = "On track.",
) -> StatusNote:
    row = StatusNote(
        project_id=project_row.id,
        author="PM",
        note_date=day,
        rag=rag,
        percent_complete=percent,
        text=text,
    )
    session.add(row)
    session.flush()
    return row
