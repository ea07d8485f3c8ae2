"""Any OpenAI-compatible chat endpoint, through the official ``openai`` SDK.

Structured replies use ``chat.completions.parse`` with a pydantic model, which sends a strict
JSON schema and validates the reply. Every failure (HTTP error, timeout, refusal, empty or
invalid reply) raises; ``agents.llm.calls`` turns that into a recorded fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from openai import OpenAI
from pydantic import BaseModel

from agents.ports import LLMError
from prompts import Prompt

T = TypeVar("T", bound=BaseModel)


class OpenAICompatibleLLM:
    """Implements ``agents.ports.LLM`` over an OpenAI-compatible API."""

    provider = "openai"

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout_seconds: float = 20.0,
        max_retries: int = 1,
        client: OpenAI | None = None,
    ) -> None:
        if not api_key:
            raise LLMError(
                "the openai provider needs an API key (OPSCOPILOT_LLM__API_KEY); "
                "any non-empty value works for servers that do not check it"
            )
        self.model = model
        self._client = client or OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_seconds, max_retries=max_retries
        )

    def generate(self, prompt: Prompt, variables: Mapping[str, Any], schema: type[T]) -> T:
        """The reply parsed into ``schema``; pydantic's ValidationError on a bad reply."""
        completion = self._client.chat.completions.parse(
            model=self.model,
            messages=prompt.render(variables),  # type: ignore[arg-type]
            response_format=schema,
            temperature=0,
        )
        message = completion.choices[0].message
        if message.refusal:
            raise LLMError(f"the model refused: {message.refusal[:200]}")
        if message.parsed is None:
            raise LLMError("the model returned no structured content")
        return message.parsed

    def complete(self, prompt: Prompt, variables: Mapping[str, Any]) -> str:
        """The reply's text; an empty reply is an error."""
        completion = self._client.chat.completions.create(
            model=self.model,
            messages=prompt.render(variables),  # type: ignore[arg-type]
            temperature=0,
        )
        content = completion.choices[0].message.content
        if not content or not content.strip():
            raise LLMError("the model returned an empty reply")
        return content.strip()
