"""Read models: proposals as the API and the agent see them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from governance import access, audit
from governance import proposals as repo
from governance.actor import Actor
from governance.policies import Policies
from governance.reasons import REASONS
from governance.schemas import AuditEventRead, DecisionRead, ProposalDetail, ProposalRead
from governance.tables import Proposal
from governance.types import ProposalType


def proposal_read(p: Proposal, now: datetime) -> ProposalRead:
    read = ProposalRead.model_validate(p)
    read.overdue = p.status == "pending" and p.due_at < now
    return read


def proposal_detail(
    session: Session, policies: Policies, actor: Actor, p: Proposal, now: datetime
) -> ProposalDetail:
    decision = repo.decision_for(session, p.id)
    if p.status == "pending":
        can, why = access.decide_check(policies, actor, p)
    else:
        can, why = False, f"already {p.status}"
    return ProposalDetail(
        **proposal_read(p, now).model_dump(),
        evidence=p.evidence,
        policy_trace=p.policy_trace,
        content_intact=repo.content_intact(p),
        decision=DecisionRead.model_validate(decision) if decision else None,
        audit=[AuditEventRead.model_validate(e) for e in audit.history(session, p.id)],
        can_decide=can,
        can_decide_reason=why,
        allowed_reason_codes=REASONS[ProposalType(p.type)],
    )
