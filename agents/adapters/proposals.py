"""Record proposals in the copilot's own table, for running without the approval queue.

Payloads are checked against the approval queue's schemas, so what is recorded here is what
the queue would accept once it is wired in.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.ports import ProposalReceipt, ProposalSubmission
from agents.tables import CopilotProposal
from governance.payloads import validate_payload
from governance.types import ProposalType


class TableProposalSink:
    """Implements ``agents.ports.ProposalSink`` with the ``copilot_proposals`` table."""

    def submit(self, session: Session, proposal: ProposalSubmission) -> ProposalReceipt:
        """Record ``proposal`` as pending; the same idempotency key returns the first record."""
        existing = session.scalar(
            select(CopilotProposal).where(
                CopilotProposal.idempotency_key == proposal.idempotency_key
            )
        )
        if existing is not None:
            return ProposalReceipt(id=existing.id, status=existing.status)
        payload = validate_payload(ProposalType(proposal.type), dict(proposal.payload))
        row = CopilotProposal(
            id=str(uuid.uuid4()),
            idempotency_key=proposal.idempotency_key,
            type=proposal.type,
            title=proposal.title[:200],
            payload=payload,
            evidence=dict(proposal.evidence),
            versions=dict(proposal.versions),
            requester=asdict(proposal.requester),
            run_links=dict(proposal.run_links),
            status="pending",
        )
        session.add(row)
        session.flush()
        return ProposalReceipt(id=row.id, status=row.status)
