"""The trained models behind the agent's ports.

Each adapter maps one model's own result type onto the value types in ``agents.ports``, so
the graph never depends on a model's internals. The app builds these in its copilot loader
from whatever champions it loaded; a missing model keeps the database-only default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import cast

from sqlalchemy.orm import Session

from agents.ports import (
    Candidate,
    Classification,
    EntityMatch,
    Extraction,
    Recommendation,
    RiskAssessment,
    RiskDriver,
    Severity,
    StaffingRequest,
)
from models.classifier import RequestClassifier
from models.extraction import FirmIndexCache, extract
from models.risk import RiskService
from models.risk.service import RiskAssessment as ModelAssessment
from models.staffing import StaffingRecommender
from models.staffing.request import SkillNeed
from models.staffing.request import StaffingRequest as ModelStaffingRequest

# The classifier abstains with its own calibrated threshold; the agent only needs the label
# it would have given and whether it abstained.
_GENERAL = "general_question"


class ModelClassifier:
    """The registered request classifier."""

    def __init__(self, model: RequestClassifier) -> None:
        self.model = model

    def prepare(self, text: str) -> None:
        self.model.prepare(text)

    def classify(self, text: str) -> Classification:
        p = self.model.predict_one(text)
        return Classification(
            label=p.label or p.top_label or _GENERAL,
            confidence=float(p.confidence),
            abstained=p.abstained,
            alternatives=tuple((label, float(prob)) for label, prob in p.alternatives),
            model_version=str(getattr(self.model, "version", "") or ""),
        )


class ModelExtractor:
    """``models.extraction`` over the firm index, with dates relative to ``clock()``."""

    def __init__(self, index: FirmIndexCache, clock: Callable[[], date] = date.today) -> None:
        self.index = index
        self.clock = clock

    def extract(self, session: Session, text: str) -> Extraction:
        found = extract(text, self.index.get(session), self.clock())
        ent = found.entities
        role = found.roles[0] if found.roles else None
        project = EntityMatch(ent.project.id, ent.project.name) if ent.project else None
        client = EntityMatch(ent.client.id, ent.client.name) if ent.client else None
        if client is None and ent.project is not None:
            client = EntityMatch(ent.project.client_id, ent.project.client_name)
        return Extraction(
            project=project,
            client=client,
            project_candidates=tuple(EntityMatch(p.id, p.name) for p in ent.candidates)
            if ent.status in ("ambiguous", "client_only")
            else (),
            unknown_names=tuple(ent.unknown_mentions) if ent.status == "unknown" else (),
            people=tuple(EntityMatch(p.id, p.name) for p in found.people.people),
            people_candidates=tuple(EntityMatch(p.id, p.name) for p in found.people.candidates),
            role=role.role if role else None,
            seniority=role.seniority if role else None,
            headcount=role.count or 1 if role else 1,
            skills=tuple(found.skills),
            hours_per_week=found.hours_per_week,
            start=found.start_date,
            end=found.end_date,
            duration_weeks=found.duration_weeks,
            hours_estimate=found.estimated_hours,
        )


class ModelRecommender:
    """The staffing recommender: LanceDB profile search, hard constraints, learned ranking."""

    def __init__(self, recommender: StaffingRecommender) -> None:
        self.recommender = recommender

    def recommend(
        self, session: Session, request: StaffingRequest, *, limit: int = 5
    ) -> Recommendation:
        title = " ".join(x for x in (request.seniority, request.role) if x)
        req = ModelStaffingRequest(
            role=title or request.role,
            start=request.start,
            end=request.end if request.end > request.start else request.start + timedelta(weeks=12),
            hours_per_week=request.hours_per_week,
            required=tuple(SkillNeed(s) for s in request.skills),
            project_id=request.project_id,
            description=title,
            top=limit,
        )
        rec = self.recommender.recommend(session, req)
        return Recommendation(
            candidates=[
                Candidate(
                    consultant_id=c.consultant_id,
                    name=c.name,
                    score=round(c.score, 4),
                    score_parts={k: round(v, 4) for k, v in c.parts.items()},
                    reasons=[c.reasons] if c.reasons else [],
                    free_hours=c.facts.free_hours,
                )
                for c in rec.candidates
            ],
            model_version=rec.model_version,
            features={
                "considered": rec.considered,
                "excluded": dict(rec.excluded),
                "search_mode": rec.search_mode,
                "candidate_features": {str(c.consultant_id): c.features for c in rec.candidates},
            },
        )


class ModelRiskScorer:
    """The calibrated overrun-risk model, scored as of ``clock()``."""

    def __init__(self, service: RiskService, clock: Callable[[], date] = date.today) -> None:
        self.service = service
        self.clock = clock

    def score(self, session: Session, project_id: int) -> RiskAssessment:
        return self.score_many(session, [project_id])[0]

    def score_many(self, session: Session, project_ids: Sequence[int]) -> list[RiskAssessment]:
        """One feature read and one model call for all of ``project_ids``."""
        if not project_ids:
            return []
        return [_assessment(a) for a in self.service.assess(session, project_ids, self.clock())]


def _assessment(a: ModelAssessment) -> RiskAssessment:
    return RiskAssessment(
        project_id=a.project_id,
        probability=float(a.probability),
        # ``models.risk.severity`` names the same four bands.
        severity=cast(Severity, a.severity),
        # A driver is a group of features ("burn vs progress"): it has no single value.
        drivers=[
            RiskDriver(
                name=d.factor, value=None, contribution=float(d.effect), description=d.sentence
            )
            for d in a.drivers
        ],
        model_version=a.model_version,
        features={"as_of": a.as_of.isoformat()},
    )
