"""Call the configured model with a fallback to the offline provider, and record the call.

A node never talks to a provider directly. Whatever goes wrong with the configured model (an
HTTP error, a timeout, malformed JSON, a reply that does not validate, a bug in an adapter),
the run carries on with the offline provider, and the call record says what happened and why,
so it reaches the run and the proposal's evidence.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from agents.context import Ctx
from agents.ports import LLM
from agents.state import LLMCall
from prompts import Prompt

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
log = logging.getLogger(__name__)


def generate(
    ctx: Ctx, prompt_id: str, variables: Mapping[str, Any], schema: type[T]
) -> tuple[T, LLMCall]:
    """A structured reply from the configured model, or from the offline one if it fails."""
    return _call(ctx, prompt_id, lambda llm, p: llm.generate(p, variables, schema))


def complete(ctx: Ctx, prompt_id: str, variables: Mapping[str, Any]) -> tuple[str, LLMCall]:
    """A text reply from the configured model, or from the offline one if it fails."""
    return _call(ctx, prompt_id, lambda llm, p: llm.complete(p, variables))


def _call(ctx: Ctx, prompt_id: str, run: Callable[[LLM, Prompt], R]) -> tuple[R, LLMCall]:
    prompt = ctx.prompts.get(prompt_id)
    started = time.perf_counter()
    reason: str | None = None
    used = ctx.llm
    with ctx.trace.span(f"llm.{prompt_id}", span_type="CHAT_MODEL") as span:
        span.set_attribute("prompt", prompt.ref)
        try:
            result = run(ctx.llm, prompt)
        except Exception as exc:  # any failure of the configured model means: fall back
            if ctx.llm is ctx.offline:
                raise
            reason = f"{type(exc).__name__}: {str(exc)[:300]}"
            log.warning(
                "LLM %s failed for prompt %s; using offline: %s",
                ctx.llm.provider,
                prompt_id,
                reason,
            )
            used = ctx.offline
            result = run(ctx.offline, prompt)
        span.set_attribute("provider", used.provider)
        span.set_attribute("fallback_reason", reason)
    call: LLMCall = {
        "prompt": prompt.ref,
        "provider": used.provider,
        "model": used.model,
        "requested_provider": ctx.llm.provider,
        "fallback_reason": reason,
        "ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return result, call
