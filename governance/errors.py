"""Errors the approval queue raises; each carries its HTTP status and a stable code."""

from __future__ import annotations

from datetime import datetime

from domain.errors import Conflict, Forbidden, InvalidInput, OpsError


class ProposalAlreadyDecided(Conflict):
    code = "proposal_already_decided"

    @classmethod
    def of(
        cls, proposal_id: int, status: str, by: str | None, at: datetime | None
    ) -> ProposalAlreadyDecided:
        when = f" at {at.isoformat()}" if at else ""
        return cls(
            f"Proposal {proposal_id} is already {status} (decided by {by}{when})",
            extra={
                "status": status,
                "decided_by": by,
                "decided_at": at.isoformat() if at else None,
            },
        )


class SegregationOfDuties(Forbidden):
    code = "segregation_of_duties"


class NotAnApprover(Forbidden):
    code = "not_an_approver"


class NotASubmitter(Forbidden):
    code = "not_a_submitter"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class InvalidReason(InvalidInput):
    code = "invalid_reason_code"


class StoreBusy(OpsError):
    """The database stayed busy; nothing was written and the request can be retried."""

    status_code = 503
    code = "busy"
