"""Approval-queue tables: proposals, decisions, the audit chain, the outbox, inbound events.

Proposals, decisions and audit events are records: rows are written once and only a proposal's
workflow columns (status, escalation, decided_*) change afterwards, each change guarded by a
conditional UPDATE so it happens exactly once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables import Base
from domain.types import JSONType, utcnow


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_status_due", "status", "due_at"),
        Index("ix_proposals_status_escalation", "status", "next_escalation_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(24), default="pending", index=True)
    # Bumped by every workflow change; conditional UPDATEs compare it (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=1)
    # No foreign key on purpose: a proposal is a record and must keep naming the project it was
    # about even if that project is later deleted.
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    practice: Mapped[str | None] = mapped_column(String(64), index=True)
    region: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    model_version: Mapped[str | None] = mapped_column(String(80))
    prompt_id: Mapped[str | None] = mapped_column(String(80))
    prompt_version: Mapped[str | None] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(200), index=True)
    submitted_by: Mapped[str] = mapped_column(String(200))
    thread_id: Mapped[str | None] = mapped_column(String(128))
    run_id: Mapped[str | None] = mapped_column(String(128))
    mlflow_trace_id: Mapped[str | None] = mapped_column(String(128))
    # Lets a producer submit the same proposal twice (retries, replayed events) and get one.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    assignee_group: Mapped[str] = mapped_column(String(64))
    escalated_to: Mapped[str | None] = mapped_column(String(64))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column()
    next_escalation_at: Mapped[datetime | None] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()
    policy_rule: Mapped[str] = mapped_column(String(120))
    policy_trace: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(200))


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("decided_by", "idempotency_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: one decision per proposal is also enforced by the database, not only the code.
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    action: Mapped[str] = mapped_column(String(24), index=True)
    reason_code: Mapped[str] = mapped_column(String(48))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200), index=True)
    decider_role: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposal_hash: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(80))
    prompt_version: Mapped[str | None] = mapped_column(String(80))
    edited_payload: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    choice: Mapped[Any] = mapped_column(JSONType, nullable=True)
    final_payload: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    edit_size: Mapped[int | None] = mapped_column(Integer)
    effect: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    policy_rule: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(Base):
    """One link of the hash chain: ``hash = sha256(prev_hash + canonical JSON of the content)``."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(48), index=True)
    proposal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's single head row. Locking it serialises appends on every backend."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """An outbound event, written in the same transaction as the change it reports."""

    __tablename__ = "outbox_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(64), index=True)
    proposal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set once the dispatcher has created one delivery per configured webhook endpoint.
    fanned_out_at: Mapped[datetime | None] = mapped_column(index=True)


class WebhookDelivery(Base):
    """One event to one endpoint: pending -> delivering -> delivered | pending (retry) | dead."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("outbox_id", "endpoint"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_events.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column()
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundEvent(Base):
    """A canonical event received on ``POST /v1/events``; its id makes redelivery harmless."""

    __tablename__ = "inbound_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    payload_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by: Mapped[str] = mapped_column(String(200))
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class RiskFlag(Base):
    """A risk an approver confirmed (an accepted ``flag_risk`` proposal)."""

    __tablename__ = "risk_flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    severity: Mapped[str] = mapped_column(String(16))
    probability: Mapped[float] = mapped_column(Float)
    drivers: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    mitigation: Mapped[str] = mapped_column(Text, default="")
    flagged_by: Mapped[str] = mapped_column(String(200))
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
