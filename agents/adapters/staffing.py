"""Rank consultants for a staffing request by skills, free hours, seniority and margin.

A transparent baseline until the trained recommender is wired: every score is a weighted sum
of parts a resource manager can check, and each part comes with a reason in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.ports import Candidate, Recommendation, StaffingRequest
from domain.availability import availability
from domain.tables import Consultant, ConsultantSkill, Project, Skill
from domain.types import RoleLevel

MODEL_VERSION = "skill-match-1"
WEIGHTS = {"skills": 0.45, "availability": 0.25, "seniority": 0.15, "role": 0.05, "margin": 0.10}
_LEVELS = list(RoleLevel)
# The role levels a seniority word asks for, best first.
_SENIORITY = {
    "junior": [RoleLevel.analyst, RoleLevel.consultant],
    "mid": [RoleLevel.consultant, RoleLevel.senior_consultant],
    "senior": [RoleLevel.senior_consultant, RoleLevel.manager],
    "lead": [RoleLevel.manager, RoleLevel.senior_consultant, RoleLevel.senior_manager],
    "principal": [RoleLevel.senior_manager, RoleLevel.director],
    "staff": [RoleLevel.senior_manager, RoleLevel.manager],
}


class SkillMatchRecommender:
    """Implements ``agents.ports.StaffingRecommender`` with a weighted, explainable score."""

    def recommend(
        self, session: Session, request: StaffingRequest, *, limit: int = 5
    ) -> Recommendation:
        """The ``limit`` best candidates who have a requested skill and some free hours."""
        people = _candidates(session, request.skills)
        # Hours already booked on this same project count: a new role needs new hours.
        free = availability(session, request.start, request.end, [c.id for c in people])
        project = session.get(Project, request.project_id) if request.project_id else None
        ranked = []
        for c in people:
            a = free.get(c.id)
            if a is None or a.free_hours <= 0:
                continue
            ranked.append(_score(c, a.free_hours, request, project))
        ranked.sort(key=lambda cand: (-cand.score, cand.name))
        return Recommendation(
            candidates=ranked[:limit],
            model_version=MODEL_VERSION,
            features={"weights": WEIGHTS, "considered": len(people), "available": len(ranked)},
        )


def _candidates(session: Session, skills: Sequence[str]) -> list[Consultant]:
    q = select(Consultant).where(Consultant.active)
    if skills:
        wanted = [s.lower() for s in skills]
        q = q.where(
            Consultant.id.in_(
                select(ConsultantSkill.consultant_id)
                .join(Skill)
                .where(func.lower(Skill.name).in_(wanted))
            )
        )
    return list(session.scalars(q))


def _score(
    c: Consultant, free_hours: float, request: StaffingRequest, project: Project | None
) -> Candidate:
    have = {s.skill.name.lower(): s for s in c.skills}
    reasons: list[str] = []
    if request.skills:
        levels = [have[s.lower()].proficiency if s.lower() in have else 0 for s in request.skills]
        skill_fit = sum(levels) / (5 * len(levels))
        reasons.append(
            ", ".join(f"{s} {lv}/5" for s, lv in zip(request.skills, levels, strict=True))
        )
    else:
        skill_fit = 0.5  # nothing asked for: neither a plus nor a minus
    avail = min(1.0, free_hours / request.hours_per_week) if request.hours_per_week else 1.0
    reasons.append(f"{free_hours:g} h/week free in the window")
    seniority = _seniority_fit(c.role_level, request.seniority)
    reasons.append(c.role_level.replace("_", " "))
    role = 1.0 if request.role and request.role.lower() in (c.title or "").lower() else 0.5
    bill = project.bill_rate if project else c.bill_rate
    margin = (bill - c.cost_rate) / bill if bill else 0.0
    reasons.append(f"margin {margin:.0%} at {bill:g}/h")
    parts = {
        "skills": round(skill_fit, 3),
        "availability": round(avail, 3),
        "seniority": round(seniority, 3),
        "role": role,
        "margin": round(margin, 3),
    }
    score = sum(WEIGHTS[k] * max(0.0, min(1.0, v)) for k, v in parts.items())
    return Candidate(
        consultant_id=c.id,
        name=c.name,
        score=round(score, 4),
        score_parts=parts,
        reasons=reasons,
        free_hours=free_hours,
    )


def _seniority_fit(level: str, wanted: str | None) -> float:
    targets = _SENIORITY.get(wanted or "")
    if not targets or level not in _LEVELS:
        return 0.5
    if level == targets[0]:
        return 1.0
    if level in targets:
        return 0.8
    gap = min(abs(_LEVELS.index(RoleLevel(level)) - _LEVELS.index(t)) for t in targets)
    return max(0.0, 1.0 - 0.3 * gap)
