"""Reading consultants and their skills."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.tables import Consultant, ConsultantSkill, Skill


def list_consultants(
    session: Session,
    *,
    practice: str | None = None,
    region: str | None = None,
    skill: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Consultant]:
    q = select(Consultant).where(Consultant.active).order_by(Consultant.name)
    if practice:
        q = q.where(Consultant.practice == practice)
    if region:
        q = q.where(Consultant.region == region)
    if skill:
        q = q.where(
            Consultant.id.in_(
                select(ConsultantSkill.consultant_id)
                .join(Skill)
                .where(func.lower(Skill.name) == skill.lower())
            )
        )
    return list(session.scalars(q.limit(limit).offset(offset)))


def get_consultant(session: Session, consultant_id: int) -> Consultant:
    c = session.get(Consultant, consultant_id)
    if c is None:
        raise NotFound.of("consultant", consultant_id)
    return c
