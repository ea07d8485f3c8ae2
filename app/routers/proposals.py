"""The approval queue over HTTP: list, read, submit and decide proposals.

Routers parse, authorise and render; the use cases live in ``governance``. Write routes commit
before the response is sent, so a 2xx means the decision, its audit event and its outbox event
are durable.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from sqlalchemy.orm import Session

from app.deps import CurrentUser, SessionDep
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


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Load and validate policies.yaml and templates.yaml at start-up: a broken file stops the
    # app with the path and field. The app may have set its own (wired) instance already.
    if getattr(app.state, "governance", None) is None:
        app.state.governance = Governance.load()
    yield


def get_governance(request: Request) -> Governance:
    state = request.app.state
    if getattr(state, "governance", None) is None:
        with _build_lock:  # an app started without this router's lifespan
            if getattr(state, "governance", None) is None:
                state.governance = Governance.load()
    governance: Governance = state.governance
    return governance


def get_actor(user: CurrentUser) -> Actor:
    return Actor.of(user)


def commit_before_response(session: SessionDep) -> Iterator[Session]:
    """The request's session, committed when the handler returns and before the response.

    ``SessionDep`` alone commits after the response has been sent; a client must never see a
    2xx for a write that then fails to commit.
    """
    yield session
    session.commit()


GovernanceDep = Annotated[Governance, Depends(get_governance)]
ActorDep = Annotated[Actor, Depends(get_actor)]
WriteSession = Annotated[Session, Depends(commit_before_response, scope="function")]

router = APIRouter(prefix="/v1", tags=["proposals"], lifespan=lifespan)


@router.get("/proposals", response_model=ProposalPage)
def list_proposals(
    session: SessionDep,
    actor: ActorDep,
    gov: GovernanceDep,
    status: ProposalStatus | None = None,
    kind: Annotated[ProposalType | None, Query(alias="type")] = None,
    project_id: int | None = None,
    practice: str | None = None,
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
    proposal_id: int, session: SessionDep, actor: ActorDep, gov: GovernanceDep
) -> ProposalDetail:
    return gov.get(session, proposal_id, actor)


@router.post("/proposals", response_model=ProposalDetail, status_code=201)
def submit_proposal(
    body: ProposalCreate, session: WriteSession, actor: ActorDep, gov: GovernanceDep
) -> ProposalDetail:
    """Submit a proposal (admins and integrations; who may submit what is in policies.yaml)."""
    return gov.submit_as(session, body, actor)


@router.post("/proposals/{proposal_id}/decision", response_model=DecisionResult)
def decide_proposal(
    proposal_id: int,
    body: DecisionCreate,
    session: WriteSession,
    actor: ActorDep,
    gov: GovernanceDep,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=200, description="Retry-safe decisions"),
    ] = None,
) -> DecisionResult:
    """Accept, accept with edits, override or reject, with a reason code from the type's list."""
    return gov.decide(session, proposal_id, actor, body, idempotency_key=idempotency_key)
