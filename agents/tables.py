"""Chat threads, agent runs and the agent's own memory, as SQLAlchemy tables.

LangGraph's checkpoints live in the checkpointer's tables (``agents.checkpoint``); these
tables hold what people and other services read: the conversation, one row per run, which
proposal each idempotency key produced, and which projects are already flagged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables import Base, Timestamped
from domain.types import JSONType, utcnow


class ChatThread(Timestamped, Base):
    __tablename__ = "chat_threads"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4
    # None for threads no person owns (alerts about a project whose manager has no account).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="chat")  # chat | alerts
    # The project and client the conversation is about, carried from turn to turn.
    focus: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    turns: Mapped[int] = mapped_column(Integer, default=0)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_thread_id_id", "thread_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[str] = mapped_column(ForeignKey("chat_threads.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # user | assistant | system
    content: Mapped[str] = mapped_column(Text)
    proposal_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    run_key: Mapped[str | None] = mapped_column(String(120))
    # Set on messages a graph node posts, so a node that runs again posts nothing twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentRun(Timestamped, Base):
    """One run of the graph: a chat turn or an event, with what it used and produced."""

    __tablename__ = "agent_runs"
    run_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    chat_thread_id: Mapped[str | None] = mapped_column(
        ForeignKey("chat_threads.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # chat | event
    trigger: Mapped[str] = mapped_column(String(64))  # "message" or the event type
    # An inbound event's own id, so a redelivered event does not start a second run.
    event_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    requester: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    intent: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(24), default="running")
    proposal_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    llm_calls: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    timings_ms: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    trace_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    # Set once the run's LangGraph checkpoints are deleted (``agents.retention``).
    checkpoint_deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class AgentSubmission(Base):
    """Which proposal an idempotency key produced: submitting twice returns the first."""

    __tablename__ = "agent_submissions"
    idempotency_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    run_key: Mapped[str] = mapped_column(String(120), index=True)
    proposal_id: Mapped[str] = mapped_column(String(64), index=True)
    proposal_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RaisedFlag(Base):
    """A project the copilot has raised a ``flag_risk`` proposal for; it is not raised again
    until the risk drops back. (Risks an approver confirmed are governance's ``risk_flags``.)"""

    __tablename__ = "agent_raised_flags"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    probability: Mapped[float] = mapped_column(Float)
    proposal_id: Mapped[str] = mapped_column(String(64))
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column()
