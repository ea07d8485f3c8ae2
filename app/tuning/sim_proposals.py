"""Proposals for the simulation, made straight from the loaded models (no chat agent).

Each drafter returns the proposal as the copilot would submit it, with the decision the
simulated approver makes about it (``sim_approvers``); the approver's reasons stay out of
the proposal.

- staffing: a role on a live project, asked with the skills of someone already in that role;
- risk: a project scored on a Monday of its life, flagged as the served model would flag it;
- routing: an inbox message written from the demo firm's request templates.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.requests import CONTACTS, TEMPLATES
from app.tuning.sim_approvers import RiskApprover, RoutingApprover, ShownCandidate, StaffingApprover
from domain.tables import Assignment, Milestone, Project
from governance.schemas import DecisionCreate, Evidence, ProposalCreate
from governance.types import ProposalType
from models.classifier import RequestClassifier
from models.risk import RiskService, compute_features, severity
from models.staffing import SkillNeed, StaffingRecommender, StaffingRequest
from models.staffing.profiles import load_profiles
from models.tuning.risk_policy import policy_of

LIVE = ("active", "planned")
FALLBACK_REQUESTER = "dana.dm@opscopilot-demo.com"


@dataclass(frozen=True)
class Drafted:
    proposal: ProposalCreate
    decision: DecisionCreate


def _requester(project: Project) -> str:
    return project.delivery_manager_email or FALLBACK_REQUESTER


class StaffingDrafts:
    """Staffing requests for roles on the firm's live projects."""

    def __init__(self, session: Session, today: date, approver: StaffingApprover) -> None:
        self.today = today
        self.approver = approver
        self.projects = list(
            session.scalars(select(Project).where(Project.status.in_(LIVE)).order_by(Project.id))
        )
        roles: dict[int, list[tuple[str, int]]] = defaultdict(list)
        ids = [p.id for p in self.projects]
        for pid, role, cid in session.execute(
            select(Assignment.project_id, Assignment.role, Assignment.consultant_id)
            .where(Assignment.project_id.in_(ids))
            .order_by(Assignment.id)
        ):
            roles[pid].append((role, cid))
        self.roles = roles
        self.profiles = load_profiles(session)

    def _request(self, rng: random.Random) -> tuple[Project, StaffingRequest]:
        while True:
            project = rng.choice(self.projects)
            if not self.roles[project.id]:
                continue
            role, cid = rng.choice(self.roles[project.id])
            profile = self.profiles.get(cid)
            if profile is None or not profile.skills:
                continue
            top = sorted(profile.skills.values(), key=lambda s: (-s.proficiency, s.name))[:2]
            start = self.today + timedelta(weeks=rng.randint(1, 8))
            return project, StaffingRequest(
                role=role,
                start=start,
                end=start + timedelta(weeks=rng.randint(8, 16)) - timedelta(days=1),
                hours_per_week=float(rng.choice((16, 20, 24, 32, 40))),
                required=tuple(SkillNeed(s.name, min(s.proficiency, 4)) for s in top),
                project_id=project.id,
                top=5,
            )

    def draft(
        self, session: Session, recommender: StaffingRecommender, rng: random.Random
    ) -> Drafted | None:
        """One ``assign_staff`` proposal, or None when fewer than two people are free."""
        project, req = self._request(rng)
        rec = recommender.recommend(session, req)
        if len(rec.candidates) < 2:
            return None
        shown = [ShownCandidate(c.consultant_id, c.features, c.region) for c in rec.candidates]
        payload = {
            "project_id": project.id,
            "role": req.role[:80],
            "hours_per_week": req.hours_per_week,
            "start_date": req.start.isoformat(),
            "end_date": req.end.isoformat(),
            "candidates": [
                {
                    "consultant_id": c.consultant_id,
                    "name": c.name,
                    "score": round(c.score, 4),
                    "score_parts": {k: round(v, 4) for k, v in c.parts.items()},
                    "reasons": [c.reasons] if c.reasons else [],
                }
                for c in rec.candidates
            ],
        }
        # The same place the copilot keeps the recommender's part values.
        evidence = Evidence.model_validate(
            {
                "summary": f"{req.role} for {project.name}",
                "model_features": {
                    "candidate_features": {str(c.consultant_id): c.features for c in rec.candidates}
                },
            }
        )
        proposal = ProposalCreate(
            type=ProposalType.assign_staff,
            payload=payload,
            evidence=evidence,
            model_version=rec.model_version,
            requested_by=_requester(project),
        )
        return Drafted(proposal, self.approver.decide(shown, project.region))


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


