"""Inbound canonical events from CRM, PSA, ERP and HR systems (integrations, admin keys)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response
from pydantic import BaseModel

from app.deps import SessionDep, require_roles
from app.routers.proposals import GovernanceDep
from domain.tables import User
from governance.event_schemas import EVENT_TYPES, EventIn

router = APIRouter(prefix="/v1", tags=["events"])


class EventAccepted(BaseModel):
    event_id: str
    type: str
    duplicate: bool
    result: dict[str, Any]


@router.post(
    "/events",
    response_model=EventAccepted,
    status_code=201,
    description="Known types: " + ", ".join(EVENT_TYPES) + ". Resending an id returns 200.",
)
def receive_event(
    body: EventIn,
    response: Response,
    session: SessionDep,
    gov: GovernanceDep,
    user: Annotated[User, Depends(require_roles())],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> EventAccepted:
    done = gov.ingest_event(session, body, received_by=user.email, idempotency_key=idempotency_key)
    if done.duplicate:
        response.status_code = 200
    return EventAccepted(
        event_id=done.event_id, type=done.type, duplicate=done.duplicate, result=done.result
    )
