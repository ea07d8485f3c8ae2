"""A small firm for the agent's tests and benchmark: four clients, five projects, eight people.

The numbers are chosen so that the stories in the tests hold as of ``TODAY``:
Fabrikam's ERP migration burns ahead of its progress (high overrun risk), Contoso and
Northwind are healthy, Fabrikam has two open projects (so "Fabrikam" alone is ambiguous).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from domain.tables import (
    Assignment,
    ChangeRequest,
    Client,
    Consultant,
    ConsultantSkill,
    Milestone,
    Project,
    Skill,
    StatusNote,
    TimeEntry,
)

TODAY = date(2026, 11, 26)  # a Thursday
DM_EMAIL = "dana.manager@example.com"
SKILLS = ["Spark", "Azure", "Python", "SQL", "Power BI", "Databricks", "Kafka", "Java"]


@dataclass(frozen=True)
class Firm:
    contoso: int
    fabrikam_migration: int
    fabrikam_support: int
    northwind: int
    tailspin: int
    people: dict[str, int]


def _person(
    session: Session,
    skills: dict[str, Skill],
    name: str,
    level: str,
    title: str,
    have: dict[str, int],
    *,
    cost: float = 70.0,
    bill: float = 150.0,
) -> Consultant:
    c = Consultant(
        external_id=f"EMP-{name.split()[0].upper()}",
        name=name,
        email=f"{name.split()[0].lower()}@firm.example",
        role_level=level,
        title=title,
        practice="Data & AI",
        region="EMEA",
        timezone="Europe/Amsterdam",
        languages=["en"],
        cost_rate=cost,
        bill_rate=bill,
    )
    c.skills = [
        ConsultantSkill(skill=skills[s], proficiency=p, years=p * 1.5) for s, p in have.items()
    ]
    session.add(c)
    return c


def _project(
    session: Session,
    client: Client,
    name: str,
    *,
    budget: float,
    pct: float,
    start: date,
    end: date,
    status: str = "active",
) -> Project:
    p = Project(
        external_id=f"PRJ-{name.split()[1].upper()}-{client.id}",
        client=client,
        name=name,
        engagement_type="implementation",
        contract_type="fixed_fee",
        practice="Data & AI",
        region="EMEA",
        budget_hours=budget,
        budget_amount=budget * 160,
        bill_rate=160.0,
        start_date=start,
        end_date=end,
        percent_complete=pct,
        status=status,
        delivery_manager_email=DM_EMAIL,
    )
    session.add(p)
    return p


def _burn(session: Session, project: Project, who: Consultant, hours: float, end: date) -> None:
    """Book ``hours`` in 40-hour weeks ending the week before ``end``."""
    day = end - timedelta(days=7)
    while hours > 0:
        h = min(40.0, hours)
        session.add(
            TimeEntry(
                project_id=project.id,
                consultant_id=who.id,
                work_date=day,
                hours=h,
                description="delivery",
                submitted_on=day,
            )
        )
        hours -= h
        day -= timedelta(days=7)


def seed_firm(session: Session, today: date = TODAY) -> Firm:
    """Create the firm; flushes, never commits."""
    skills = {s: Skill(name=s, category="tech") for s in SKILLS}
    session.add_all(skills.values())
    contoso = Client(external_id="C-1", name="Contoso Ltd", industry="retail", region="EMEA")
    fabrikam = Client(external_id="C-2", name="Fabrikam", industry="manufacturing")
    northwind = Client(external_id="C-3", name="Northwind Traders", industry="logistics")
    tailspin = Client(external_id="C-4", name="Tailspin Toys", industry="retail")
    session.add_all([contoso, fabrikam, northwind, tailspin])
    session.flush()

    ana = _person(
        session,
        skills,
        "Ana Costa",
        "senior_consultant",
        "Senior Data Engineer",
        {"Spark": 5, "Azure": 4, "Python": 4},
        cost=70,
        bill=150,
    )
    ben = _person(
        session,
        skills,
        "Ben Okafor",
        "manager",
        "Data Engineering Lead",
        {"Spark": 4, "Azure": 5, "Databricks": 5},
        cost=95,
        bill=180,
    )
    chen = _person(
        session,
        skills,
        "Chen Wei",
        "consultant",
        "Data Engineer",
        {"Spark": 3, "Python": 4, "SQL": 4},
        cost=50,
        bill=120,
    )
    dora = _person(
        session, skills, "Dora Ivanova", "senior_consultant", "Cloud Engineer", {"Azure": 5}
    )
    eli = _person(
        session,
        skills,
        "Eli Novak",
        "analyst",
        "BI Analyst",
        {"Power BI": 4, "SQL": 3},
        cost=40,
        bill=100,
    )
    gus = _person(
        session, skills, "Gus Lind", "senior_consultant", "Java Developer", {"Java": 5, "Kafka": 4}
    )
    hana = _person(
        session, skills, "Hana Sato", "senior_consultant", "Data Engineer", {"Spark": 4, "Azure": 3}
    )
    session.flush()

    y = today.year
    p_contoso = _project(
        session,
        contoso,
        "Contoso Cloud Data Platform",
        budget=2000,
        pct=30,
        start=date(y, 9, 1),
        end=date(y + 1, 6, 30),
    )
    p_mig = _project(
        session,
        fabrikam,
        "Fabrikam ERP Migration",
        budget=1200,
        pct=50,
        start=date(y, 6, 1),
        end=date(y + 1, 1, 31),
    )
    p_sup = _project(
        session,
        fabrikam,
        "Fabrikam Support Retainer",
        budget=500,
        pct=20,
        start=date(y, 1, 1),
        end=date(y + 1, 12, 31),
    )
    p_nw = _project(
        session,
        northwind,
        "Northwind Analytics Rollout",
        budget=800,
        pct=40,
        start=date(y, 10, 1),
        end=date(y + 1, 3, 31),
    )
    p_ts = _project(
        session,
        tailspin,
        "Tailspin Website Relaunch",
        budget=300,
        pct=100,
        start=date(y - 1, 1, 1),
        end=date(y - 1, 6, 30),
        status="closed",
    )
    session.flush()

    # Dora is fully booked for months; Hana half.
    session.add(
        Assignment(
            project_id=p_contoso.id,
            consultant_id=dora.id,
            role="Cloud Engineer",
            hours_per_week=40,
            start_date=today,
            end_date=today + timedelta(days=400),
        )
    )
    session.add(
        Assignment(
            project_id=p_sup.id,
            consultant_id=hana.id,
            role="Data Engineer",
            hours_per_week=20,
            start_date=today,
            end_date=today + timedelta(days=400),
        )
    )

    week = today - timedelta(days=today.weekday())
    _burn(session, p_contoso, dora, 500, week)
    _burn(session, p_mig, gus, 1000, week)
    _burn(session, p_sup, hana, 100, week)
    _burn(session, p_nw, eli, 277.5, week)
    # This week on Northwind: three people, 22.5 hours.
    for who, day, h in ((eli, 0, 8.0), (chen, 1, 7.5), (ana, 2, 7.0)):
        session.add(
            TimeEntry(
                project_id=p_nw.id,
                consultant_id=who.id,
                work_date=week + timedelta(days=day),
                hours=h,
                description="dashboards",
                submitted_on=today,
            )
        )

    session.add_all(
        [
            StatusNote(
                project_id=p_mig.id,
                author="Dana",
                note_date=today - timedelta(days=6),
                rag="amber",
                percent_complete=50,
                text="Data migration scripts are behind plan. Cutover is at risk.",
            ),
            StatusNote(
                project_id=p_nw.id,
                author="Dana",
                note_date=today - timedelta(days=7),
                rag="green",
                percent_complete=40,
                text="UAT preparation on track. Dashboards demoed to the client.",
            ),
            Milestone(
                project_id=p_nw.id,
                name="Design sign-off",
                due_date=today - timedelta(days=11),
                status="accepted",
                accepted_on=today - timedelta(days=8),
            ),
            Milestone(project_id=p_nw.id, name="UAT complete", due_date=today + timedelta(days=22)),
            Milestone(project_id=p_mig.id, name="Cutover", due_date=date(y + 1, 1, 15)),
            ChangeRequest(
                project_id=p_mig.id,
                title="Extra data quality reports",
                hours=40,
                raised_on=today - timedelta(days=16),
            ),
        ]
    )
    session.flush()
    return Firm(
        contoso=p_contoso.id,
        fabrikam_migration=p_mig.id,
        fabrikam_support=p_sup.id,
        northwind=p_nw.id,
        tailspin=p_ts.id,
        people={c.name: c.id for c in (ana, ben, chen, dora, eli, gus, hana)},
    )