class RiskDrafts:
    """Projects scored on Mondays of their lives, each (project, day) used at most once."""

    def __init__(
        self, session: Session, today: date, approver: RiskApprover, rng: random.Random
    ) -> None:
        self.approver = approver
        pairs = []
        self.requesters: dict[int, str] = {}
        for p in session.scalars(select(Project).order_by(Project.id)):
            self.requesters[p.id] = _requester(p)
            last = min(p.closed_on or today, today)
            # Mondays from the third week on: before that there is hardly anything to read.
            day = p.start_date + timedelta(days=14 + (7 - p.start_date.weekday()) % 7)
            while day <= last:
                pairs.append((p.id, day))
                day += timedelta(weeks=1)
        rng.shuffle(pairs)
        self.pairs = pairs
        self.used = 0

    @property
    def exhausted(self) -> bool:
        return self.used >= len(self.pairs)

    def batch(
        self, session: Session, service: RiskService, limit: int, size: int = 300
    ) -> tuple[list[Drafted], int]:
        """Up to ``limit`` proposals for flagged (project, day) pairs among the next ``size``,
        and how many pairs were scored to find them (the rest stay for later)."""
        start = self.used
        chunk = self.pairs[start : start + size]
        snaps = compute_features(session, chunk)  # every project exists: same order as chunk
        model = service.model
        rows = [s.features for s in snaps]
        flags = policy_of(model, service.flag_threshold).flags(rows, model.predict(rows))
        picked = [i for i in range(len(snaps)) if flags[i]][:limit]
        scored = picked[-1] + 1 if picked and len(picked) == limit else len(chunk)
        self.used = start + scored
        if not picked:
            return [], scored
        probs, drivers = model.explain(
            [rows[i] for i in picked], [snaps[i].context for i in picked], top=4
        )
        out = []
        for i, prob, ds in zip(picked, probs, drivers, strict=True):
            snap = snaps[i]
            features = {k: _clean(v) for k, v in snap.features.items()}
            proposal = ProposalCreate(
                type=ProposalType.flag_risk,
                payload={
                    "project_id": snap.project_id,
                    "probability": round(float(prob), 4),
                    "severity": severity(float(prob), service.bands),
                    "drivers": [
                        {"feature": d.factor, "contribution": d.effect, "description": d.sentence}
                        for d in ds
                    ],
                    "mitigation": "",
                },
                evidence=Evidence(
                    summary=f"overrun probability {float(prob):.0%} on {snap.as_of}",
                    features={**features, "as_of": snap.as_of.isoformat()},
                ),
                model_version=service.version,
                requested_by=self.requesters.get(snap.project_id, FALLBACK_REQUESTER),
            )
            out.append(Drafted(proposal, self.approver.decide(snap.features)))
        return out, scored


class RoutingDrafts:
    """Inbox messages from the demo's request templates, filled with the firm's names."""

    def __init__(self, session: Session, today: date, approver: RoutingApprover) -> None:
        self.today = today
        self.approver = approver
        projects = list(session.scalars(select(Project).where(Project.status.in_(LIVE))))
        self.projects = [(p.name, p.client.name) for p in projects]
        milestones = session.scalars(
            select(Milestone.name).where(Milestone.project_id.in_([p.id for p in projects]))
        )
        self.milestones = sorted(set(milestones)) or ["Go-live"]
        profiles = load_profiles(session)
        self.people = sorted(p.name for p in profiles.values())
        self.skills = sorted({s.name for p in profiles.values() for s in p.skills.values()})
        self.roles = sorted(set(session.scalars(select(Assignment.role)))) or ["Consultant"]

    def _text(self, rng: random.Random) -> tuple[str, str]:
        category, _, _, subject, body = rng.choice(TEMPLATES)
        project, client = rng.choice(self.projects)
        person = rng.choice(self.people)
        when = self.today + timedelta(days=rng.randint(7, 35))
        values = {
            "project": project,
            "client": client,
            "role": rng.choice(self.roles),
            "skill": rng.choice(self.skills),
            "first": person.split()[0],
            "person": person,
            "pm": rng.choice(self.people).split()[0],
            "contact": rng.choice(CONTACTS),
            "hours": rng.choice((16, 20, 24, 32, 40)),
            "weeks": rng.choice((4, 6, 8, 12)),
            "date": when.strftime("%d %B").lstrip("0"),
            "month": when.strftime("%B"),
            "milestone": rng.choice(self.milestones),
            "invoice": f"INV-{rng.randint(24000, 29999)}",
        }
        text = "\n".join(x for x in (subject.format(**values), body.format(**values)) if x)
        return text, category.value

    def batch(
        self, classifier: RequestClassifier, rng: random.Random, size: int = 50
    ) -> list[Drafted]:
        """``size`` ``route_request`` proposals, predicted in one batch."""
        drawn = [self._text(rng) for _ in range(size)]
        predictions = classifier.predict([t for t, _ in drawn])
        out = []
        for (text, truth), pred in zip(drawn, predictions, strict=True):
            proposal = ProposalCreate(
                type=ProposalType.route_request,
                payload={
                    "text": text,
                    "predicted_category": pred.top_label,
                    "confidence": round(pred.confidence, 4),
                    "alternatives": [
                        {"category": label, "confidence": round(prob, 4)}
                        for label, prob in pred.alternatives[1:3]
                    ],
                },
                evidence=Evidence(summary="inbox message", inputs={"abstained": pred.abstained}),
                model_version=str(classifier.version),
                requested_by=FALLBACK_REQUESTER,
            )
            out.append(Drafted(proposal, self.approver.decide(pred.top_label, truth)))
        return out
