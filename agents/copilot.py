"""The copilot as the app uses it: the compiled graph, its checkpointer and its context.

One ``Copilot`` is built in the app's lifespan and shared by every request. It runs chat
turns (streamed or collected), proactive runs for inbound events, and resumes a run when an
approver decides one of its proposals.

Each chat turn and each event is its own LangGraph thread (``run_key``), so a turn waiting
for a decision never blocks the next message in the conversation; what carries from turn to
turn (the project in focus) lives on the chat thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Command
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agents import chat, inline_writes, memory, runs
from agents.checkpoint import open_checkpointer
from agents.context import Ctx
from agents.errors import AgentRunFailed
from agents.graph import build_graph
from agents.nodes.events import EVENT_INTENTS, event_project
from agents.ports import SYSTEM_REQUESTER, DecisionInfo, NullTrace, Requester, TraceHandle
from agents.state import ProposalRef, State
from domain.tables import Project, User

log = logging.getLogger(__name__)
Durability = Literal["sync", "async", "exit"]


@dataclass(frozen=True)
class TurnEvent:
    """One server-sent event of a run: node, proposal, message, done or error."""

    event: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Turn:
    """A chat turn whose user message is stored and whose run key is claimed."""

    run_key: str
    thread_id: str
    graph_input: State


@dataclass
class RunResult:
    run_key: str
    status: str  # done | awaiting_decision | failed | duplicate
    reply: str = ""
    proposals: list[ProposalRef] = field(default_factory=list)
    trace_id: str | None = None


class Copilot:
    """Owns the compiled graph, the checkpointer and the context every run gets."""

    def __init__(
        self,
        context: Ctx,
        checkpointer: BaseCheckpointSaver[Any],
        *,
        on_close: Callable[[], None] | None = None,
        durability: Durability = "exit",
        workers: int = 8,
    ) -> None:
        self.context = context
        self.checkpointer = checkpointer
        # "exit" writes one checkpoint when a run stops (done or interrupted): what a resume
        # needs, at a fraction of the cost of a checkpoint after every node.
        self.durability: Durability = durability
        # That one write then runs on the run's thread instead of two new ones (see there).
        self._inline_writes = durability == "exit" and inline_writes.install()
        self.graph = build_graph(checkpointer)
        self._on_close = on_close
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="copilot")
        # Two decisions on one run at once would resume the same interrupt twice; runs are
        # spread over a fixed set of locks, so the set does not grow with every run.
        self._resume_locks = [threading.Lock() for _ in range(64)]

    @classmethod
    def open(
        cls, context: Ctx, *, database_url: str, data_dir: Path, durability: Durability = "exit"
    ) -> Copilot:
        """A copilot with the checkpointer that matches the app's database."""
        store = open_checkpointer(database_url, data_dir)
        return cls(context, store.saver, on_close=store.close, durability=durability)

    def close(self) -> None:
        """Wait for runs in flight, write traces still queued, then release the checkpointer."""
        self._pool.shutdown(wait=True)
        flush = getattr(self.context.tracer, "flush", None)
        if callable(flush):
            flush()
        if self._on_close is not None:
            self._on_close()

    # --- chat -------------------------------------------------------------------------

    def start_turn(self, thread_id: str, requester: Requester, text: str) -> Turn:
        """Store the user's message and claim the turn; NotFound for someone else's thread."""
        # The message's embedding is computed on another core while the message is stored.
        self.context.classifier.prepare(text)
        with self.context.transaction() as session:
            turn, focus = chat.claim_turn(session, thread_id, requester.user_id)
            run_key = f"{thread_id}:{turn}"
            # The claim has just touched the thread row.
            chat.post_message(session, thread_id, "user", text, run_key=run_key, touch_thread=False)
            runs.start_run(
                session,
                run_key=run_key,
                kind="chat",
                trigger="message",
                requester=asdict(requester),
                chat_thread_id=thread_id,
            )
        graph_input: State = {
            "run_key": run_key,
            "chat_thread_id": thread_id,
            "message": text,
            "trigger": {"kind": "chat", "event_type": None, "payload": {}},
            "requester": asdict(requester),  # type: ignore[typeddict-item]
            "focus": focus,
        }
        return Turn(run_key=run_key, thread_id=thread_id, graph_input=graph_input)

    def stream(self, turn: Turn) -> Iterator[TurnEvent]:
        """The turn's events as they happen. The run goes on to the end in a worker even if
        the reader stops reading (a closed browser tab must not leave a half-run turn)."""
        events: queue.Queue[TurnEvent | None] = queue.Queue()

        def work() -> None:
            try:
                for e in self._events(turn.graph_input, turn.run_key):
                    events.put(e)
            finally:
                events.put(None)

        self._pool.submit(work)
        while (e := events.get()) is not None:
            yield e

    def run_turn(self, turn: Turn) -> RunResult:
        """Run a claimed turn to its end (or to its wait for a decision), in this thread."""
        return _collect(turn.run_key, self._events(turn.graph_input, turn.run_key))

    def chat(self, thread_id: str, requester: Requester, text: str) -> RunResult:
        """One chat turn: store the message, run, and return the reply and proposals."""
        return self.run_turn(self.start_turn(thread_id, requester, text))

    # --- events -----------------------------------------------------------------------

    def handle_event(
        self, event_type: str, payload: dict[str, Any], *, event_id: str | None = None
    ) -> RunResult | None:
        """A proactive run for an inbound event; None for event types the copilot ignores.

        An event delivered twice (same ``event_id``) runs once.
        """
        if event_type not in EVENT_INTENTS:
            return None
        event_id = event_id or (str(payload["event_id"]) if payload.get("event_id") else None)
        run_key = f"event:{uuid.uuid4().hex}"
        try:
            with self.context.transaction() as session:
                # The insert comes first: its unique event id is what stops a second run.
                runs.start_run(
                    session,
                    run_key=run_key,
                    kind="event",
                    trigger=event_type,
                    requester=asdict(SYSTEM_REQUESTER),
                    event_id=event_id,
                )
                thread_id = _alerts_thread(session, payload)
                runs.link_thread(session, run_key, thread_id)
        except IntegrityError:  # this event id has run before (or is running right now)
            with self.context.transaction() as session:
                prev = runs.run_for_event(session, event_id or "")
            return RunResult(run_key=prev.run_key if prev else "", status="duplicate")
        graph_input: State = {
            "run_key": run_key,
            "chat_thread_id": thread_id,
            "message": f"{event_type} event",
            "trigger": {"kind": "event", "event_type": event_type, "payload": payload},
            "requester": asdict(SYSTEM_REQUESTER),  # type: ignore[typeddict-item]
            "focus": {},
        }
        return _collect(run_key, self._events(graph_input, run_key))

    # --- decisions --------------------------------------------------------------------

    def waiting_for(self, run_key: str) -> list[str]:
        """Ids of the proposals the run is paused on (empty when it is not paused)."""
        snapshot = self.graph.get_state({"configurable": {"thread_id": run_key}})
        return [
            str(pid)
            for i in snapshot.interrupts
            if isinstance(i.value, dict)
            for pid in i.value.get("proposal_ids", [])
        ]

    def resume_after_decision(self, thread_id: str, decision: DecisionInfo) -> RunResult | None:
        """Resume the run ``thread_id`` with an approver's decision; it posts the outcome.

        None when that run is not waiting for this proposal (unknown run, already decided,
        or finished): resuming anyway would start the graph again from the beginning.
        """
        with self._resume_lock(thread_id):
            if decision.proposal_id not in self.waiting_for(thread_id):
                return None
            value = {
                **asdict(decision),
                "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
            }
            return _collect(thread_id, self._events(Command(resume=value), thread_id))

    def on_decision(self, decision: DecisionInfo) -> RunResult | None:
        """For a decision listener: resume whichever run of ours made the proposal."""
        with self.context.transaction() as session:
            run_key = memory.run_key_for_proposal(session, decision.proposal_id)
        return self.resume_after_decision(run_key, decision) if run_key else None

    def _resume_lock(self, run_key: str) -> threading.Lock:
        return self._resume_locks[zlib.crc32(run_key.encode()) % len(self._resume_locks)]

    # --- running ----------------------------------------------------------------------

    def _start_trace(self, run_key: str, graph_input: State | Command[Any]) -> TraceHandle:
        resumed = isinstance(graph_input, Command)
        try:
            return self.context.tracer.start(
                "copilot.resume" if resumed else "copilot.run",
                inputs={"run_key": run_key}
                | ({} if resumed else {"message": graph_input.get("message")}),  # type: ignore[union-attr]
                tags={"run_key": run_key},
            )
        except Exception:  # tracing must never stop a run
            log.exception("could not start a trace for %s", run_key)
            return NullTrace()

    def _events(self, graph_input: State | Command[Any], run_key: str) -> Iterator[TurnEvent]:
        trace = self._start_trace(run_key, graph_input)
        cfg: Any = {"configurable": {"thread_id": run_key}}
        if self._inline_writes:
            cfg["configurable"][inline_writes.INLINE_WRITES] = True
        if isinstance(graph_input, dict):
            graph_input = {**graph_input, "trace_id": trace.trace_id}
        outcome = _Outcome()
        try:
            # "values" gives the state after each step, so the run's end needs no read-back.
            stream: Iterator[tuple[str, Any]] = self.graph.stream(  # type: ignore[assignment]
                graph_input,
                cfg,
                context=self.context.with_trace(trace),
                stream_mode=["updates", "values"],
                durability=self.durability,
            )
            yield from _progress(stream, outcome)
            status = "awaiting_decision" if outcome.interrupted else "done"
            with self.context.transaction() as session:
                runs.finish_run(
                    session, run_key, status=status, values=outcome.values, trace_id=trace.trace_id
                )
        except Exception as exc:  # report, record, and end the stream cleanly
            log.exception("agent run %s failed", run_key)
            detail = f"{type(exc).__name__}: {exc}"[:500]
            self._record_failure(run_key, detail, trace.trace_id)
            trace.end(error=detail)
            yield TurnEvent(
                "error", {"error": "agent_run_failed", "detail": detail, "run_key": run_key}
            )
            return
        proposals = list(outcome.values.get("proposals", []))
        ids = [p["id"] for p in proposals]
        trace.end(outputs={"status": status, "proposal_ids": ids})
        reply = outcome.values.get("reply", "")
        yield TurnEvent("message", {"role": "assistant", "content": reply, "proposal_ids": ids})
        yield TurnEvent(
            "done",
            {
                "run_key": run_key,
                "status": status,
                "trace_id": trace.trace_id,
                "proposals": proposals,
            },
        )

    def _record_failure(self, run_key: str, detail: str, trace_id: str | None) -> None:
        try:
            with self.context.transaction() as session:
                runs.finish_run(
                    session, run_key, status="failed", values={}, trace_id=trace_id, error=detail
                )
        except Exception:  # the database may be what failed; the log has the error
            log.exception("could not record the failure of run %s", run_key)


