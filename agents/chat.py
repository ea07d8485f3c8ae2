"""Chat threads and messages: reading and writing the conversation a person sees.

Functions take the caller's session and flush; the caller's unit of work commits. A person
reaches only their own threads: anyone else's thread is "not found", not "forbidden", so
thread ids cannot be probed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agents.tables import ChatMessage, ChatThread
from domain.errors import NotFound
from domain.types import utcnow

ALERTS_TITLE = "Alerts"


def create_thread(
    session: Session, owner_id: int | None, title: str = "", *, kind: str = "chat"
) -> ChatThread:
    """A new, empty thread owned by ``owner_id``."""
    thread = ChatThread(id=str(uuid.uuid4()), owner_id=owner_id, title=title.strip(), kind=kind)
    session.add(thread)
    session.flush()
    return thread


def list_threads(session: Session, owner_id: int, *, limit: int = 100) -> list[ChatThread]:
    """The owner's threads, most recently active first."""
    q = (
        select(ChatThread)
        .where(ChatThread.owner_id == owner_id)
        .order_by(ChatThread.updated_at.desc(), ChatThread.id)
        .limit(limit)
    )
    return list(session.scalars(q))


def get_thread(session: Session, thread_id: str, owner_id: int | None) -> ChatThread:
    """The thread if ``owner_id`` owns it; NotFound otherwise (also for other people's)."""
    thread = session.get(ChatThread, thread_id)
    if thread is None or thread.owner_id != owner_id:
        raise NotFound.of("chat thread", thread_id)
    return thread


def messages(
    session: Session, thread_id: str, *, after_id: int = 0, limit: int = 500
) -> list[ChatMessage]:
    """The thread's messages in order, optionally only those after ``after_id``."""
    q = (
        select(ChatMessage)
        .where(ChatMessage.thread_id == thread_id, ChatMessage.id > after_id)
        .order_by(ChatMessage.id)
        .limit(limit)
    )
    return list(session.scalars(q))


def post_message(
    session: Session,
    thread_id: str,
    role: str,
    content: str,
    *,
    proposal_ids: Sequence[str] = (),
    run_key: str | None = None,
    dedupe_key: str | None = None,
    touch_thread: bool = True,
) -> ChatMessage:
    """Append a message; with a ``dedupe_key`` already used, return that message instead.

    The thread's ``updated_at`` moves too, unless ``touch_thread`` is False because the
    caller updates the thread row in the same transaction anyway.
    """
    if dedupe_key is not None:
        existing = session.scalar(select(ChatMessage).where(ChatMessage.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    msg = ChatMessage(
        thread_id=thread_id,
        role=role,
        content=content,
        proposal_ids=list(proposal_ids),
        run_key=run_key,
        dedupe_key=dedupe_key,
    )
    session.add(msg)
    if touch_thread:
        session.execute(
            update(ChatThread).where(ChatThread.id == thread_id).values(updated_at=utcnow())
        )
    session.flush()
    return msg


def claim_turn(
    session: Session, thread_id: str, owner_id: int | None
) -> tuple[int, dict[str, Any]]:
    """The next turn number of the owner's thread, and its focus (what the conversation is
    about so far); NotFound for anyone else's thread.

    One atomic increment and the transaction's first statement: concurrent messages get
    distinct turns, and on SQLite the transaction holds the write lock from the start (a
    read-then-write transaction fails outright if another connection wrote in between).
    """
    row = session.execute(
        update(ChatThread)
        .where(ChatThread.id == thread_id, ChatThread.owner_id == owner_id)
        .values(turns=ChatThread.turns + 1, updated_at=utcnow())
        .returning(ChatThread.turns, ChatThread.focus)
    ).first()
    if row is None:
        raise NotFound.of("chat thread", thread_id)
    return int(row.turns), dict(row.focus or {})


def set_focus(session: Session, thread_id: str, focus: dict[str, Any]) -> None:
    """Remember what the conversation is about, for the next turn."""
    session.execute(update(ChatThread).where(ChatThread.id == thread_id).values(focus=focus))


def alerts_thread(session: Session, owner_id: int) -> ChatThread:
    """The owner's thread for proactive alerts, created on first use."""
    found = session.scalar(
        select(ChatThread)
        .where(ChatThread.owner_id == owner_id, ChatThread.kind == "alerts")
        .order_by(ChatThread.created_at)
        .limit(1)
    )
    return found or create_thread(session, owner_id, ALERTS_TITLE, kind="alerts")
