"""Chat with the copilot: threads, their history, and messages answered as a stream.

``POST /v1/chat/threads/{id}/messages`` streams server-sent events (``node`` as each graph
step finishes, ``proposal`` for each proposal queued, ``message`` with the reply, ``done``;
``error`` if the run fails) unless the client sends ``Accept: application/json``, which
returns the finished turn as one JSON document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from agents import chat
from agents.copilot import Copilot, TurnEvent
from agents.errors import CopilotUnavailable
from agents.ports import Requester
from app.deps import RuntimeDep, SessionDep, require_roles
from app.services import COPILOT, COPILOT_UNAVAILABLE
from domain.db import unit_of_work
from domain.tables import User
from domain.types import Role, Text

MAX_MESSAGE = 4000  # characters in one chat message, API and web page alike

router = APIRouter(prefix="/v1/chat", tags=["chat"])
ChatUser = Annotated[User, Depends(require_roles(Role.delivery_manager))]


async def get_copilot(request: Request) -> Copilot:
    """The copilot the lifespan loaded; 503 while the server runs without one."""
    extras = request.app.state.services.extras
    copilot: Copilot | None = extras.get(COPILOT)
    if copilot is None:
        # Set by app.loaders.copilot when the copilot could not start, naming what to fix.
        reason = extras.get(COPILOT_UNAVAILABLE)
        ask = f"fix this and restart: {reason}" if reason else "check the server's start-up log"
        raise CopilotUnavailable(
            "The copilot is not running on this server, so chat is unavailable; the rest of "
            f"the API works. Ask an administrator to {ask}."
        )
    return copilot


CopilotDep = Annotated[Copilot, Depends(get_copilot)]


class ThreadCreate(BaseModel):
    title: Text = Field(default="", max_length=200)


class ThreadRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    title: str
    kind: str
    created_at: datetime
    updated_at: datetime


class MessageCreate(BaseModel):
    content: Text = Field(min_length=1, max_length=MAX_MESSAGE)


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    role: str
    content: str
    proposal_ids: list[str]
    created_at: datetime


class TurnRead(BaseModel):
    run_key: str
    status: str
    reply: str
    proposals: list[dict[str, Any]]
    trace_id: str | None


def _requester(user: User) -> Requester:
    return Requester(user_id=user.id, email=user.email, role=user.role, name=user.name)


@router.post("/threads", response_model=ThreadRead, status_code=status.HTTP_201_CREATED)
def create_thread(body: ThreadCreate, runtime: RuntimeDep, user: ChatUser) -> ThreadRead:
    # Its own transaction, committed before the response: the request's session has read
    # (the API key), and on SQLite a read-then-write transaction fails outright when another
    # connection commits in between.
    with unit_of_work(runtime.sessions) as session:
        return ThreadRead.model_validate(chat.create_thread(session, user.id, body.title))


@router.get("/threads", response_model=list[ThreadRead])
def list_threads(session: SessionDep, user: ChatUser) -> list[ThreadRead]:
    return [ThreadRead.model_validate(t) for t in chat.list_threads(session, user.id)]


@router.get("/threads/{thread_id}/messages", response_model=list[MessageRead])
def history(thread_id: Text, session: SessionDep, user: ChatUser) -> list[MessageRead]:
    chat.get_thread(session, thread_id, user.id)
    return [MessageRead.model_validate(m) for m in chat.messages(session, thread_id)]


def _sse(events: Iterator[TurnEvent]) -> Iterator[str]:
    for e in events:
        yield f"event: {e.event}\ndata: {json.dumps(e.data, default=str)}\n\n"


@router.post(
    "/threads/{thread_id}/messages",
    response_model=TurnRead,
    responses={200: {"content": {"text/event-stream": {}, "application/json": {}}}},
)
def post_message(
    thread_id: Text, body: MessageCreate, request: Request, user: ChatUser, copilot: CopilotDep
) -> Any:
    """Answer a message: a stream of events, or one JSON document if asked for JSON."""
    turn = copilot.start_turn(thread_id, _requester(user), body.content)
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/event-stream" not in accept:
        result = copilot.run_turn(turn)
        return TurnRead(
            run_key=result.run_key,
            status=result.status,
            reply=result.reply,
            proposals=[dict(p) for p in result.proposals],
            trace_id=result.trace_id,
        )
    return StreamingResponse(
        _sse(copilot.stream(turn)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