@dataclass
class _Outcome:
    values: dict[str, Any] = field(default_factory=dict)
    interrupted: bool = False


def _progress(stream: Iterator[tuple[str, Any]], outcome: _Outcome) -> Iterator[TurnEvent]:
    """Node and proposal events from the graph's stream; its last state goes to ``outcome``."""
    seen: set[str] = set()
    for mode, chunk in stream:
        if mode == "values":
            outcome.values = dict(chunk)
            continue
        for node, delta in chunk.items():
            if node == "__interrupt__":
                outcome.interrupted = True
                continue
            delta = delta or {}
            yield TurnEvent("node", {"node": node, "ms": delta["timings_ms"][node]})
            for p in delta.get("proposals", []):
                if p["id"] not in seen:
                    seen.add(p["id"])
                    yield TurnEvent("proposal", dict(p))


def _collect(run_key: str, events: Iterator[TurnEvent]) -> RunResult:
    result = RunResult(run_key=run_key, status="failed")
    for e in events:
        if e.event == "message":
            result.reply = e.data["content"]
        elif e.event == "done":
            result.status = e.data["status"]
            result.proposals = e.data["proposals"]
            result.trace_id = e.data["trace_id"]
        elif e.event == "error":
            raise AgentRunFailed(e.data["detail"], extra={"run_key": run_key})
    return result


def _alerts_thread(session: Session, payload: dict[str, Any]) -> str | None:
    """The alerts thread of the project's delivery manager, if they have an account."""
    email = payload.get("delivery_manager_email")
    if not email and (project := event_project(session, payload)) is not None:
        email = session.scalar(
            select(Project.delivery_manager_email).where(Project.id == project["id"])
        )
    if not email:
        return None
    user = session.scalar(select(User).where(User.email == str(email).strip().lower(), User.active))
    return chat.alerts_thread(session, user.id).id if user else None
