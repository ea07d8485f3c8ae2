"""Language-model providers behind ``agents.ports.LLM``: ``offline`` (default) and ``openai``."""

from __future__ import annotations

from agents.llm.offline import OfflineLLM
from agents.ports import LLM


def make_llm(
    provider: str,
    *,
    model: str = "gpt-4o-mini",
    base_url: str | None = None,
    api_key: str | None = None,
    timeout_seconds: float = 20.0,
    max_retries: int = 1,
) -> LLM:
    """The provider named by settings; ``offline`` needs none of the other arguments."""
    if provider == "offline":
        return OfflineLLM()
    if provider == "openai":
        from agents.llm.openai_provider import OpenAICompatibleLLM

        return OpenAICompatibleLLM(
            model=model,
            api_key=api_key or "",
            base_url=base_url,
            timeout_seconds=timeout_seconds,
            max_retries=max_retries,
        )
    raise ValueError(f"unknown LLM provider {provider!r}; use 'offline' or 'openai'")


__all__ = ["OfflineLLM", "make_llm"]
