"""A small hand-made firm for the staffing tests (factories and fixtures, no tests here)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables import (
    Assignment,
    Certification,
    Client,
    Consultant,
    ConsultantSkill,
    Project,
    Skill,
)
from models.encoder import Encoder, HashingEncoder
from models.staffing import SkillNeed, StaffingRanker, StaffingRecommender, StaffingRequest
from models.staffing.index import StaffingIndex
from models.staffing.store import VectorStore

START, END = date(2027, 3, 1), date(2027, 6, 30)


def skill(session: Session, name: str) -> Skill:
    found = session.scalar(select(Skill).where(Skill.name == name))
    if found is None:
        found = Skill(name=name)
        session.add(found)
        session.flush()
    return found


def person(
    session: Session,
    key: str,
    skills: dict[str, int],
    *,
    region: str = "EMEA",
    languages: tuple[str, ...] = ("English",),
    certs: tuple[tuple[str, date | None], ...] = (),
    cost: float = 80.0,
    bill: float = 160.0,
    capacity: float = 40.0,
    target: float = 0.8,
    title: str = "Data Engineer",
    practice: str = "Data & AI",
) -> Consultant:
    c = Consultant(
        external_id=key,
        name=key.replace("-", " ").title(),
        email=f"{key}@example.com",
        role_level="senior_consultant",
        title=title,
        practice=practice,
        region=region,
        timezone="Europe/London",
        languages=list(languages),
        cost_rate=cost,
        bill_rate=bill,
        weekly_capacity_hours=capacity,
        utilization_target=target,
    )
    session.add(c)
    session.flush()
    for name, level in skills.items():
        session.add(
            ConsultantSkill(
                consultant_id=c.id, skill_id=skill(session, name).id, proficiency=level, years=3.0
            )
        )
    for name, expires in certs:
        session.add(Certification(consultant_id=c.id, name=name, expires_on=expires))
    session.flush()
    return c


def project(
    session: Session, client: str, *, bill_rate: float = 200.0, key: str | None = None
) -> Project:
    cl = session.scalar(select(Client).where(Client.name == client))
    if cl is None:
        cl = Client(external_id=f"CL-{client}", name=client)
        session.add(cl)
        session.flush()
    p = Project(
        external_id=key or f"PR-{client}-{bill_rate}",
        client_id=cl.id,
        name=f"{client} platform",
        engagement_type="implementation",
        contract_type="time_and_materials",
        practice="Data & AI",
        region="EMEA",
        budget_hours=1000,
        budget_amount=200_000,
        bill_rate=bill_rate,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
        status="active",
    )
    session.add(p)
    session.flush()
    return p


def assign(
    session: Session, c: Consultant, p: Project, hours: float, start: date, end: date
) -> None:
    session.add(
        Assignment(
            project_id=p.id,
            consultant_id=c.id,
            role="Engineer",
            hours_per_week=hours,
            start_date=start,
            end_date=end,
        )
    )
    session.flush()


def request(**kw: object) -> StaffingRequest:
    base: dict[str, object] = {
        "role": "Data Engineer",
        "start": START,
        "end": END,
        "hours_per_week": 30.0,
        "required": (SkillNeed("Spark", 4),),
    }
    base.update(kw)
    return StaffingRequest(**base)  # type: ignore[arg-type]


def recommender(
    session: Session,
    where: Path,
    *,
    ann_threshold: int = 10_000,
    ranker: StaffingRanker | None = None,
    encoder: Encoder | None = None,
) -> StaffingRecommender:
    store = VectorStore(str(where / "lancedb"), "consultants", dim=384, ann_threshold=ann_threshold)
    index = StaffingIndex(store, encoder or HashingEncoder())
    rec = StaffingRecommender(index, ranker or StaffingRanker())
    rec.refresh(session)
    return rec


@pytest.fixture
def lance_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
