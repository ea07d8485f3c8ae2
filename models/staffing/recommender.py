"""From a staffing request to ranked candidates: search, hard constraints, ranking, reasons.

Vector search proposes a pool of profiles; the pool widens until enough of them pass the hard
constraints (or the whole firm has been looked at), so a rare language or a tight window never
returns fewer candidates than exist. Constraints are checked against the firm's tables, not
the index, so a stale index can cost a candidate but never break a constraint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from sqlalchemy.orm import Session

from domain.availability import Availability, availability
from domain.errors import InvalidInput, NotFound
from domain.tables import Project
from models.staffing.features import (
    SkillMatcher,
    constraint_failure,
    facts_for,
    features,
    lacks_hours,
)
from models.staffing.index import Progress, RefreshReport, StaffingIndex
from models.staffing.profiles import Profile, client_history, load_profiles
from models.staffing.ranker import StaffingRanker, explain_difference, reasons
from models.staffing.request import Candidate, Recommendation, StaffingRequest
from models.staffing.vectors import compose_profiles

MIN_POOL = 50
POOL_PER_RESULT = 5
WIDEN = 4
# Past this many profiles, a request the constraints rule almost everyone out of stops
# widening: checking 25,600 people's availability already takes about a second.
MAX_POOL = 25_600


class StaffingRecommender:
    """The loaded recommender: one per process, shared by every request."""

    def __init__(self, index: StaffingIndex, ranker: StaffingRanker) -> None:
        self.index = index
        self.ranker = ranker

    def refresh(self, session: Session, progress: Progress | None = None) -> RefreshReport:
        """Re-embed consultants changed since the index was last written."""
        return self.index.refresh(session, progress)

    def upsert(self, session: Session, consultant_ids: Sequence[int]) -> int:
        return self.index.upsert(session, consultant_ids)

    def _query(self, req: StaffingRequest) -> np.ndarray:
        return self.index.request_vector(
            role=req.role,
            required={s.name: s.min_level for s in req.required},
            nice_to_have={s.name: s.min_level for s in req.nice_to_have},
            description=req.description,
        )

    def _matcher(self, req: StaffingRequest) -> SkillMatcher:
        return SkillMatcher(s.name for s in (*req.required, *req.nice_to_have))

    def recommend(self, session: Session, req: StaffingRequest) -> Recommendation:
        """The ``req.top`` best candidates who satisfy every hard constraint."""
        req.validate()
        project = _project(session, req.project_id)
        query = self._query(req)
        k = max(MIN_POOL, POOL_PER_RESULT * req.top)
        while True:
            ids, sims = self.index.search(query, k, region=req.region)
            pool = ids.tolist()
            # Availability first, for the whole pool in two queries: it rules out most of
            # a busy firm, and only the people it leaves need their whole profile loaded.
            free = availability(session, req.start, req.end, pool)
            excluded: Counter[str] = Counter()
            free_enough: list[tuple[int, float]] = []
            for cid, sim in zip(pool, sims.tolist(), strict=True):
                if cid not in free:  # left the firm since it was indexed
                    excluded["inactive"] += 1
                elif lacks_hours(free[cid], req):
                    excluded["availability"] += 1
                else:
                    free_enough.append((cid, sim))
            profiles = load_profiles(session, [cid for cid, _ in free_enough])
            passing: list[tuple[Profile, float]] = []
            for cid, sim in free_enough:
                p = profiles.get(cid)
                if p is None:  # deactivated between the two reads
                    excluded["inactive"] += 1
                    continue
                why = constraint_failure(p, free[cid], req)
                if why:
                    excluded[why] += 1
                else:
                    passing.append((p, sim))
            if len(passing) >= req.top or len(ids) < k or k >= min(self.index.size, MAX_POOL):
                break
            k *= WIDEN
        history = (
            client_history(session, project.client_id, [p.id for p, _ in passing], req.start)
            if project is not None
            else {}
        )
        matcher = self._matcher(req)
        scored = [
            self._score(p, sim, free[p.id], req, project, history.get(p.id, 0), matcher)
            for p, sim in passing
        ]
        scored.sort(key=lambda c: (-c.score, c.consultant_id))
        return Recommendation(
            request=req,
            # Reasons are sentences for people: only the candidates returned need them.
            candidates=[self._with_reasons(c, req) for c in scored[: req.top]],
            considered=len(ids),
            excluded=dict(excluded),
            model_version=self.ranker.version,
            search_mode=self.index.store.mode,
        )

    def _score(
        self,
        p: Profile,
        similarity: float,
        avail: Availability,
        req: StaffingRequest,
        project: Project | None,
        client_projects: int,
        matcher: SkillMatcher,
    ) -> Candidate:
        """The candidate's facts, features and score, without the reasons sentence."""
        facts = facts_for(
            p,
            avail,
            req,
            similarity=similarity,
            project_rate=project.bill_rate if project else None,
            client_projects=client_projects,
            client_name=project.client.name if project else None,
            held=matcher.match(p),
        )
        feats = features(facts)
        parts = self.ranker.parts(feats)
        return Candidate(
            consultant_id=p.id,
            external_id=p.external_id,
            name=p.name,
            title=p.title,
            role_level=p.role_level,
            region=p.region,
            score=sum(parts.values()),
            parts=parts,
            features=feats,
            facts=facts,
        )

    @staticmethod
    def _with_reasons(c: Candidate, req: StaffingRequest) -> Candidate:
        return replace(c, reasons=reasons(c, f"{req.start.day} {req.start:%b}"))

    def assess(self, session: Session, req: StaffingRequest, consultant_id: int) -> Candidate:
        """Score one named consultant for ``req``, or say which hard constraint they break."""
        req.validate()
        project = _project(session, req.project_id)
        profile = load_profiles(session, [consultant_id]).get(consultant_id)
        if profile is None:
            raise NotFound.of("consultant", consultant_id)
        free = availability(session, req.start, req.end, [consultant_id])
        why = constraint_failure(profile, free.get(consultant_id), req)
        if why:
            raise InvalidInput(
                f"{profile.name} cannot be proposed for this request: fails the {why} constraint",
                extra={"consultant_id": consultant_id, "constraint": why},
            )
        _, vec = compose_profiles(self.index.bank, [profile], self.index.composition)
        similarity = float(vec[0] @ self._query(req))
        history = (
            client_history(session, project.client_id, [consultant_id], req.start)
            if project
            else {}
        )
        scored = self._score(
            profile,
            similarity,
            free[consultant_id],
            req,
            project,
            history.get(consultant_id, 0),
            self._matcher(req),
        )
        return self._with_reasons(scored, req)

    def explain(
        self, session: Session, req: StaffingRequest, a_id: int, b_id: int
    ) -> tuple[str, Candidate, Candidate]:
        """Why one of two consultants ranks above the other for ``req``, with both scored."""
        a, b = self.assess(session, req, a_id), self.assess(session, req, b_id)
        return explain_difference(a, b), a, b


def _project(session: Session, project_id: int | None) -> Project | None:
    if project_id is None:
        return None
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound.of("project", project_id)
    return project
