"""Structured replies the agent asks language models for."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


class StatusDraft(BaseModel):
    """A status summary and the ids of the facts it cites.

    Limits are checked by validators rather than schema keywords: strict structured-output
    schemas reject keywords such as ``maxLength`` on some OpenAI-compatible servers.
    """

    model_config = ConfigDict(extra="forbid")

    text: str
    cited_fact_ids: list[str]

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the draft is empty")
        if len(v) > 4000:
            raise ValueError("the draft is longer than 4000 characters")
        return v.strip()
