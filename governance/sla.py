"""SLA sweeps: escalate what is overdue for a step, expire what nobody decided in time.

Expiry is the safe default: an expired proposal never takes effect. Both sweeps use the same
guarded updates as a decision, so a person deciding at the same moment either wins or loses
cleanly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from governance import audit, outbox
from governance import proposals as repo
from governance.actor import Actor
from governance.context import Context
from governance.decisions import record_decision
from governance.errors import ProposalAlreadyDecided
from governance.types import DecisionAction, ProposalType
from governance.uow import begin_write


@dataclass
class SweepReport:
    escalated: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)


def escalate_due(session: Session, ctx: Context, now: datetime) -> list[int]:
    """Move each proposal past its next escalation time one level up; returns their ids."""
    begin_write(session)
    done = []
    for p in repo.due_for_escalation(session, now):
        kind = ProposalType(p.type)
        level = p.escalation_level + 1
        step = ctx.policies.escalation(kind, level)
        if step is None:  # the policy changed and has no such step any more
            repo.mark_escalated(session, p, level=p.escalation_level, group=None, at=None,
                                next_at=None)  # fmt: skip
            continue
        following = ctx.policies.escalation(kind, level + 1)
        next_at = p.created_at + timedelta(hours=following.after_hours) if following else None
        if not repo.mark_escalated(session, p, level=level, group=step.to, at=now, next_at=next_at):
            continue  # decided or changed meanwhile
        rule = f"sla.{kind.value}"
        data = {"level": level, "escalated_to": step.to, "after_hours": step.after_hours,
                "assignee_group": p.assignee_group, "due_at": p.due_at}  # fmt: skip
        audit.append(session, actor=Actor.policy(rule).email, action="proposal.escalated",
                     at=now, proposal_id=p.id, data=data)  # fmt: skip
        outbox.enqueue(session, "proposal.escalated", {"proposal_id": p.id, **data}, at=now,
                       proposal_id=p.id)  # fmt: skip
        done.append(p.id)
    return done


def expire_overdue(session: Session, ctx: Context, now: datetime) -> list[int]:
    """Expire every pending proposal past its due time; nothing is applied. Returns their ids."""
    begin_write(session)
    done = []
    for p in repo.due_for_expiry(session, now):
        rule = f"sla.{p.type}"
        hours = math.ceil((p.due_at - p.created_at).total_seconds() / 3600)
        try:
            record_decision(
                session, ctx, p, Actor.policy(rule), DecisionAction.expire, "sla_expired",
                f"No decision within {hours} h; expired without effect",
                final_payload=None, policy_rule=rule, now=now,
            )  # fmt: skip
        except ProposalAlreadyDecided:
            continue
        done.append(p.id)
    return done


def sweep(session: Session, ctx: Context, now: datetime) -> SweepReport:
    """Escalate, then expire: what the CLI and a periodic job run."""
    return SweepReport(escalate_due(session, ctx, now), expire_overdue(session, ctx, now))
