"""The approval queue over HTTP: list, read, submit and decide proposals.

Routers parse, authorise and render; the use cases live in ``governance``. ``SessionDep``
commits before the response is sent, so a 2xx means the decision, its audit event and its
outbox event are durable.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query

from app.deps import CurrentUser, SessionDep
from app.schemas import QueryText
from app.services import ServicesDep
from domain.types import Id
from governance.actor import Actor
from governance.schemas import (
    DecisionCreate,
    DecisionResult,
    ProposalCreate,
    ProposalDetail,
    ProposalFilters,
    ProposalPage,
)
from governance.service import Governance
from governance.types import ProposalStatus, ProposalType

_build_lock = threading.Lock()


def get_governance(services: ServicesDep) -> Governance:
    """The queue ``app.loaders.governance`` loaded (wired to the models).

    An app given its own ``Services`` without one (tests, benches) gets a plain queue, built
    once and kept in ``services`` so every request shares it.
    """
    if "governance" not in services.extras:
        with _build_lock:
            if "governance" not in services.extras:
                services.extras["governance"] = Governance.load()
    governance: Governance = services.extras["governance"]
    return governance


async def get_actor(user: CurrentUser) -> Actor:
    return Actor.of(user)


GovernanceDep = Annotated[Governance, Depends(get_governance)]
ActorDep = Annotated[Actor, Depends(get_actor)]


router = APIRouter(prefix="/v1", tags=["proposals"])


@router.get("/proposals", response_model=ProposalPage)
def list_proposals(
    session: SessionDep,
    actor: ActorDep,
    gov: GovernanceDep,
    status: ProposalStatus | None = None,
    kind: Annotated[ProposalType | None, Query(alias="type")] = None,
    project_id: Id | None = None,
    practice: QueryText | None = None,
    assigned_to_me: Annotated[
        bool, Query(description="Only pending proposals you may decide now")
    ] = False,
    overdue: Annotated[bool | None, Query(description="Pending and past the SLA")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ProposalPage:
    filters = ProposalFilters(
        status=status.value if status else None,
        type=kind,
        project_id=project_id,
        practice=practice,
        assigned_to_me=assigned_to_me,
        overdue=overdue,
    )
    return gov.list_proposals(session, actor, filters, cursor=cursor, limit=limit)


@router.get("/proposals/{proposal_id}", response_model=ProposalDetail)
def get_proposal(
    proposal_id: Id, session: SessionDep, actor: ActorDep, gov: GovernanceDep
) -> ProposalDetail:
    return gov.get(session, proposal_id, actor)


@router.post("/proposals", response_model=ProposalDetail, status_code=201)
def submit_proposal(
    body: ProposalCreate, session: SessionDep, actor: ActorDep, gov: GovernanceDep
) -> ProposalDetail:
    """Submit a proposal (admins and integrations; who may submit what is in policies.yaml)."""
    return gov.submit_as(session, body, actor)


@router.post("/proposals/{proposal_id}/decision", response_model=DecisionResult)
def decide_proposal(
    proposal_id: Id,
    body: DecisionCreate,
    session: SessionDep,
    actor: ActorDep,
    gov: GovernanceDep,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=200, description="Retry-safe decisions"),
    ] = None,
) -> DecisionResult:
    """Accept, accept with edits, override or reject, with a reason code from the type's list."""
    return gov.decide(session, proposal_id, actor, body, idempotency_key=idempotency_key)
