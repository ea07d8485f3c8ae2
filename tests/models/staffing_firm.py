"""A small hand-made firm for the staffing tests: the shared factories with the defaults
these tests read best with (people named by a key, one client per name), and a recommender
over a throw-away LanceDB index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables import Client, Consultant, Project
from models.encoder import Encoder, HashingEncoder
from models.staffing import SkillNeed, StaffingRanker, StaffingRecommender, StaffingRequest
from models.staffing.index import StaffingIndex
from models.staffing.store import VectorStore
from tests import factories

START, END = date(2027, 3, 1), date(2027, 6, 30)


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
    """A consultant whose external id is ``key`` and whose name is ``key`` in title case."""
    return factories.consultant(
        session,
        key.replace("-", " ").title(),
        skills,
        list(certs),
        external_id=key,
        email=f"{key}@example.com",
        title=title,
        practice=practice,
        region=region,
        languages=list(languages),
        cost_rate=cost,
        bill_rate=bill,
        weekly_capacity_hours=capacity,
        utilization_target=target,
    )


def project(
    session: Session, client: str, *, bill_rate: float = 200.0, key: str | None = None
) -> Project:
    """A time-and-materials project running through 2027 for the client named ``client``."""
    cl = session.scalar(select(Client).where(Client.name == client))
    if cl is None:
        cl = factories.client(session, client, external_id=f"CL-{client}")
    return factories.project(
        session,
        f"{client} platform",
        cl,
        external_id=key or f"PR-{client}-{bill_rate}",
        contract_type="time_and_materials",
        budget_amount=200_000,
        bill_rate=bill_rate,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
    )


def assign(
    session: Session, c: Consultant, p: Project, hours: float, start: date, end: date
) -> None:
    factories.assignment(session, p, c, hours, start, end, role="Engineer")


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
