"""A run's closing checkpoint is written on the run's own thread, and nothing else changes."""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterator
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.types import Send

from agents import inline_writes
from agents.copilot import Copilot
from agents.ports import DecisionInfo
from tests.agents.conversation import Conversation
from tests.agents.test_human_in_the_loop import STAFFING


@pytest.fixture
def pool_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Names of unnamed thread-pool threads started meanwhile (LangGraph's pools are unnamed;
    the copilot's own workers are called ``copilot_N``)."""
    started: list[str] = []
    start = threading.Thread.start

    def counting(self: threading.Thread) -> None:
        if self.name.startswith("ThreadPoolExecutor-"):
            started.append(self.name)
        start(self)

    monkeypatch.setattr(threading.Thread, "start", counting)
    yield started


def test_a_run_that_waits_for_a_decision_starts_no_threads_and_still_resumes(
    conversation: Conversation, copilot: Copilot, pool_threads: list[str]
) -> None:
    first = conversation.say(STAFFING)

    assert pool_threads == []  # LangGraph alone starts two per run for these writes
    [proposal] = first.proposals
    assert copilot.waiting_for(first.run_key) == [proposal["id"]]  # the checkpoint is there
    resumed = copilot.resume_after_decision(
        first.run_key, DecisionInfo(proposal["id"], "accepted", "rita@example.com")
    )
    assert resumed is not None and resumed.status == "done"
    assert copilot.waiting_for(first.run_key) == []


class Fan(TypedDict):
    items: list[int]
    seen: Annotated[list[int], operator.add]


def _fan_out_graph(saver: Any) -> Any:
    """Two branches in one step, each streaming a custom event: work LangGraph must still
    run on threads (a branch, the custom stream's waiter) next to the inline writes."""
    g: StateGraph[Fan, None, Fan, Fan] = StateGraph(Fan)

    def double(state: dict[str, Any]) -> dict[str, Any]:
        get_stream_writer()({"doubled": state["n"] * 2})
        return {"seen": [state["n"] * 2]}

    g.add_node("double", double)  # type: ignore[call-overload]
    g.add_conditional_edges(START, lambda s: [Send("double", {"n": n}) for n in s["items"]])
    return g.compile(checkpointer=saver)


def _stream_in_time(graph: Any, config: dict[str, Any]) -> list[Any]:
    """The run's chunks; fails instead of hanging if the run deadlocks."""
    out: list[Any] = []
    runner = threading.Thread(
        target=lambda: out.extend(
            graph.stream(
                {"items": [1, 2, 3], "seen": []},
                config,
                stream_mode=["custom", "values"],
                durability="exit",
            )
        ),
        daemon=True,
    )
    runner.start()
    runner.join(timeout=20)
    assert not runner.is_alive(), "the run did not finish"
    return out


def test_the_thread_count_sees_langgraph_start_its_threads(pool_threads: list[str]) -> None:
    """The control for the test above: without the marker the same kind of run does start
    LangGraph's threads, and ``pool_threads`` sees them."""
    assert inline_writes.install()
    graph = _fan_out_graph(InMemorySaver())

    list(graph.stream({"items": [1], "seen": []}, {"configurable": {"thread_id": "c"}},
                      durability="exit"))  # fmt: skip

    assert pool_threads  # the closing checkpoint's writes, on new threads


def test_parallel_branches_and_custom_streams_still_work_with_inline_writes() -> None:
    assert inline_writes.install()
    saver = InMemorySaver()
    config = {"configurable": {"thread_id": "fan", inline_writes.INLINE_WRITES: True}}

    chunks = _stream_in_time(_fan_out_graph(saver), config)

    custom = sorted(c["doubled"] for mode, c in chunks if mode == "custom")
    assert custom == [2, 4, 6]
    assert sorted(chunks[-1][1]["seen"]) == [2, 4, 6]
    saved = saver.get_tuple({"configurable": {"thread_id": "fan"}})
    assert saved is not None and sorted(saved.checkpoint["channel_values"]["seen"]) == [2, 4, 6]
    # The marker stays out of what the checkpoint records about the run.
    assert inline_writes.INLINE_WRITES not in saved.metadata


class BrokenSaver(InMemorySaver):
    def put(self, *args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")


def test_a_checkpoint_that_cannot_be_written_still_fails_the_run() -> None:
    assert inline_writes.install()
    config = {"configurable": {"thread_id": "broken", inline_writes.INLINE_WRITES: True}}

    with pytest.raises(OSError, match="disk full"):
        list(
            _fan_out_graph(BrokenSaver()).stream(
                {"items": [1], "seen": []}, config, durability="exit"
            )
        )
