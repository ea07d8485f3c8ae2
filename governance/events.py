"""Receiving canonical events: validate, apply, record once, then tell the subscribers.

The event id (``Idempotency-Key`` header or the body's ``id``) makes a resend harmless: the
same id with the same content returns the first result; with other content it is refused.
Subscribers hear about an event only after it is committed, and one that fails never loses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.types import utcnow
from governance import event_handlers
from governance.context import Context
from governance.errors import IdempotencyKeyReused
from governance.event_schemas import EventIn
from governance.hashing import content_hash, jsonable
from governance.listeners import EventNotice, notify_event
from governance.tables import InboundEvent
from governance.uow import begin_write, on_commit


@dataclass(frozen=True)
class Ingested:
    event_id: str
    type: str
    duplicate: bool
    result: dict[str, Any]


def event_id_of(event: EventIn, idempotency_key: str | None) -> str:
    if event.id and idempotency_key and event.id != idempotency_key:
        raise InvalidInput(
            f"id {event.id!r} and Idempotency-Key {idempotency_key!r} differ; send one id"
        )
    event_id = event.id or idempotency_key
    if not event_id:
        raise InvalidInput("Give the event an id: the body's 'id' or an Idempotency-Key header")
    return event_id


def ingest(
    session: Session,
    ctx: Context,
    event: EventIn,
    *,
    received_by: str,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Ingested:
    """Apply and store one inbound event, exactly once per event id."""
    now = now or utcnow()
    event_id = event_id_of(event, idempotency_key)
    begin_write(session)  # serialises ingest, so a concurrent resend sees the first copy
    digest = content_hash({"type": event.type, "data": event.data})
    prior = session.scalar(select(InboundEvent).where(InboundEvent.event_id == event_id))
    if prior is not None:
        if prior.payload_hash != digest:
            raise IdempotencyKeyReused(
                f"Event {event_id!r} was already received with different content"
            )
        return Ingested(prior.event_id, prior.type, True, prior.result)
    data = event_handlers.parse(event.type, event.data)
    handler_ctx = event_handlers.EventContext(session, ctx, event_id, received_by, now)
    result = jsonable(event_handlers.HANDLERS[event.type](handler_ctx, data))
    row = InboundEvent(
        event_id=event_id,
        type=event.type,
        source=event.source,
        payload=jsonable(event.data),
        payload_hash=digest,
        received_at=now,
        received_by=received_by,
        result=result,
    )
    session.add(row)
    session.flush()
    notice = EventNotice(event_id, event.type, row.payload, result)
    on_commit(session, lambda: notify_event(ctx.event_subscribers, notice))
    return Ingested(event_id, event.type, False, result)


def replay(session: Session, ctx: Context, event_id: str) -> EventNotice:
    """Hand a stored event to the subscribers again (after one of them failed)."""
    row = session.scalar(select(InboundEvent).where(InboundEvent.event_id == event_id))
    if row is None:
        raise InvalidInput(f"No stored event with id {event_id!r}")
    notice = EventNotice(row.event_id, row.type, row.payload, row.result)
    notify_event(ctx.event_subscribers, notice)
    return notice
