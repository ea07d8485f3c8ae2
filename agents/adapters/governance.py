"""The copilot plugged into the approval queue (``governance.service.Governance``).

- ``GovernanceSink``: proposals go into the queue, routed by policy, on the caller's
  transaction; the queue's ``dedupe_key`` is the agent's idempotency key.
- ``CopilotDecisionListener``: a decision (or an expiry, or an auto-accept) resumes the run
  that proposed, which posts the outcome to the conversation.
- ``CopilotEventSubscriber``: stored inbound events start proactive runs.
- ``RecommenderCandidateSource``: governance's own event handlers (deal kick-off roles,
  resource requests) rank candidates with the agent's staffing recommender.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from agents.copilot import Copilot
from agents.ports import (
    DecisionInfo,
    ProposalReceipt,
    ProposalSubmission,
    StaffingRecommender,
    StaffingRequest,
)
from governance.listeners import DecisionNotice, EventNotice, StaffingNeed
from governance.payloads import Candidate
from governance.schemas import Evidence, ProposalCreate
from governance.service import Governance
from governance.types import ProposalType

SUBMITTED_BY = "copilot"
# Governance's own handlers already staff an approved deal from its engagement template;
# the copilot re-scores risk on these instead.
RISK_EVENTS = ("timesheet.submitted", "status.updated")


class GovernanceSink:
    """Implements ``agents.ports.ProposalSink`` with ``Governance.submit``."""

    def __init__(self, governance: Governance, *, submitted_by: str = SUBMITTED_BY) -> None:
        self.governance = governance
        self.submitted_by = submitted_by

    def submit(self, session: Session, proposal: ProposalSubmission) -> ProposalReceipt:
        """Queue the proposal as the copilot, on behalf of the person who asked."""
        evidence = dict(proposal.evidence)
        versions = proposal.versions
        links = proposal.run_links
        data = ProposalCreate(
            type=ProposalType(proposal.type),
            payload=dict(proposal.payload),
            evidence=Evidence.model_validate(
                {
                    "summary": proposal.title,
                    "sources": evidence.get("cited_fact_ids", []),
                    **evidence,
                }
            ),
            model_version=versions.get("model") or versions.get("classifier"),
            prompt_id=versions.get("prompt_id"),
            prompt_version=versions.get("prompt_version"),
            thread_id=links.get("chat_thread_id"),
            run_id=links.get("run_key"),
            mlflow_trace_id=links.get("trace_id"),
            requested_by=proposal.requester.email,
            dedupe_key=proposal.idempotency_key,
        )
        done = self.governance.submit(session, data, submitted_by=self.submitted_by)
        return ProposalReceipt(id=str(done.proposal.id), status=done.proposal.status)


class CopilotDecisionListener:
    """Implements governance's ``DecisionListener``: resume the run that proposed."""

    def __init__(self, copilot: Copilot) -> None:
        self.copilot = copilot

    def on_decision(self, notice: DecisionNotice) -> None:
        """Called after the decision commits; proposals made by others are ignored."""
        if not notice.run_id:
            return
        decision = DecisionInfo(
            proposal_id=str(notice.proposal_id),
            outcome=notice.status,  # type: ignore[arg-type]
            decided_by=notice.decided_by,
            role=str(notice.extra.get("decider_role", "")),
            reason_code=notice.reason_code,
            note=notice.note,
            edited_payload=notice.final_payload,
        )
        self.copilot.resume_after_decision(notice.run_id, decision)


class CopilotEventSubscriber:
    """Implements governance's ``EventSubscriber``: re-score risk when work is reported."""

    def __init__(self, copilot: Copilot, *, event_types: tuple[str, ...] = RISK_EVENTS) -> None:
        self.copilot = copilot
        self.event_types = event_types

    def on_event(self, notice: EventNotice) -> None:
        """Called after the event is stored; the handler's result names our project id."""
        if notice.type not in self.event_types:
            return
        payload: dict[str, Any] = {**notice.payload}
        if isinstance(notice.result.get("project_id"), int):
            payload["project_id"] = notice.result["project_id"]
        self.copilot.handle_event(notice.type, payload, event_id=notice.event_id)


class RecommenderCandidateSource:
    """Implements governance's ``CandidateSource`` with an agent ``StaffingRecommender``."""

    def __init__(self, recommender: StaffingRecommender, *, limit: int = 5) -> None:
        self.recommender = recommender
        self.limit = limit

    def candidates(self, session: Session, need: StaffingNeed) -> list[Candidate]:
        request = StaffingRequest(
            project_id=need.project_id,
            role=need.role,
            skills=need.skills,
            hours_per_week=need.hours_per_week,
            start=need.start_date,
            end=need.end_date,
        )
        rec = self.recommender.recommend(session, request, limit=self.limit)
        return [
            Candidate(
                consultant_id=c.consultant_id,
                name=c.name,
                score=c.score,
                score_parts=dict(c.score_parts),
                reasons=list(c.reasons),
            )
            for c in rec.candidates
        ]
