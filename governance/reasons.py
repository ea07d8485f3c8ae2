"""The fixed list of reason codes per proposal type.

Reason codes are labels the models learn from, so the list is closed: a new code is a code
change (and a line in docs/governance.md), never free text. ``other`` exists for every type and
needs a note.
"""

from __future__ import annotations

from domain.errors import InvalidInput
from governance.errors import InvalidReason
from governance.types import ProposalType

OTHER = "other"
# Recorded by the system, never chosen by a person.
SYSTEM_CODES = {
    "sla_expired": "Nobody decided within the SLA; the proposal lapsed without effect.",
    "policy_auto_accept": "A policy rule explicitly allows accepting this without a person.",
}

REASONS: dict[ProposalType, dict[str, str]] = {
    ProposalType.assign_staff: {
        "good_fit": "The proposed person fits the role.",
        "skill_gap": "The proposed person lacks a skill the role needs.",
        "availability_out_of_date": "Availability data is stale; the person is not free.",
        "client_preference": "The client asked for, or against, a particular person.",
        "cost": "Cost or margin argues for someone else.",
        "utilization_balance": "Spreading load across the bench.",
        "development_opportunity": "A stretch assignment for someone's growth.",
        "continuity": "Someone already on the account keeps continuity.",
        "role_level_mismatch": "Too senior or too junior for the role.",
        "timezone_language": "Time zone or language does not fit the client.",
        OTHER: "Anything else (explain in the note).",
    },
    ProposalType.flag_risk: {
        "risk_confirmed": "The risk is real and worth flagging.",
        "risk_already_mitigated": "Mitigation is already under way.",
        "false_positive": "The project is not at risk.",
        "data_out_of_date": "The model saw stale hours, progress or plan.",
        "severity_overstated": "Real, but less severe than proposed.",
        "severity_understated": "Real, and more severe than proposed.",
        OTHER: "Anything else (explain in the note).",
    },
    ProposalType.send_status_summary: {
        "ready_to_send": "The draft is right as written.",
        "tone": "Wording or tone needed changing for the audience.",
        "factual_error": "The draft states something untrue.",
        "missing_information": "Something the audience needs is missing.",
        "too_long": "Shortened for the audience.",
        "confidential_content": "Removed information the audience must not see.",
        "wrong_audience": "The summary does not suit this audience.",
        OTHER: "Anything else (explain in the note).",
    },
    ProposalType.route_request: {
        "correct_category": "The predicted category is right.",
        "wrong_category": "The request belongs to another category.",
        "ambiguous_request": "The request fits several categories.",
        "duplicate_request": "Already handled under another request.",
        OTHER: "Anything else (explain in the note).",
    },
    ProposalType.raise_change_request: {
        "scope_confirmed": "The scope change is real and the estimate holds.",
        "estimate_too_high": "The work is smaller than estimated.",
        "estimate_too_low": "The work is larger than estimated.",
        "within_existing_scope": "Covered by the current contract; no change request.",
        "client_not_agreed": "The client has not agreed to the change.",
        OTHER: "Anything else (explain in the note).",
    },
    ProposalType.promote_model: {
        "challenger_better": "The challenger beats the champion on the evaluation.",
        "metrics_regression": "The challenger is worse on a metric that matters.",
        "insufficient_evaluation": "The evaluation is too small or not representative.",
        "fairness_concern": "The challenger treats a group of people worse.",
        "operational_risk": "Latency, size or dependencies make it unsafe to ship now.",
        OTHER: "Anything else (explain in the note).",
    },
}


def check_reason(kind: ProposalType, code: str, note: str) -> None:
    """Raise 422 naming the allowed codes when ``code`` is not on ``kind``'s list."""
    allowed = REASONS[kind]
    if code not in allowed:
        raise InvalidReason(
            f"Unknown reason_code {code!r} for {kind.value}; use one of: {', '.join(allowed)}",
            extra={"allowed_reason_codes": list(allowed)},
        )
    if code == OTHER and not note.strip():
        raise InvalidInput("reason_code 'other' needs a note saying why")
