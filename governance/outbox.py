"""The transactional outbox and its webhook deliveries (persistence only; HTTP lives in
``dispatcher``).

Writers call ``enqueue`` inside their own transaction, so an event exists exactly when the change
it reports was committed. Dispatchers then fan each event out to one delivery per endpoint and
claim due deliveries with a single conditional UPDATE: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
SQLite's single writer elsewhere, plus a lease so a crashed dispatcher's claim is picked up again
(``governance.leases``, shared with the feedback queue).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.errors import Conflict, NotFound
from governance import audit, leases
from governance.hashing import jsonable
from governance.leases import DELIVERING, PENDING
from governance.tables import OutboxEvent, WebhookDelivery
from governance.uow import begin_write

DELIVERED, DEAD = "delivered", "dead"


def enqueue(
    session: Session,
    type_: str,
    data: dict[str, Any],
    *,
    at: datetime,
    proposal_id: int | None = None,
) -> OutboxEvent:
    """Record an outbound event in the caller's transaction."""
    row = OutboxEvent(
        event_id=str(uuid.uuid4()),
        type=type_,
        proposal_id=proposal_id,
        payload=jsonable(data),
        created_at=at,
    )
    session.add(row)
    return row


def envelope(event: OutboxEvent) -> dict[str, Any]:
    """The JSON body receivers get: id and type identify it; ``data`` is the event's content."""
    return {
        "id": event.event_id,
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }


def fan_out(session: Session, endpoints: Sequence[str], *, now: datetime, limit: int = 200) -> int:
    """Create one pending delivery per endpoint for events not yet fanned out."""
    if not endpoints:
        return 0
    todo = (
        select(OutboxEvent.id)
        .where(OutboxEvent.fanned_out_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    # Claim by writing first: two dispatchers never fan out the same event, and on SQLite the
    # transaction begins with a write (no stale read snapshot).
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(todo), OutboxEvent.fanned_out_at.is_(None))
            .values(fanned_out_at=now)
            .returning(OutboxEvent.id)
            .execution_options(synchronize_session=False)
        ),
    )
    ids = [r[0] for r in claimed]
    if not ids:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {"outbox_id": i, "endpoint": url, "status": PENDING, "attempts": 0, "next_attempt_at": now,
         "last_error": "", "created_at": now}
        for i in ids for url in endpoints
    ]  # fmt: skip
    session.execute(insert(WebhookDelivery).values(rows).on_conflict_do_nothing())
    return len(ids)


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    endpoint: str
    attempts: int
    body: dict[str, Any]


def claim(
    session: Session, *, token: str, now: datetime, lease: timedelta, limit: int = 50
) -> list[Claimed]:
    """Claim up to ``limit`` due deliveries for this dispatcher (``token``) until the lease ends."""
    leases.claim(session, WebhookDelivery, token=token, now=now, lease=lease, limit=limit)
    rows = session.execute(
        select(WebhookDelivery, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.outbox_id)
        .where(leases.claimed_by(WebhookDelivery, token))
        .order_by(WebhookDelivery.id)
    ).all()
    return [Claimed(d.id, d.endpoint, d.attempts, envelope(e)) for d, e in rows]


def complete(
    session: Session, delivery_id: int, *, token: str, now: datetime, status_code: int
) -> bool:
    """Mark a claimed delivery delivered; False if this dispatcher no longer holds the claim."""
    return leases.settle(
        session, WebhookDelivery, delivery_id, token=token,
        status=DELIVERED, delivered_at=now, last_status=status_code, last_error="",
    )  # fmt: skip


def fail(
    session: Session,
    claimed: Claimed,
    *,
    token: str,
    now: datetime,
    error: str,
    status_code: int | None,
    max_attempts: int,
    retry_in: timedelta,
) -> str:
    """Record a failed attempt: retry later, or dead-letter after ``max_attempts``."""
    dead = claimed.attempts >= max_attempts
    kept = leases.settle(
        session, WebhookDelivery, claimed.delivery_id, token=token,
        status=DEAD if dead else PENDING, next_attempt_at=now if dead else now + retry_in,
        last_status=status_code, last_error=error[:2000],
    )  # fmt: skip
    if not kept:
        return "lost_claim"
    if dead:
        audit.append(
            session,
            actor="system:dispatcher",
            action="outbox.dead_lettered",
            at=now,
            data={"delivery_id": claimed.delivery_id, "event_id": claimed.body["id"],
                  "endpoint": claimed.endpoint, "attempts": claimed.attempts, "error": error[:500]},
        )  # fmt: skip
    return DEAD if dead else PENDING


def list_deliveries(
    session: Session, *, status: str | None = None, limit: int = 100
) -> list[tuple[WebhookDelivery, OutboxEvent]]:
    q = (
        select(WebhookDelivery, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.outbox_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if status:
        q = q.where(WebhookDelivery.status == status)
    return [(d, e) for d, e in session.execute(q).all()]


def redeliver(session: Session, delivery_id: int, *, actor: str, now: datetime) -> WebhookDelivery:
    """Put a dead (or delivered) delivery back in the queue, with a fresh attempt budget."""
    begin_write(session)
    row = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    if row is None:
        raise NotFound.of("webhook delivery", delivery_id)
    if row.status in (PENDING, DELIVERING):
        raise Conflict(f"Delivery {delivery_id} is already {row.status}; it will be retried")
    audit.append(
        session,
        actor=actor,
        action="outbox.redelivery_requested",
        at=now,
        data={"delivery_id": delivery_id, "endpoint": row.endpoint, "was": row.status,
              "attempts": row.attempts},
    )  # fmt: skip
    row.status, row.attempts, row.next_attempt_at = PENDING, 0, now
    row.claim_token, row.lease_until = None, None
    session.flush()
    return row
