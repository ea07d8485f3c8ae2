"""Approval-queue metrics for operations leads and data scientists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.deps import SessionDep, require_roles
from app.routers.proposals import GovernanceDep
from domain.errors import InvalidInput
from domain.tables import User
from domain.types import Moment, Role, utcnow
from governance.actor import Actor
from governance.metrics import QueueMetrics

router = APIRouter(prefix="/v1", tags=["metrics"])


@router.get("/metrics/queue", response_model=QueueMetrics)
def queue_metrics(
    session: SessionDep,
    gov: GovernanceDep,
    user: Annotated[User, Depends(require_roles(Role.approver, Role.data_scientist))],
    since: Annotated[
        Moment | None, Query(description="Start of the window (default: 30 days ago)")
    ] = None,
) -> QueueMetrics:
    now = utcnow()
    if since is not None and since > now:
        raise InvalidInput(
            f"since: {since.isoformat()} is in the future; the window ends now, so start it "
            "earlier",
            extra={"problems": [{"field": "since", "reason": "in the future"}]},
        )
    return gov.queue_metrics(session, Actor.of(user), since=since, now=now)
