"""Claiming and settling feedback deliveries (persistence only; the sending is in the app).

Claims and settles go through ``governance.leases``, the scheme the webhook outbox uses too:
several workers can run, and a crashed worker's claim is due again when its lease ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from governance import leases
from governance.feedback import (
    DELIVERED,
    DELIVERING,
    FAILED,
    PENDING,
    FeedbackDelivery,
    FeedbackItem,
    metadata_of,
)

LOST_CLAIM = "lost_claim"


def has_due(session: Session, now: datetime) -> bool:
    """Whether anything is due: a read, so an idle worker never takes the writer lock."""
    found = session.scalar(
        select(FeedbackDelivery.id).where(leases.due(FeedbackDelivery, now)).limit(1)
    )
    return found is not None


def claim(
    session: Session, *, token: str, now: datetime, lease: timedelta, limit: int = 20
) -> list[FeedbackItem]:
    """Claim up to ``limit`` due rows for this worker (``token``) until the lease ends."""
    leases.claim(session, FeedbackDelivery, token=token, now=now, lease=lease, limit=limit)
    rows = session.scalars(
        select(FeedbackDelivery)
        .where(leases.claimed_by(FeedbackDelivery, token))
        .order_by(FeedbackDelivery.next_attempt_at, FeedbackDelivery.id)
    ).all()
    return [
        FeedbackItem(
            delivery_id=r.id,
            trace_id=r.trace_id or "",
            name=r.name,
            value=r.value,
            source_type=r.source_type,
            source_id=r.source_id,
            rationale=r.rationale,
            metadata=metadata_of(r),
            attempts=r.attempts,
        )
        for r in rows
    ]


def _settle(session: Session, delivery_id: int, token: str, **values: Any) -> bool:
    return leases.settle(session, FeedbackDelivery, delivery_id, token=token, **values)


def complete(
    session: Session, delivery_id: int, *, token: str, now: datetime, assessment_id: str
) -> bool:
    """Mark a claimed row delivered; False if this worker no longer holds the claim."""
    return _settle(
        session, delivery_id, token,
        status=DELIVERED, delivered_at=now, assessment_id=assessment_id[:64], last_error="",
    )  # fmt: skip


def fail(
    session: Session,
    item: FeedbackItem,
    *,
    token: str,
    now: datetime,
    error: str,
    max_attempts: int,
    retry_in: timedelta,
) -> str:
    """Record a failed attempt: due again after ``retry_in``, or failed after ``max_attempts``.

    A failed row stays in the table; ``requeue_failed`` gives it a fresh attempt budget.
    """
    gave_up = item.attempts >= max_attempts
    ok = _settle(
        session, item.delivery_id, token,
        status=FAILED if gave_up else PENDING,
        next_attempt_at=now if gave_up else now + retry_in,
        last_error=error[:2000],
    )  # fmt: skip
    if not ok:
        return LOST_CLAIM
    return FAILED if gave_up else PENDING


def release(session: Session, items: Sequence[FeedbackItem], *, token: str) -> int:
    """Hand claimed rows back untried (the attempt is not counted); returns how many."""
    released = 0
    for item in items:
        released += _settle(
            session, item.delivery_id, token,
            status=PENDING, attempts=max(0, item.attempts - 1),
        )  # fmt: skip
    return released


def requeue_failed(session: Session, *, now: datetime) -> int:
    """Make every failed row due now with a fresh attempt budget; returns how many."""
    result = cast(
        CursorResult[Any],
        session.execute(
            update(FeedbackDelivery)
            .where(FeedbackDelivery.status == FAILED)
            .values(status=PENDING, attempts=0, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount


def status_counts(session: Session) -> dict[str, int]:
    """How many rows are in each status."""
    rows = session.execute(
        select(FeedbackDelivery.status, func.count()).group_by(FeedbackDelivery.status)
    ).all()
    return {status: int(n) for status, n in rows}


def oldest_waiting(session: Session) -> datetime | None:
    """When the oldest row still waiting for delivery was written (None if nothing waits)."""
    return session.scalar(
        select(func.min(FeedbackDelivery.created_at)).where(
            FeedbackDelivery.status.in_((PENDING, DELIVERING, FAILED))
        )
    )
