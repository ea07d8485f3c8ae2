"""The approval queue, wired to what the service has loaded.

Plugs the staffing recommender in as the queue's candidate source (so a ``deal.approved``
event's staffing proposals arrive with ranked candidates) and runs the outbox dispatcher in a
background thread when webhooks are configured.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from app.runtime import Runtime
from app.services import Services
from governance.dispatcher import Dispatcher
from governance.listeners import StaffingNeed
from governance.payloads import Candidate
from governance.service import Governance
from models.staffing import StaffingRecommender
from models.staffing.request import SkillNeed, StaffingRequest

log = logging.getLogger(__name__)


class RecommenderCandidates:
    """Adapts the staffing recommender to the queue's ``CandidateSource``."""

    def __init__(self, recommender: StaffingRecommender, top: int = 5) -> None:
        self.recommender = recommender
        self.top = top

    def candidates(self, session: Session, need: StaffingNeed) -> list[Candidate]:
        req = StaffingRequest(
            role=need.role,
            start=need.start_date,
            end=need.end_date,
            hours_per_week=need.hours_per_week,
            required=tuple(SkillNeed(s) for s in need.skills),
            project_id=need.project_id,
            description=need.role,
            top=self.top,
        )
        rec = self.recommender.recommend(session, req)
        return [
            Candidate(
                consultant_id=c.consultant_id,
                name=c.name,
                score=round(c.score, 4),
                score_parts={k: round(v, 4) for k, v in c.parts.items()},
                reasons=[c.reasons] if c.reasons else [],
            )
            for c in rec.candidates
        ]


def load(runtime: Runtime, services: Services) -> None:
    if "governance" in services.extras:
        return
    governance = Governance.load()
    recommender: Any = services.extras.get("staffing")
    if recommender is not None:
        governance.set_candidate_source(RecommenderCandidates(recommender))
    services.extras["governance"] = governance
    settings = runtime.settings
    if settings.webhook_urls:
        dispatcher = Dispatcher(
            runtime.sessions, settings.webhook_urls, settings.webhook_secret.get_secret_value()
        )
        dispatcher.start_thread(poll_seconds=1.0)
        services.extras["dispatcher"] = dispatcher  # close_services stops the thread
        log.info("outbox dispatcher running for %d webhook(s)", len(settings.webhook_urls))
