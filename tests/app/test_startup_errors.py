"""A copilot that cannot start leaves the server up: chat says why with a 503, the rest works."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime import Runtime
from app.settings import LLMSettings


def test_an_llm_setting_left_out_keeps_the_server_up_and_chat_says_what_to_fix(
    runtime: Runtime,
    make_user: Callable[..., tuple[Any, dict[str, str]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # OPSCOPILOT_LLM__PROVIDER=openai without OPSCOPILOT_LLM__API_KEY.
    settings = runtime.settings.model_copy(update={"llm": LLMSettings(provider="openai")})
    _, headers = make_user("delivery_manager")

    with (
        caplog.at_level(logging.ERROR, logger="app.loaders.copilot"),
        TestClient(create_app(runtime=replace(runtime, settings=settings))) as c,
    ):
        threads = c.get("/v1/chat/threads", headers=headers)
        thread = c.post("/v1/chat/threads", json={"title": "t"}, headers=headers).json()["id"]
        chat = c.post(
            f"/v1/chat/threads/{thread}/messages", json={"content": "hi"}, headers=headers
        )
        proposals = c.get("/v1/proposals", headers=headers)

    assert chat.status_code == 503
    assert chat.json()["error"] == "copilot_unavailable"
    assert "OPSCOPILOT_LLM__API_KEY" in chat.json()["detail"]
    assert threads.status_code == 200 and proposals.status_code == 200
    logged = [r for r in caplog.records if r.name == "app.loaders.copilot"]
    assert len(logged) == 1 and logged[0].exc_info is None  # one line, no traceback
    assert "OPSCOPILOT_LLM__API_KEY" in logged[0].getMessage()
