"""The approval queue as one object: configuration, collaborators and use cases.

The app builds one at start-up (``Governance.load``) and plugs in what it has: a staffing
recommender as ``CandidateSource``, the model registry as ``ModelPromoter``, the agent as a
``DecisionListener`` and ``EventSubscriber``. The agent calls these methods directly with its
own session; the API calls them with the request's session.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.types import utcnow
from governance import access, decisions, events, metrics, sla, submission, views
from governance import proposals as repo
from governance.actor import Actor
from governance.context import Context
from governance.errors import IdempotencyKeyReused
from governance.event_schemas import EventIn
from governance.listeners import CandidateSource, DecisionListener, EventSubscriber, ModelPromoter
from governance.policies import DEFAULT_POLICY_PATH, load_policies
from governance.schemas import (
    DecisionCreate,
    DecisionRead,
    DecisionResult,
    ProposalCreate,
    ProposalDetail,
    ProposalFilters,
    ProposalPage,
)
from governance.templates import DEFAULT_TEMPLATE_PATH, load_templates


class Governance:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @classmethod
    def load(
        cls,
        *,
        policy_path: Path = DEFAULT_POLICY_PATH,
        template_path: Path = DEFAULT_TEMPLATE_PATH,
        candidate_source: CandidateSource | None = None,
        promoter: ModelPromoter | None = None,
    ) -> Governance:
        """Read and validate the policy and template files (raises ConfigFileError)."""
        ctx = Context(policies=load_policies(policy_path), templates=load_templates(template_path))
        if candidate_source is not None:
            ctx.candidate_source = candidate_source
        if promoter is not None:
            ctx.promoter = promoter
        return cls(ctx)

    # -- plugging in -------------------------------------------------------------------------
    def add_decision_listener(self, listener: DecisionListener) -> None:
        self.ctx.decision_listeners.append(listener)

    def add_event_subscriber(self, subscriber: EventSubscriber) -> None:
        self.ctx.event_subscribers.append(subscriber)

    def set_candidate_source(self, source: CandidateSource) -> None:
        self.ctx.candidate_source = source

    def set_promoter(self, promoter: ModelPromoter) -> None:
        self.ctx.promoter = promoter

    # -- proposals ---------------------------------------------------------------------------
    def submit(
        self, session: Session, data: ProposalCreate, *, submitted_by: str,
        now: datetime | None = None,
    ) -> submission.Submitted:  # fmt: skip
        """Submit as a trusted producer (the agent, an event handler): no role check."""
        return submission.submit(session, self.ctx, data, submitted_by=submitted_by, now=now)

    def submit_as(
        self, session: Session, data: ProposalCreate, actor: Actor, *, now: datetime | None = None
    ) -> ProposalDetail:
        """Submit as a signed-in person, if the policy's ``submitters`` allow their role.

        Sending the same request again with its ``dedupe_key`` returns the first proposal; the
        key with other content is refused (the copilot's own retries go through ``submit``,
        which keeps the first proposal whatever a rerun drafted).
        """
        submission.check_may_submit(self.ctx, actor, data.type)
        result = self.submit(session, data, submitted_by=actor.email, now=now)
        if not result.created and not submission.same_content(result.proposal, data, actor.email):
            raise IdempotencyKeyReused(
                f"dedupe_key {data.dedupe_key!r} was already used for a different proposal "
                f"({result.proposal.id}); use a new key for a new proposal"
            )
        return views.proposal_detail(
            session, self.ctx.policies, actor, result.proposal, now or utcnow()
        )

    def decide(
        self,
        session: Session,
        proposal_id: int,
        actor: Actor,
        request: DecisionCreate,
        *,
        idempotency_key: str | None = None,
        now: datetime | None = None,
    ) -> DecisionResult:
        """Accept, edit, override or reject; see ``governance.decisions.decide``."""
        outcome = decisions.decide(
            session, self.ctx, proposal_id, actor, request,
            idempotency_key=idempotency_key, now=now,
        )  # fmt: skip
        return DecisionResult(
            proposal=views.proposal_read(outcome.proposal, now or utcnow()),
            decision=DecisionRead.model_validate(outcome.decision),
            replayed=outcome.replayed,
        )

    def get(
        self, session: Session, proposal_id: int, actor: Actor, *, now: datetime | None = None
    ) -> ProposalDetail:
        """One proposal with evidence, policy trace, decision and audit history (404 if hidden)."""
        p = repo.get(session, proposal_id)
        if not access.can_view(session, self.ctx.policies, actor, p):
            raise NotFound.of("proposal", proposal_id)
        return views.proposal_detail(session, self.ctx.policies, actor, p, now or utcnow())

    def list_proposals(
        self,
        session: Session,
        actor: Actor,
        filters: ProposalFilters,
        *,
        cursor: str | None = None,
        limit: int = 50,
        now: datetime | None = None,
    ) -> ProposalPage:
        now = now or utcnow()
        rows, next_cursor = repo.list_page(
            session, self.ctx.policies, actor, filters, now=now, cursor=cursor, limit=limit
        )
        return ProposalPage(
            items=[views.proposal_read(p, now) for p in rows], next_cursor=next_cursor
        )

    # -- SLA ---------------------------------------------------------------------------------
    def sweep(self, session: Session, now: datetime | None = None) -> sla.SweepReport:
        """Escalate what is due a step, then expire what is past due."""
        return sla.sweep(session, self.ctx, now or utcnow())

    def expire_overdue(self, session: Session, now: datetime | None = None) -> list[int]:
        return sla.expire_overdue(session, self.ctx, now or utcnow())

    def escalate_due(self, session: Session, now: datetime | None = None) -> list[int]:
        return sla.escalate_due(session, self.ctx, now or utcnow())

    # -- inbound events ----------------------------------------------------------------------
    def ingest_event(
        self,
        session: Session,
        event: EventIn,
        *,
        received_by: str,
        idempotency_key: str | None = None,
        now: datetime | None = None,
    ) -> events.Ingested:
        """Validate, apply and store one canonical event; subscribers hear after commit."""
        return events.ingest(
            session, self.ctx, event, received_by=received_by,
            idempotency_key=idempotency_key, now=now,
        )  # fmt: skip

    # -- metrics -----------------------------------------------------------------------------
    def queue_metrics(
        self,
        session: Session,
        actor: Actor,
        *,
        since: datetime | None = None,
        now: datetime | None = None,
    ) -> metrics.QueueMetrics:
        """Backlog, cycle time, SLA adherence and outcome rates (last 30 days by default).

        Admins and data scientists see the whole firm; everyone else what they may see.
        """
        now = now or utcnow()
        firm_wide = actor.role in ("admin", "data_scientist")
        scope = access.visible_sql(self.ctx.policies, Actor("*", "admin") if firm_wide else actor)
        return metrics.queue_metrics(
            session, scope=scope, since=since or now - timedelta(days=30), now=now
        )
