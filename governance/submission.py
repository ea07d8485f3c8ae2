"""Submitting a proposal: validate, route by policy, record, and auto-accept only if a rule says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.types import utcnow
from governance import audit, facts, outbox
from governance import proposals as repo
from governance.actor import Actor
from governance.context import Context
from governance.decisions import record_decision
from governance.errors import NotASubmitter
from governance.hashing import jsonable
from governance.payloads import validate_payload
from governance.schemas import ProposalCreate
from governance.tables import Decision, Proposal
from governance.types import DecisionAction, ProposalType
from governance.uow import begin_write


@dataclass(frozen=True)
class Submitted:
    proposal: Proposal
    created: bool  # False when the dedupe key matched an earlier proposal
    auto_decision: Decision | None = None


def _values(data: ProposalCreate, payload: dict[str, Any], submitted_by: str) -> dict[str, Any]:
    """The proposal's hashed content: what, with which evidence, model and prompt, for whom."""
    return {
        "type": data.type.value,
        "payload": payload,
        "evidence": data.evidence.model_dump(mode="json"),
        "model_version": data.model_version,
        "prompt_id": data.prompt_id,
        "prompt_version": data.prompt_version,
        "requested_by": (data.requested_by or submitted_by).strip().lower(),
        "thread_id": data.thread_id,
        "run_id": data.run_id,
        "mlflow_trace_id": data.mlflow_trace_id,
    }


def same_content(proposal: Proposal, data: ProposalCreate, submitted_by: str) -> bool:
    """Whether ``data`` asks for exactly what ``proposal`` holds (a replay of the same request)."""
    values = _values(data, validate_payload(data.type, data.payload), submitted_by)
    return repo.hash_of(values) == proposal.content_hash


def check_may_submit(ctx: Context, actor: Actor, kind: ProposalType) -> None:
    if not ctx.policies.may_submit(actor, kind):
        raise NotASubmitter(
            f"Role {actor.role!r} may not submit {kind.value} proposals through the API "
            "(see 'submitters' in policies.yaml)"
        )


def submit(
    session: Session,
    ctx: Context,
    data: ProposalCreate,
    *,
    submitted_by: str,
    now: datetime | None = None,
) -> Submitted:
    """Record a proposal in the queue; ``data.requested_by`` defaults to ``submitted_by``."""
    now = now or utcnow()
    begin_write(session)
    kind = data.type
    if data.dedupe_key:
        existing = repo.by_dedupe_key(session, data.dedupe_key)
        if existing is not None:
            return Submitted(existing, created=False)
    payload = validate_payload(kind, data.payload)
    known = facts.gather(session, kind, payload)
    routing = ctx.policies.route(kind, known, now, auto_accept_veto=auto_accept_veto(data))
    values = _values(data, payload, submitted_by)
    proposal = Proposal(
        **values,
        status="pending",
        version=1,
        content_hash=repo.hash_of(values),
        submitted_by=submitted_by,
        project_id=known["project_id"],
        practice=known["practice"],
        region=known["region"],
        dedupe_key=data.dedupe_key,
        assignee_group=routing.group,
        escalation_level=0,
        next_escalation_at=routing.next_escalation_at,
        due_at=routing.due_at,
        policy_rule=routing.rule_id,
        policy_trace=_jsonable_trace(routing.trace),
        created_at=now,
    )
    session.add(proposal)
    session.flush()
    summary = {
        "type": kind.value,
        "content_hash": proposal.content_hash,
        "requested_by": proposal.requested_by,
        "submitted_by": submitted_by,
        "project_id": proposal.project_id,
        "assignee_group": routing.group,
        "rule": routing.rule_id,
        "policy": routing.trace["policy"],
        "due_at": routing.due_at,
        "model_version": data.model_version,
        "prompt_version": data.prompt_version,
        "thread_id": data.thread_id,
        "run_id": data.run_id,
    }
    audit.append(
        session, actor=submitted_by, action="proposal.created", at=now,
        proposal_id=proposal.id, data=summary,
    )  # fmt: skip
    outbox.enqueue(
        session, "proposal.created", {"proposal_id": proposal.id, **summary},
        at=now, proposal_id=proposal.id,
    )  # fmt: skip
    auto = None
    if routing.auto_accept_rule:
        rule = routing.auto_accept_rule
        auto = record_decision(
            session, ctx, proposal, Actor.policy(rule), DecisionAction.accept,
            "policy_auto_accept", routing.trace["auto_accept"]["why"],
            final_payload=payload, policy_rule=rule, now=now,
        )  # fmt: skip
    return Submitted(proposal, created=True, auto_decision=auto)


def auto_accept_veto(data: ProposalCreate) -> str | None:
    """Why the producer withheld auto-accept, if it did (``evidence.auto_accept_allowed``)."""
    evidence = data.evidence.model_dump()
    if evidence.get("auto_accept_allowed", True) is not False:
        return None
    reasons = []
    if evidence.get("unsupported_claims"):
        reasons.append(
            "claims not supported by its facts: "
            + ", ".join(map(str, evidence["unsupported_claims"][:5]))
        )
    if evidence.get("suspicious_instructions"):
        reasons.append("the request contained instructions")
    return "; ".join(reasons) or "auto_accept_allowed is false"


def _jsonable_trace(trace: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = jsonable(trace)
    return result
