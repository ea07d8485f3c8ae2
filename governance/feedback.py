"""Decisions as human feedback on the agent run that proposed: the record, written with the
decision.

Every decision (an approver's, an expiry, a policy auto-accept) writes one
``feedback_deliveries`` row in the decision's own transaction, so the feedback exists exactly
when the decision does. A worker in the app sends pending rows to the tracking store (MLflow)
later, through a ``FeedbackSink``: a decision never waits on MLflow, and an unreachable MLflow
only delays feedback. Claiming and marking rows is in ``governance.feedback_queue``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from domain.tables import Base
from domain.types import JSONType, utcnow
from governance.hashing import canonical_json
from governance.payloads import option_of
from governance.tables import Decision, Proposal
from governance.types import DecisionAction, ProposalType

# The assessment's name on the trace: one per decision, so a trace shows how it ended.
FEEDBACK_NAME = "approver_decision"
# Metadata key naming the row a feedback came from; lets a retry find an earlier success.
DELIVERY_KEY = "opscopilot.feedback_delivery_id"

PENDING, DELIVERING, DELIVERED, FAILED, NO_TRACE = (
    "pending",
    "delivering",
    "delivered",
    "failed",
    "no_trace",
)
STATUSES = (PENDING, DELIVERING, DELIVERED, FAILED, NO_TRACE)

# The value logged for each action. accept_with_edits is "edited", never "accepted": an
# approver who had to change the proposal did not accept what the model proposed.
VALUE_OF: dict[DecisionAction, str] = {
    DecisionAction.accept: "accepted",
    DecisionAction.accept_with_edits: "edited",
    DecisionAction.override: "overridden",
    DecisionAction.reject: "rejected",
    DecisionAction.expire: "expired",
}
VALUES = tuple(VALUE_OF.values())


class FeedbackDelivery(Base):
    """One decision's feedback, waiting for (or done with) delivery to the tracking store.

    pending -> delivering -> delivered | pending (retry) | failed; ``no_trace`` when the
    proposal has no trace to attach to (kept for the metrics, never sent).
    """

    __tablename__ = "feedback_deliveries"
    __table_args__ = (Index("ix_feedback_deliveries_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), unique=True)
    proposal_id: Mapped[int] = mapped_column(Integer, index=True)
    trace_id: Mapped[str | None] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(16))
    source_type: Mapped[str] = mapped_column(String(16))  # HUMAN, or CODE for the policy engine
    source_id: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column()
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(Text, default="")
    assessment_id: Mapped[str | None] = mapped_column(String(64))
    delivered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class FeedbackItem:
    """A claimed row, as a sink sends it."""

    delivery_id: int
    trace_id: str
    name: str
    value: str
    source_type: str
    source_id: str
    rationale: str
    metadata: dict[str, str] = field(default_factory=dict)
    attempts: int = 1


class FeedbackRejected(Exception):
    """The store answered but refused this item (say, its trace is not there yet).

    Sinks raise it to tell the worker the store is up: other items are worth trying. Anything
    else a sink raises counts towards an outage.
    """


@runtime_checkable
class FeedbackSink(Protocol):
    """Where feedback goes (MLflow in the app). Both methods may raise; the worker retries.

    Raise ``FeedbackRejected`` for a refusal of this one item, anything else when the store
    could not be reached.
    """

    def send(self, item: FeedbackItem) -> str:
        """Attach the feedback to ``item.trace_id``; returns the store's id for it."""
        ...

    def find(self, item: FeedbackItem) -> str | None:
        """The id of feedback an earlier attempt already stored for this row, if any."""
        ...


def edit_ratio(kind: ProposalType, original: dict[str, Any], edited: dict[str, Any]) -> float:
    """Characters changed over the longer text (0 = untouched, 1 = rewritten).

    The draft for status summaries, the canonical JSON of the payload for other types. Changed
    characters are the longer length minus the characters the two texts share in order, the
    measure ``governance.payloads.edit_size`` records for drafts.
    """
    if kind is ProposalType.send_status_summary:
        a, b = str(original.get("draft", "")), str(edited.get("draft", ""))
    else:
        a, b = canonical_json(original), canonical_json(edited)
    longest = max(len(a), len(b))
    if a == b or longest == 0:
        return 0.0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return round((longest - same) / longest, 4)


def record_feedback(session: Session, proposal: Proposal, decision: Decision) -> FeedbackDelivery:
    """Write the decision's feedback row in the caller's transaction (the decision's own)."""
    kind = ProposalType(proposal.type)
    action = DecisionAction(decision.action)
    ratio: float | None = None
    if action is DecisionAction.accept:
        ratio = 0.0
    elif action is DecisionAction.accept_with_edits and decision.edited_payload is not None:
        ratio = edit_ratio(kind, proposal.payload, decision.edited_payload)
    person = decision.decider_role != "policy"
    details: dict[str, Any] = {
        "decision_id": decision.id,
        "proposal_id": proposal.id,
        "proposal_type": kind.value,
        "action": action.value,
        "reason_code": decision.reason_code,
        "decider_role": decision.decider_role,
        "decided_at": decision.decided_at.isoformat(),
        "practice": proposal.practice,
        "model_version": proposal.model_version,
        "prompt_id": proposal.prompt_id,
        "prompt_version": proposal.prompt_version,
        "edit_chars": decision.edit_size,
        "edit_ratio": ratio,
        "proposed_option": option_of(kind, proposal.payload),
        "chosen_option": decision.choice,
        "policy_rule": decision.policy_rule,
        "run_id": proposal.run_id,
    }
    rationale = decision.reason_code + (f": {decision.note}" if decision.note else "")
    row = FeedbackDelivery(
        decision_id=decision.id,
        proposal_id=proposal.id,
        trace_id=proposal.mlflow_trace_id,
        name=FEEDBACK_NAME,
        value=VALUE_OF[action],
        source_type="HUMAN" if person else "CODE",
        source_id=decision.decided_by,
        rationale=rationale,
        details={k: v for k, v in details.items() if v is not None},
        status=PENDING if proposal.mlflow_trace_id else NO_TRACE,
        attempts=0,
        # Due at once in wall-clock time, even for a decision stamped in the future (an SLA
        # sweep run with --now).
        next_attempt_at=min(decision.decided_at, utcnow()),
        last_error="",
        created_at=decision.decided_at,
    )
    session.add(row)
    return row


def metadata_of(row: FeedbackDelivery) -> dict[str, str]:
    """The row's details as the string map a tracking store keeps beside the value."""
    meta = {k: v if isinstance(v, str) else canonical_json(v) for k, v in row.details.items()}
    meta[DELIVERY_KEY] = str(row.id)
    return meta


def backfill(session: Session, *, limit: int = 1000) -> int:
    """Write feedback rows for up to ``limit`` decisions that have none (decided before this
    table existed); returns how many. Run it again until it returns 0."""
    missing = session.execute(
        select(Proposal, Decision)
        .join(Decision, Decision.proposal_id == Proposal.id)
        .outerjoin(FeedbackDelivery, FeedbackDelivery.decision_id == Decision.id)
        .where(FeedbackDelivery.id.is_(None))
        .order_by(Decision.id)
        .limit(limit)
    ).all()
    for proposal, decision in missing:
        record_feedback(session, proposal, decision)
    session.flush()
    return len(missing)
