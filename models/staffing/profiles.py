"""Consultant profiles as the recommender sees them, read in bulk from the firm's tables.

Rows are read with a few set-based queries rather than through ORM relationships, so that
loading the 200 candidates of one request, or all 100,000 people of a large firm for indexing,
costs the same handful of round trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import BigInteger, bindparam, cast, func, select
from sqlalchemy.orm import Session

from domain.db import IDS, read_rows
from domain.tables import Assignment, Certification, Consultant, ConsultantSkill, Project, Skill

# Bound parameters per IN list; SQLite allows 32,766, and long lists plan badly anyway.
CHUNK = 5_000


@dataclass(frozen=True)
class SkillLevel:
    name: str
    proficiency: int  # 1 (aware) .. 5 (expert)
    years: float


@dataclass(frozen=True)
class Profile:
    """One active consultant: what matching, constraints and reasons need."""

    id: int
    external_id: str
    name: str
    role_level: str
    title: str
    practice: str
    region: str
    languages: tuple[str, ...]
    cost_rate: float
    bill_rate: float
    capacity_hours: float
    utilization_target: float
    skills: dict[str, SkillLevel] = field(default_factory=dict)  # keyed by lower-cased name
    certifications: tuple[tuple[str, date | None], ...] = ()

    def skill(self, name: str) -> SkillLevel | None:
        return self.skills.get(name.strip().lower())

    def holds_certification(self, name: str, valid_through: date) -> bool:
        """True if a certification of that name is held and not expired by ``valid_through``."""
        wanted = name.strip().lower()
        return any(
            n.lower() == wanted and (exp is None or exp >= valid_through)
            for n, exp in self.certifications
        )

    def speaks(self, language: str) -> bool:
        wanted = language.strip().lower()
        return any(lang.lower() == wanted for lang in self.languages)


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def load_profiles(
    session: Session, consultant_ids: Iterable[int] | None = None
) -> dict[int, Profile]:
    """Active consultants by id (all of them when ``consultant_ids`` is None)."""
    if consultant_ids is None:
        return _load(session, None)
    ids = sorted(set(consultant_ids))
    out: dict[int, Profile] = {}
    for part in chunks(ids):
        out.update(_load(session, part))
    return out


# Built once (a statement keeps its cache key) and run as Core (``read_rows``): a chat
# turn's staffing node reads the profiles of its whole candidate pool.
_PEOPLE = select(
    Consultant.id,
    Consultant.external_id,
    Consultant.name,
    Consultant.role_level,
    Consultant.title,
    Consultant.practice,
    Consultant.region,
    Consultant.languages,
    Consultant.cost_rate,
    Consultant.bill_rate,
    Consultant.weekly_capacity_hours,
    Consultant.utilization_target,
).where(Consultant.active)
_SKILLS = select(
    ConsultantSkill.consultant_id,
    Skill.name,
    ConsultantSkill.proficiency,
    ConsultantSkill.years,
).join(Skill, Skill.id == ConsultantSkill.skill_id)
_CERTS = select(Certification.consultant_id, Certification.name, Certification.expires_on)
_OF_IDS = (
    _PEOPLE.where(Consultant.id.in_(IDS)),
    _SKILLS.where(ConsultantSkill.consultant_id.in_(IDS)),
    _CERTS.where(Certification.consultant_id.in_(IDS)),
)


def _load(session: Session, ids: Sequence[int] | None) -> dict[int, Profile]:
    people, skills, certs = (_PEOPLE, _SKILLS, _CERTS) if ids is None else _OF_IDS
    params = {"ids": list(ids)} if ids is not None else {}

    skill_rows: dict[int, dict[str, SkillLevel]] = {}
    for cid, name, prof, years in read_rows(session, skills, params):
        skill_rows.setdefault(cid, {})[name.lower()] = SkillLevel(
            name, int(prof), float(years or 0)
        )
    cert_rows: dict[int, list[tuple[str, date | None]]] = {}
    for cid, name, expires in read_rows(session, certs, params):
        cert_rows.setdefault(cid, []).append((name, expires))

    out = {}
    for row in read_rows(session, people, params):
        cid = row[0]
        out[cid] = Profile(
            id=cid,
            external_id=row[1],
            name=row[2],
            role_level=row[3],
            title=row[4] or "",
            practice=row[5],
            region=row[6],
            languages=tuple(row[7] or ()),
            cost_rate=float(row[8]),
            bill_rate=float(row[9]),
            capacity_hours=float(row[10]),
            utilization_target=float(row[11]),
            skills=skill_rows.get(cid, {}),
            certifications=tuple(cert_rows.get(cid, ())),
        )
    return out


def profile_signatures(
    session: Session, consultant_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, str]]:
    """``{id: (signature, region)}`` for active consultants, from two aggregate queries.

    The signature changes when the consultant row changes (``updated_at``) or when a skill is
    added, removed or re-levelled: skills live in their own table, and editing them does not
    touch the consultant row, so ``updated_at`` alone would miss them.
    """
    if consultant_ids is None:
        return _signatures(session, None)
    out: dict[int, tuple[str, str]] = {}
    for part in chunks(sorted(set(consultant_ids))):
        out.update(_signatures(session, part))
    return out


def _signatures(session: Session, ids: Sequence[int] | None) -> dict[int, tuple[str, str]]:
    # A polynomial mix, not a plain sum, so that swapping two levels changes the checksum.
    sid = cast(ConsultantSkill.skill_id, BigInteger)
    prof = cast(ConsultantSkill.proficiency, BigInteger)
    years = cast(func.round(ConsultantSkill.years * 10), BigInteger)
    mix = (sid * 7919 + prof * 104729 + years) % 1_000_003 * (sid % 9973 + 1)
    skills = select(ConsultantSkill.consultant_id, func.count(), func.sum(mix)).group_by(
        ConsultantSkill.consultant_id
    )
    people = select(Consultant.id, Consultant.updated_at, Consultant.region).where(
        Consultant.active
    )
    if ids is not None:
        skills = skills.where(ConsultantSkill.consultant_id.in_(ids))
        people = people.where(Consultant.id.in_(ids))
    checks = {cid: f"{n}:{total}" for cid, n, total in session.execute(skills)}
    out = {}
    for cid, updated, region in session.execute(people):
        stamp = updated.isoformat() if updated is not None else ""
        out[cid] = (f"{stamp}|{checks.get(cid, '0:0')}", region)
    return out


_HISTORY = (
    select(Assignment.consultant_id, func.count(func.distinct(Assignment.project_id)))
    .join(Project, Project.id == Assignment.project_id)
    .where(
        Project.client_id == bindparam("client_id"),
        Assignment.consultant_id.in_(IDS),
        Assignment.start_date < bindparam("before"),
    )
    .group_by(Assignment.consultant_id)
)


def client_history(
    session: Session, client_id: int, consultant_ids: Iterable[int], before: date
) -> dict[int, int]:
    """How many of the client's projects each consultant was assigned to before ``before``."""
    out: dict[int, int] = {}
    for part in chunks(sorted(set(consultant_ids))):
        params = {"client_id": client_id, "ids": list(part), "before": before}
        out.update({cid: int(n) for cid, n in read_rows(session, _HISTORY, params)})
    return out
