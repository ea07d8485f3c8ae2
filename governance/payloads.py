"""Typed payloads per proposal type, and what "override with another option" means for each.

Payloads are validated on submission and again for edited payloads, so whatever an effect
applies has passed the same schema.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from domain.errors import InvalidInput
from domain.types import Hours, Id, Money, RequestCategory
from governance.types import ProposalType

Severity = Literal["low", "medium", "high", "critical"]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Candidate(Payload):
    consultant_id: Id
    name: str
    score: float
    score_parts: dict[str, float] = {}
    reasons: list[str] = []


class AssignStaff(Payload):
    project_id: Id
    role: str = Field(min_length=1, max_length=80)
    hours_per_week: float = Field(gt=0, le=80)
    start_date: date
    end_date: date
    candidates: list[Candidate] = []
    # Defaults to the top-ranked candidate; None while nobody has been proposed.
    chosen_consultant_id: Id | None = None

    @model_validator(mode="after")
    def _check(self) -> AssignStaff:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if self.chosen_consultant_id is None and self.candidates:
            self.chosen_consultant_id = self.candidates[0].consultant_id
        return self


class RiskDriver(Payload):
    feature: str
    value: float | str | bool | None = None
    contribution: float
    description: str = ""


class FlagRisk(Payload):
    project_id: Id
    probability: float = Field(ge=0, le=1)
    severity: Severity
    drivers: list[RiskDriver] = []
    mitigation: str = ""


class Fact(Payload):
    id: str
    kind: str
    text: str


class SendStatusSummary(Payload):
    project_id: Id
    audience: str = Field(min_length=1, max_length=40)
    draft: str = Field(min_length=1)
    facts: list[Fact] = []
    # The RAG the summary reports; when absent the project's last known RAG carries forward.
    rag: Literal["green", "amber", "red"] | None = None


class Alternative(Payload):
    category: RequestCategory
    confidence: float = Field(ge=0, le=1)


class RouteRequest(Payload):
    request_id: Id | None = None
    text: str | None = None
    predicted_category: RequestCategory
    confidence: float = Field(ge=0, le=1)
    alternatives: list[Alternative] = []

    @model_validator(mode="after")
    def _check(self) -> RouteRequest:
        if self.request_id is None and not self.text:
            raise ValueError("give request_id or text")
        return self


class RaiseChangeRequest(Payload):
    project_id: Id
    title: str = Field(min_length=1, max_length=200)
    scope_delta: str = Field(min_length=1)
    estimated_hours: Hours = Field(gt=0)
    # Defaults to hours x the project's blended bill rate when the change request is raised.
    estimated_amount: Money | None = None


class PromoteModel(Payload):
    model_name: str = Field(min_length=1)
    challenger_version: str = Field(min_length=1)
    champion_version: str | None = None
    eval_report: dict[str, Any] = {}


PAYLOADS: dict[ProposalType, type[Payload]] = {
    ProposalType.assign_staff: AssignStaff,
    ProposalType.flag_risk: FlagRisk,
    ProposalType.send_status_summary: SendStatusSummary,
    ProposalType.route_request: RouteRequest,
    ProposalType.raise_change_request: RaiseChangeRequest,
    ProposalType.promote_model: PromoteModel,
}

# What an override chooses instead, per type. Types absent here cannot be overridden: an
# approver edits a status draft (accept_with_edits) or keeps the champion (reject).
OVERRIDE_FIELD: dict[ProposalType, str] = {
    ProposalType.assign_staff: "chosen_consultant_id",
    ProposalType.flag_risk: "severity",
    ProposalType.route_request: "predicted_category",
    ProposalType.raise_change_request: "estimated_hours",
}


M = TypeVar("M", bound=BaseModel)


def validate_model(schema: type[M], data: Any, *, field: str, label: str) -> M:
    """``data`` validated by ``schema``; a 422 naming every bad field (``field.sub.path``)."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        problems = [
            {"field": ".".join([field, *(str(p) for p in e["loc"])]), "reason": e["msg"]}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['reason']}" for p in problems)
        raise InvalidInput(
            f"Invalid {label} {field}: {summary}", extra={"problems": problems}
        ) from exc


def validate_payload(kind: ProposalType, data: Any, *, field: str = "payload") -> dict[str, Any]:
    """The payload normalised by its schema (defaults filled in), as plain JSON types."""
    return validate_model(PAYLOADS[kind], data, field=field, label=kind.value).model_dump(
        mode="json"
    )


def apply_choice(kind: ProposalType, payload: dict[str, Any], choice: Any) -> dict[str, Any]:
    """The payload with the override's option in place; it must be a different, valid option."""
    field = OVERRIDE_FIELD.get(kind)
    if field is None:
        raise InvalidInput(
            f"{kind.value} proposals cannot be overridden; use accept_with_edits or reject",
            extra={"allowed_actions": ["accept", "accept_with_edits", "reject"]},
        )
    if choice is None:
        raise InvalidInput(f"override needs 'choice': the {field} to use instead")
    chosen = validate_payload(kind, {**payload, field: choice}, field="choice")
    if chosen[field] == payload.get(field):
        raise InvalidInput(
            f"choice {choice!r} is what was proposed; use accept for the proposed option"
        )
    return chosen


def option_of(kind: ProposalType, payload: dict[str, Any]) -> Any:
    """The option an override would replace (for metrics and the decision record)."""
    field = OVERRIDE_FIELD.get(kind)
    return payload.get(field) if field else None


def edit_size(kind: ProposalType, before: dict[str, Any], after: dict[str, Any]) -> int:
    """How much an approver changed: characters of the draft for summaries, fields otherwise."""
    if kind is ProposalType.send_status_summary:
        a, b = before.get("draft", ""), after.get("draft", "")
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        same = sum(block.size for block in matcher.get_matching_blocks())
        return max(len(a), len(b)) - same
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))
