"""Claiming rows of a delivery table with a lease: one scheme for webhook deliveries
(``governance.outbox``) and decision feedback (``governance.feedback_queue``).

A claim is one conditional UPDATE of due rows: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
SQLite's single writer elsewhere. It sets a token and a lease, so several workers can run and
a crashed worker's claim is due again when its lease ends. Every settle checks the token, so a
worker whose lease ran out cannot overwrite another's result.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from governance.feedback import FeedbackDelivery
from governance.tables import WebhookDelivery

PENDING, DELIVERING = "pending", "delivering"

# Tables with the lease columns: status, attempts, next_attempt_at, lease_until, claim_token.
Leased = type[WebhookDelivery] | type[FeedbackDelivery]


def due(table: Leased, now: datetime) -> ColumnElement[bool]:
    """Pending rows whose time has come, and claimed rows whose lease has run out."""
    return or_(
        and_(table.status == PENDING, table.next_attempt_at <= now),
        and_(table.status == DELIVERING, table.lease_until < now),
    )


def claim(
    session: Session, table: Leased, *, token: str, now: datetime, lease: timedelta, limit: int
) -> None:
    """Claim up to ``limit`` due rows (oldest due first) for ``token`` until the lease ends,
    counting the attempt; select them back with ``claimed_by``."""
    due_ids = (
        select(table.id)
        .where(due(table, now))
        .order_by(table.next_attempt_at, table.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        update(table)
        .where(table.id.in_(due_ids), due(table, now))
        .values(
            status=DELIVERING,
            claim_token=token,
            lease_until=now + lease,
            attempts=table.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )


def claimed_by(table: Leased, token: str) -> ColumnElement[bool]:
    """The rows ``token`` holds."""
    return and_(table.claim_token == token, table.status == DELIVERING)


def settle(session: Session, table: Leased, row_id: int, *, token: str, **values: Any) -> bool:
    """Release ``token``'s claim on a row and write ``values``; False if the claim was lost."""
    result = cast(
        CursorResult[Any],
        session.execute(
            update(table)
            .where(table.id == row_id, table.claim_token == token)
            .values(claim_token=None, lease_until=None, **values)
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount == 1
