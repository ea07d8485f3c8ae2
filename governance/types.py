"""The approval queue's vocabulary: proposal types, states and decision actions."""

from __future__ import annotations

from enum import StrEnum


class ProposalType(StrEnum):
    assign_staff = "assign_staff"
    flag_risk = "flag_risk"
    send_status_summary = "send_status_summary"
    route_request = "route_request"
    raise_change_request = "raise_change_request"
    promote_model = "promote_model"


class ProposalStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    accepted_with_edits = "accepted_with_edits"
    overridden = "overridden"
    rejected = "rejected"
    expired = "expired"


class DecisionAction(StrEnum):
    accept = "accept"
    accept_with_edits = "accept_with_edits"
    override = "override"
    reject = "reject"
    # Never chosen by a person: the SLA ran out and the safe default is not to act.
    expire = "expire"


# The state each action moves a pending proposal to.
OUTCOME: dict[DecisionAction, ProposalStatus] = {
    DecisionAction.accept: ProposalStatus.accepted,
    DecisionAction.accept_with_edits: ProposalStatus.accepted_with_edits,
    DecisionAction.override: ProposalStatus.overridden,
    DecisionAction.reject: ProposalStatus.rejected,
    DecisionAction.expire: ProposalStatus.expired,
}

# Actions that make the proposal's effect happen (with the original, edited or chosen payload).
APPLYING = frozenset(
    {DecisionAction.accept, DecisionAction.accept_with_edits, DecisionAction.override}
)

HUMAN_ACTIONS = tuple(a for a in DecisionAction if a is not DecisionAction.expire)
