"""A run's closing checkpoint written on the run's own thread, not on two new threads.

With ``durability="exit"`` a run saves its checkpoint and its pending writes once, as it
stops. LangGraph hands both to a thread pool it creates for that run alone, so every run
starts two threads and then waits for them before ``stream`` returns. The run gains nothing
from them: it waits anyway, and the saver takes them one at a time. On two cores starting
the threads cost a chat turn about 1 ms at the median (``bench/copilot.py``; 5-6% of the
request handler's samples in py-spy were in ``Thread.start`` and the waits around it).

``install()`` replaces the factory LangGraph's background executor gets its pool from, once
per process. A run whose config carries ``INLINE_WRITES`` gets an executor that runs the
checkpointer's calls as they are submitted and gives anything else (parallel branches, the
waiter of a "custom" stream) to a thread pool, created on first use, as LangGraph would.
Every other run gets LangGraph's own pool. If a LangGraph release moves the factory,
``install()`` logs it and runs keep the threads: slower, never wrong.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextvars
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.runnables.config import ContextThreadPoolExecutor
from langgraph.checkpoint.base import BaseCheckpointSaver

log = logging.getLogger(__name__)

# A key of the run's ``configurable``; leading underscores keep it out of checkpoint metadata.
INLINE_WRITES = "__opscopilot_inline_checkpoint_writes"
_PUT_AFTER_PREVIOUS = "_checkpointer_put_after_previous"  # the loop's method that calls put()


def is_checkpoint_write(fn: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    """True for a saver's own call, as LangGraph submits it: ``ctx.run(call, ...)``."""
    if not isinstance(getattr(fn, "__self__", None), contextvars.Context) or not args:
        return False
    call = args[0]
    owner = getattr(call, "__self__", None)
    return isinstance(owner, BaseCheckpointSaver) or (
        owner is not None and getattr(call, "__name__", "") == _PUT_AFTER_PREVIOUS
    )


class InlineCheckpointWrites(cf.Executor):
    """Runs checkpoint writes at once on the caller's thread; threads for everything else."""

    def __init__(self, max_workers: int | None = None) -> None:
        self._max_workers = max_workers
        self._pool: cf.ThreadPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        if not is_checkpoint_write(fn, args):
            if self._pool is None:
                self._pool = ContextThreadPoolExecutor(max_workers=self._max_workers)
            return self._pool.submit(fn, *args, **kwargs)
        done: cf.Future[Any] = cf.Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # the run's exit re-raises it, as with a thread
            done.set_exception(exc)
        return done

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def install() -> bool:
    """Route runs marked with ``INLINE_WRITES`` to ``InlineCheckpointWrites``; idempotent.

    False (and a warning) if this LangGraph has no such factory to replace.
    """
    try:
        from langgraph.pregel import _executor
    except ImportError:
        _executor = None  # type: ignore[assignment]
    original = getattr(_executor, "get_executor_for_config", None)
    if original is None:
        log.warning("this LangGraph has no executor factory to replace; checkpoint writes stay "
                    "on their own threads")  # fmt: skip
        return False
    if getattr(original, "inline_checkpoint_writes", False):
        return True

    @contextmanager
    def executor_for(config: Any) -> Iterator[cf.Executor]:
        if not ((config or {}).get("configurable") or {}).get(INLINE_WRITES):
            with original(config) as executor:
                yield executor
            return
        executor = InlineCheckpointWrites((config or {}).get("max_concurrency"))
        try:
            yield executor
        finally:
            executor.shutdown(wait=True)

    executor_for.inline_checkpoint_writes = True  # type: ignore[attr-defined]
    _executor.get_executor_for_config = executor_for  # type: ignore[assignment]
    return True
