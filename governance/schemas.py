"""What goes into and comes out of the approval queue (API and Python service alike)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from governance.types import ProposalType


class Evidence(BaseModel):
    """What the model saw and why it proposed; extra keys are kept as given."""

    model_config = ConfigDict(extra="allow")
    summary: str = ""
    features: dict[str, Any] = {}  # the feature snapshot the model scored
    inputs: dict[str, Any] = {}
    sources: list[str] = []


class ProposalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: ProposalType
    payload: dict[str, Any]
    evidence: Evidence = Evidence()
    model_version: str | None = Field(default=None, max_length=80)
    prompt_id: str | None = Field(default=None, max_length=80)
    prompt_version: str | None = Field(default=None, max_length=80)
    thread_id: str | None = Field(default=None, max_length=128)
    run_id: str | None = Field(default=None, max_length=128)
    mlflow_trace_id: str | None = Field(default=None, max_length=128)
    # The person the proposal is for (who asked the copilot); defaults to the submitter.
    requested_by: str | None = Field(default=None, max_length=200)
    # Submitting twice with the same key returns the first proposal.
    dedupe_key: str | None = Field(default=None, max_length=200)


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["accept", "accept_with_edits", "override", "reject"]
    reason_code: str = Field(min_length=1, max_length=48)
    note: str = Field(default="", max_length=4000)
    edited_payload: dict[str, Any] | None = None
    # The other option for an override: a consultant_id, severity, category or hours.
    choice: int | float | str | None = None


class ORM(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DecisionRead(ORM):
    id: int
    proposal_id: int
    action: str
    reason_code: str
    note: str
    decided_by: str
    decider_role: str
    decided_at: datetime
    proposal_hash: str
    model_version: str | None
    prompt_version: str | None
    edited_payload: dict[str, Any] | None
    choice: Any
    final_payload: dict[str, Any] | None
    edit_size: int | None
    effect: dict[str, Any]
    policy_rule: str | None


class ProposalRead(ORM):
    id: int
    type: str
    status: str
    version: int
    project_id: int | None
    practice: str | None
    region: str | None
    payload: dict[str, Any]
    model_version: str | None
    prompt_id: str | None
    prompt_version: str | None
    content_hash: str
    requested_by: str
    submitted_by: str
    thread_id: str | None
    run_id: str | None
    mlflow_trace_id: str | None
    assignee_group: str
    escalated_to: str | None
    escalation_level: int
    escalated_at: datetime | None
    due_at: datetime
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    overdue: bool = False


class AuditEventRead(ORM):
    seq: int
    at: datetime
    actor: str
    action: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class ProposalDetail(ProposalRead):
    evidence: dict[str, Any]
    policy_trace: dict[str, Any]
    content_intact: bool
    decision: DecisionRead | None
    audit: list[AuditEventRead]
    can_decide: bool
    can_decide_reason: str
    allowed_reason_codes: dict[str, str]


class ProposalPage(BaseModel):
    items: list[ProposalRead]
    next_cursor: str | None


class DecisionResult(BaseModel):
    proposal: ProposalRead
    decision: DecisionRead
    replayed: bool


class ProposalFilters(BaseModel):
    status: str | None = None
    type: ProposalType | None = None
    project_id: int | None = None
    practice: str | None = None
    assigned_to_me: bool = False
    overdue: bool | None = None
