"""What goes into and comes out of the approval queue (API and Python service alike)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from domain.types import MAX_HOURS, MAX_ID, Id, JsonObject, NoNul, Text, storable_json
from governance.types import ProposalType


class Evidence(BaseModel):
    """What the model saw and why it proposed; extra keys are kept as given."""

    model_config = ConfigDict(extra="allow")
    summary: Text = ""
    features: JsonObject = {}  # the feature snapshot the model scored
    inputs: JsonObject = {}
    sources: list[Text] = []

    @model_validator(mode="after")
    def _storable_extras(self) -> Evidence:
        storable_json(self.model_extra or {})
        return self


Label = Annotated[str, Field(max_length=80), NoNul]  # a model or prompt name or version
Ref = Annotated[str, Field(max_length=128), NoNul]  # an id in another system (thread, run)
Key = Annotated[str, Field(max_length=200), NoNul]  # an e-mail address or a dedupe key
_OPTION_NAME = TypeAdapter(Key)  # a severity or a category


def _option(value: object) -> int | float | str:
    # A number is a consultant id or a number of hours; the type's payload schema says which.
    if isinstance(value, str):
        return _OPTION_NAME.validate_python(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "option_type", "send a consultant id, a number of hours, or a name"
        )
    in_range = 1 <= value <= MAX_ID if isinstance(value, int) else 0 < value <= MAX_HOURS
    if not in_range:  # NaN fails every comparison, so it lands here too
        raise PydanticCustomError(
            "option_out_of_range",
            "{value} is not an option: send a consultant id (1 to {max_id}) or a number of "
            "hours (above 0, at most {max_hours})",
            {"value": value, "max_id": MAX_ID, "max_hours": f"{MAX_HOURS:,.0f}"},
        )
    return value


# The other option for an override: a consultant_id, severity, category or hours.
OverrideChoice = Annotated[
    int | float | str, PlainValidator(_option, json_schema_input_type=int | float | str)
]


class ProposalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: ProposalType
    payload: JsonObject
    evidence: Evidence = Evidence()
    model_version: Label | None = None
    prompt_id: Label | None = None
    prompt_version: Label | None = None
    thread_id: Ref | None = None
    run_id: Ref | None = None
    mlflow_trace_id: Ref | None = None
    # The person the proposal is for (who asked the copilot); defaults to the submitter.
    requested_by: Key | None = None
    # Submitting twice with the same key returns the first proposal.
    dedupe_key: Key | None = None


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["accept", "accept_with_edits", "override", "reject"]
    reason_code: Text = Field(min_length=1, max_length=48)
    note: Text = Field(default="", max_length=4000)
    edited_payload: JsonObject | None = None
    choice: OverrideChoice | None = None


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
    project_id: Id | None = None
    practice: Text | None = None
    assigned_to_me: bool = False
    overdue: bool | None = None
