"""A burn-rate heuristic for overrun risk, until the trained risk model is wired.

It compares hours burned with progress made and time elapsed, and adds the last reported RAG
and open change requests. The weights are set by hand, not learned; the drivers it returns
say in words why a project scores as it does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.facts import fraction
from agents.ports import RiskAssessment, RiskDriver, Severity
from domain.repositories.projects import burned_hours, get_project
from domain.tables import ChangeRequest, StatusNote
from models.risk import severity

MODEL_VERSION = "burn-heuristic-1"
_RAG = {"green": 0.0, "amber": 0.6, "red": 1.4}


class BurnRateRiskScorer:
    """Implements ``agents.ports.RiskScorer`` with a hand-weighted logistic score."""

    def __init__(
        self,
        *,
        clock: Callable[[], date] = date.today,
        bands: tuple[float, float, float] = (0.3, 0.5, 0.7),
    ) -> None:
        self.clock = clock
        self.bands = bands

    def score_many(self, session: Session, project_ids: Sequence[int]) -> list[RiskAssessment]:
        """A few small reads per project: this scorer has no batch to gain from."""
        return [self.score(session, pid) for pid in project_ids]

    def score(self, session: Session, project_id: int) -> RiskAssessment:
        """Overrun probability of the project as of the clock's today, with its drivers."""
        p = get_project(session, project_id)
        today = self.clock()
        burned = burned_hours(session, [p.id], as_of=today).get(p.id, 0.0)
        burn = burned / p.budget_hours if p.budget_hours else 0.0
        note = session.scalars(
            select(StatusNote)
            .where(StatusNote.project_id == p.id, StatusNote.note_date <= today)
            .order_by(StatusNote.note_date.desc(), StatusNote.id.desc())
            .limit(1)
        ).first()
        progress = fraction(p.percent_complete)
        span = (p.end_date - p.start_date).days or 1
        elapsed = max(0.0, min(1.0, (today - p.start_date).days / span))
        open_cr = session.scalar(
            select(func.coalesce(func.sum(ChangeRequest.hours), 0.0)).where(
                ChangeRequest.project_id == p.id, ChangeRequest.status == "proposed"
            )
        )
        cr_share = float(open_cr or 0.0) / p.budget_hours if p.budget_hours else 0.0
        rag = note.rag if note else "green"
        terms = {
            "burn_ahead_of_progress": (4.0 * (burn - progress), burn - progress),
            "schedule_ahead_of_progress": (1.5 * max(0.0, elapsed - progress), elapsed - progress),
            "reported_rag": (_RAG.get(rag, 0.0), _RAG.get(rag, 0.0)),
            "open_change_requests": (2.0 * cr_share, cr_share),
        }
        z = -2.0 + sum(t for t, _ in terms.values())
        probability = round(1 / (1 + math.exp(-z)), 4)
        return RiskAssessment(
            project_id=p.id,
            probability=probability,
            severity=cast(Severity, severity(probability, self.bands)),
            drivers=_drivers(terms, burn, progress, elapsed, rag, cr_share),
            model_version=MODEL_VERSION,
            features={
                "burn": round(burn, 4),
                "progress": round(progress, 4),
                "elapsed": round(elapsed, 4),
                "rag": rag,
                "open_cr_share": round(cr_share, 4),
                "hours_burned": round(burned, 2),
            },
        )


def _drivers(
    terms: dict[str, tuple[float, float]],
    burn: float,
    progress: float,
    elapsed: float,
    rag: str,
    cr_share: float,
) -> list[RiskDriver]:
    words = {
        "burn_ahead_of_progress": f"{burn:.0%} of budget hours burned at {progress:.0%} complete",
        "schedule_ahead_of_progress": f"{elapsed:.0%} of the schedule elapsed at {progress:.0%} complete",
        "reported_rag": f"last status reported {rag}",
        "open_change_requests": f"open change requests worth {cr_share:.0%} of the budget",
    }
    positive = {k: max(0.0, t) for k, (t, _) in terms.items()}
    total = sum(positive.values()) or 1.0
    drivers = [
        RiskDriver(
            name=k,
            value=round(terms[k][1], 4),
            contribution=round(v / total, 3),
            description=words[k],
        )
        for k, v in positive.items()
        if v > 0
    ]
    return sorted(drivers, key=lambda d: -d.contribution)
