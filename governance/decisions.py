"""Deciding a proposal: the one use case that turns a suggestion into an action.

In one transaction: the guarded state change, the decision row, the effect, the audit event and
the outbox events. Listeners hear about it only after that transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.errors import InvalidInput, NotFound
from domain.types import utcnow
from governance import access, audit, effects, facts, feedback, outbox
from governance import proposals as repo
from governance.actor import Actor
from governance.context import Context
from governance.errors import IdempotencyKeyReused, NotAnApprover, ProposalAlreadyDecided
from governance.hashing import content_hash
from governance.listeners import DecisionNotice, notify_decisions
from governance.payloads import apply_choice, edit_size, option_of, validate_payload
from governance.reasons import check_reason
from governance.schemas import DecisionCreate
from governance.tables import Decision, Proposal
from governance.types import APPLYING, OUTCOME, DecisionAction, ProposalType
from governance.uow import begin_write, on_commit


@dataclass(frozen=True)
class DecisionOutcome:
    proposal: Proposal
    decision: Decision
    replayed: bool = False


def already_decided(session: Session, proposal_id: int) -> ProposalAlreadyDecided:
    p = repo.get(session, proposal_id)
    return ProposalAlreadyDecided.of(p.id, p.status, p.decided_by, p.decided_at)


def decide(
    session: Session,
    ctx: Context,
    proposal_id: int,
    actor: Actor,
    request: DecisionCreate,
    *,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> DecisionOutcome:
    """Decide a pending proposal as ``actor``; a repeated ``idempotency_key`` replays the first."""
    now = now or utcnow()
    begin_write(session)
    request_hash = content_hash({"proposal_id": proposal_id, **request.model_dump(mode="json")})
    if idempotency_key:
        prior = repo.decision_by_key(session, actor.email, idempotency_key)
        if prior is not None:
            if prior.proposal_id != proposal_id or prior.request_hash != request_hash:
                raise IdempotencyKeyReused(
                    f"Idempotency-Key {idempotency_key!r} was already used for a different "
                    f"decision (proposal {prior.proposal_id}); use a new key for a new decision"
                )
            return DecisionOutcome(repo.get(session, proposal_id), prior, replayed=True)

    proposal = repo.get(session, proposal_id)
    if not access.can_view(session, ctx.policies, actor, proposal):
        raise NotFound.of("proposal", proposal_id)
    if proposal.status != "pending":
        raise ProposalAlreadyDecided.of(
            proposal.id, proposal.status, proposal.decided_by, proposal.decided_at
        )
    access.check_may_decide(ctx.policies, actor, proposal)
    kind = ProposalType(proposal.type)
    action = DecisionAction(request.action)
    check_reason(kind, request.reason_code, request.note)

    final, edited, size = _final_payload(kind, proposal.payload, action, request)
    if action in APPLYING:
        _check_still_authorised(session, ctx, actor, proposal, kind, final, now)
    decision = record_decision(
        session,
        ctx,
        proposal,
        actor,
        action,
        request.reason_code,
        request.note,
        final_payload=final,
        edited_payload=edited,
        choice=option_of(kind, final) if action is DecisionAction.override and final else None,
        edit_size=size,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        now=now,
    )
    return DecisionOutcome(proposal, decision)


def _final_payload(
    kind: ProposalType, original: dict[str, Any], action: DecisionAction, request: DecisionCreate
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, int | None]:
    """(payload to apply, edited payload as stored, edit size) for the action."""
    if action is DecisionAction.accept_with_edits:
        if request.edited_payload is None:
            raise InvalidInput("accept_with_edits needs edited_payload (the whole payload)")
        edited = validate_payload(kind, request.edited_payload, field="edited_payload")
        if edited == original:
            raise InvalidInput("edited_payload is the same as the proposal; use accept")
        return edited, edited, edit_size(kind, original, edited)
    if request.edited_payload is not None:
        raise InvalidInput(f"edited_payload is only for accept_with_edits, not {action.value}")
    if action is DecisionAction.override:
        chosen = apply_choice(kind, original, request.choice)
        return chosen, None, None
    if request.choice is not None:
        raise InvalidInput(f"choice is only for override, not {action.value}")
    if action is DecisionAction.accept:
        return original, None, None
    return None, None, None  # reject: nothing is applied


def _check_still_authorised(
    session: Session,
    ctx: Context,
    actor: Actor,
    proposal: Proposal,
    kind: ProposalType,
    final: dict[str, Any] | None,
    now: datetime,
) -> None:
    # Thresholds apply to what is decided, not only to what was proposed: picking a cheaper
    # consultant's opposite (a low-margin one) must not slip past the director it would need.
    if final is None or final == proposal.payload:
        return
    routing = ctx.policies.route(kind, facts.gather(session, kind, final), now)
    needed = ctx.policies.groups[routing.group]
    current = ctx.policies.groups.get(proposal.assignee_group)
    if current is not None and needed.rank <= current.rank:
        return
    if not needed.admits(actor, proposal.practice, proposal.region):
        raise NotAnApprover(
            f"With this change the proposal needs {routing.group} ({routing.trace['why']}); "
            f"you are not in that group",
            extra={"required_groups": [routing.group]},
        )


def record_decision(
    session: Session,
    ctx: Context,
    proposal: Proposal,
    actor: Actor,
    action: DecisionAction,
    reason_code: str,
    note: str,
    *,
    final_payload: dict[str, Any] | None,
    now: datetime,
    edited_payload: dict[str, Any] | None = None,
    choice: Any = None,
    edit_size: int | None = None,
    policy_rule: str | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Decision:
    """Apply one transition with its decision row, effect, audit and outbox events.

    Raises ProposalAlreadyDecided if someone else moved the proposal first (nothing written).
    """
    status = OUTCOME[action]
    if not repo.mark_decided(session, proposal, status=status.value, by=actor.email, at=now):
        raise already_decided(session, proposal.id)
    kind = ProposalType(proposal.type)
    effect: dict[str, Any] = {}
    events: list[tuple[str, dict[str, Any]]] = []
    if action in APPLYING and final_payload is not None:
        result = effects.apply(
            effects.EffectContext(session, proposal, final_payload, actor, now, ctx.promoter)
        )
        effect, events = result.summary, result.events
    decision = Decision(
        proposal_id=proposal.id,
        action=action.value,
        reason_code=reason_code,
        note=note,
        decided_by=actor.email,
        decider_role=actor.role,
        decided_at=now,
        proposal_hash=proposal.content_hash,
        model_version=proposal.model_version,
        prompt_version=proposal.prompt_version,
        edited_payload=edited_payload,
        choice=choice,
        final_payload=final_payload if action in APPLYING else None,
        edit_size=edit_size,
        effect=effect,
        policy_rule=policy_rule,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    session.add(decision)
    session.flush()
    record = {
        "decision_id": decision.id,
        "type": kind.value,
        "action": action.value,
        "status": status.value,
        "reason_code": reason_code,
        "note": note,
        "decider_role": actor.role,
        "proposal_hash": proposal.content_hash,
        "model_version": proposal.model_version,
        "prompt_version": proposal.prompt_version,
        "features": proposal.evidence.get("features", {}),
        "proposed_option": option_of(kind, proposal.payload),
        "choice": choice,
        "edited_payload_hash": content_hash(edited_payload) if edited_payload else None,
        "edit_size": edit_size,
        "policy_rule": policy_rule,
        "effect": decision.effect,
    }
    audit.append(
        session, actor=actor.email, action=f"proposal.{status.value}", at=now,
        proposal_id=proposal.id, data=record,
    )  # fmt: skip
    outbox.enqueue(
        session, "proposal.decided", {"proposal_id": proposal.id, "decided_by": actor.email,
                                      "final_payload": decision.final_payload, **record},
        at=now, proposal_id=proposal.id,
    )  # fmt: skip
    for type_, data in events:
        outbox.enqueue(session, type_, data, at=now, proposal_id=proposal.id)
    feedback.record_feedback(session, proposal, decision)
    session.flush()
    notice = DecisionNotice(
        proposal_id=proposal.id,
        proposal_type=kind.value,
        action=action.value,
        status=status.value,
        decided_by=actor.email,
        reason_code=reason_code,
        note=note,
        final_payload=decision.final_payload,
        thread_id=proposal.thread_id,
        run_id=proposal.run_id,
        mlflow_trace_id=proposal.mlflow_trace_id,
        model_version=proposal.model_version,
        extra={"decision_id": decision.id, "effect": decision.effect},
    )
    on_commit(session, lambda: notify_decisions(ctx.decision_listeners, [notice]))
    return decision
