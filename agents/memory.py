"""What the agent remembers between runs: proposals per idempotency key, flagged projects.

Kept in the application database, in the same transaction as the proposal they describe, so
the memory and the queue never disagree.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agents.tables import AgentSubmission, RaisedFlag
from domain.types import utcnow


def submitted(session: Session, idempotency_key: str) -> AgentSubmission | None:
    """The proposal an earlier attempt submitted under this key, if any."""
    return session.get(AgentSubmission, idempotency_key)


def record_submission(
    session: Session,
    *,
    idempotency_key: str,
    run_key: str,
    proposal_id: str,
    proposal_type: str,
    title: str,
    status: str,
) -> AgentSubmission:
    row = AgentSubmission(
        idempotency_key=idempotency_key,
        run_key=run_key,
        proposal_id=proposal_id,
        proposal_type=proposal_type,
        title=title[:200],
        status=status,
    )
    session.add(row)
    session.flush()
    return row


def run_key_for_proposal(session: Session, proposal_id: str) -> str | None:
    """The run that submitted ``proposal_id`` (and waits for its decision), if it was ours."""
    return session.scalar(
        select(AgentSubmission.run_key).where(AgentSubmission.proposal_id == proposal_id).limit(1)
    )


def set_submission_status(session: Session, proposal_id: str, status: str) -> None:
    session.execute(
        update(AgentSubmission)
        .where(AgentSubmission.proposal_id == proposal_id)
        .values(status=status)
    )


def active_flag(session: Session, project_id: int) -> RaisedFlag | None:
    """The project's flag if it is flagged now (raised and not cleared since)."""
    flag = session.get(RaisedFlag, project_id)
    return flag if flag is not None and flag.cleared_at is None else None


def claim_flag(session: Session, project_id: int, probability: float) -> bool:
    """Mark the project flagged; False if it already is (another run got there first)."""
    flag = session.get(RaisedFlag, project_id, with_for_update=True)
    if flag is None:
        session.add(RaisedFlag(project_id=project_id, probability=probability, proposal_id=""))
        session.flush()
        return True
    if flag.cleared_at is None:
        return False
    # Conditional on "still cleared", so two runs re-flagging at once flag it once.
    won = session.execute(
        update(RaisedFlag)
        .where(RaisedFlag.project_id == project_id, RaisedFlag.cleared_at.is_not(None))
        .values(cleared_at=None, probability=probability, flagged_at=utcnow(), proposal_id="")
    )
    return won.rowcount == 1  # type: ignore[attr-defined]


def attach_flag_proposal(session: Session, project_id: int, proposal_id: str) -> None:
    session.execute(
        update(RaisedFlag)
        .where(RaisedFlag.project_id == project_id)
        .values(proposal_id=proposal_id)
    )


def clear_flag(session: Session, project_id: int) -> bool:
    """Forget the flag once the project is back under the threshold; True if it was set."""
    done = session.execute(
        update(RaisedFlag)
        .where(RaisedFlag.project_id == project_id, RaisedFlag.cleared_at.is_(None))
        .values(cleared_at=utcnow())
    )
    return done.rowcount == 1  # type: ignore[attr-defined]
