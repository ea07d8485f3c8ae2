"""The openai provider against a local OpenAI-compatible server, and the offline fallback.

Every failure of the configured model must leave the run working (on the offline provider)
and the fallback recorded where an approver and an auditor look: the run and the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from agents import runs
from agents.copilot import Copilot
from agents.llm import make_llm
from agents.llm.openai_provider import OpenAICompatibleLLM
from agents.ports import LLMError
from app.runtime import Runtime
from domain.db import unit_of_work
from prompts import load_prompt_book
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink
from tests.agents.firm import Firm
from tests.agents.openai_stub import Behaviour, StubState, openai_stub

STATUS = "draft this week's status for Northwind"
QUESTION = "how is Northwind doing?"


@pytest.fixture
def stub() -> Iterator[tuple[str, StubState]]:
    with openai_stub() as s:
        yield s


@pytest.fixture
def remote(
    stub: tuple[str, StubState],
    make_copilot: Callable[..., Copilot],
    talk_to: Callable[[Copilot], Conversation],
    sink: RecordingSink,
) -> Conversation:
    """The delivery manager talking to a copilot whose LLM is the stub server."""
    url, _ = stub
    llm = OpenAICompatibleLLM(
        model="stub-model", api_key="test", base_url=url, timeout_seconds=0.5, max_retries=0
    )
    return talk_to(make_copilot(llm=llm, proposals=sink))


def _status(remote: Conversation, sink: RecordingSink) -> dict:
    remote.say(STATUS)
    [summary] = sink.submitted
    return {"payload": summary.payload, "evidence": summary.evidence}


def test_a_structured_reply_from_the_model_is_used_and_recorded(
    remote: Conversation, stub: tuple[str, StubState], sink: RecordingSink
) -> None:
    _, state = stub
    text = "Northwind is green; UAT complete is due 2026-12-18."
    state.script = [Behaviour("json", {"text": text, "cited_fact_ids": []})]

    got = _status(remote, sink)

    assert got["payload"]["draft"] == text
    [call] = got["evidence"]["llm_calls"]
    assert call["provider"] == "openai" and call["fallback_reason"] is None
    prompt = load_prompt_book().get("status_summary")
    assert call["prompt"] == {
        "id": "status_summary",
        "version": prompt.version,
        "hash": prompt.sha256,
    }
    sent = state.requests[0]["body"]
    assert sent["model"] == "stub-model"
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["messages"][0]["content"] == prompt.system
    assert "UAT complete" in sent["messages"][1]["content"]  # the facts went to the model


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (Behaviour("malformed"), "ValidationError"),
        (Behaviour("json", {"text": "hi", "cited": []}), "ValidationError"),
        (Behaviour("json", {"text": "  ", "cited_fact_ids": []}), "ValidationError"),
        (Behaviour("error", status=500), "InternalServerError"),
        (Behaviour("error", status=429), "RateLimitError"),
        (Behaviour("refusal", "I can't help with that"), "LLMError"),
    ],
    ids=["malformed-json", "wrong-fields", "blank-draft", "http-500", "http-429", "refusal"],
)
def test_a_failed_structured_call_falls_back_to_offline_and_says_so(
    remote: Conversation,
    stub: tuple[str, StubState],
    sink: RecordingSink,
    runtime: Runtime,
    behaviour: Behaviour,
    reason: str,
) -> None:
    stub[1].script = [behaviour]

    got = _status(remote, sink)

    assert "22.5 hours logged by 3 people" in got["payload"]["draft"]  # the offline draft
    [call] = got["evidence"]["llm_calls"]
    assert call["provider"] == "offline" and call["requested_provider"] == "openai"
    assert call["fallback_reason"].startswith(reason)
    assert got["evidence"]["llm_fallback"] is True
    with unit_of_work(runtime.sessions) as s:
        run = runs.get_run(s, sink.submitted[0].run_links["run_key"])
        assert run is not None and run.llm_calls[0]["fallback_reason"].startswith(reason)


def test_a_model_that_stalls_is_abandoned_at_the_timeout(
    remote: Conversation, stub: tuple[str, StubState], sink: RecordingSink
) -> None:
    stub[1].script = [Behaviour("stall", seconds=3.0)]

    got = _status(remote, sink)

    # The model would answer after 3 s; a timeout error means the client gave up first
    # (at its 0.5 s), and one request means it did not try again.
    assert got["evidence"]["llm_calls"][0]["fallback_reason"].startswith("APITimeoutError")
    assert len(stub[1].requests) == 1


def test_a_text_answer_from_the_model_is_the_reply(
    remote: Conversation, stub: tuple[str, StubState], firm: Firm
) -> None:
    stub[1].script = [Behaviour("text", f"Northwind is on track [pj:{firm.northwind}].")]

    result = remote.say(QUESTION)

    assert result.reply == f"Northwind is on track [pj:{firm.northwind}]."


def test_a_failed_answer_falls_back_and_the_person_still_gets_one(
    remote: Conversation, stub: tuple[str, StubState], runtime: Runtime
) -> None:
    stub[1].script = [Behaviour("error", status=503)]

    result = remote.say(QUESTION)

    assert len(stub[1].requests) == 1  # the model was asked, and failed
    assert "300 of 800 budget hours" in result.reply  # the offline answer instead
    with unit_of_work(runtime.sessions) as s:
        run = runs.get_run(s, result.run_key)
        assert run is not None
        [call] = run.llm_calls
    assert call["requested_provider"] == "openai" and call["provider"] == "offline"
    assert call["fallback_reason"].startswith("InternalServerError")  # openai's name for a 503


def test_a_question_about_a_person_goes_to_the_model_with_their_facts_and_is_checked(
    remote: Conversation, stub: tuple[str, StubState], firm: Firm
) -> None:
    dora = firm.people["Dora Ivanova"]
    stub[1].script = [Behaviour("text", f"Dora has 12 hours free in March [av:{dora}].")]

    result = remote.say("Is Dora Ivanova free in March?")

    [request] = stub[1].requests
    sent = str(request["body"]["messages"])
    assert "Contoso Cloud Data Platform" in sent and "2027-03-31" in sent  # her facts, window
    assert result.reply.startswith(f"Dora has 12 hours free in March [av:{dora}].")
    assert "could not verify: number 12" in result.reply  # the facts say 0, not 12


def test_retries_follow_the_settings(stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.script = [Behaviour("error", status=500)]
    llm = make_llm("openai", base_url=url, api_key="k", timeout_seconds=1, max_retries=1)
    prompt = load_prompt_book().get("project_answer")

    with pytest.raises(Exception, match="stub failure"):
        llm.complete(
            prompt, {"question": "q", "project_name": "p", "client_name": "c", "facts": []}
        )
    assert len(state.requests) == 2


def test_the_openai_provider_refuses_to_start_without_a_key() -> None:
    with pytest.raises(LLMError, match="OPSCOPILOT_LLM__API_KEY"):
        make_llm("openai", api_key=None)
    with pytest.raises(ValueError, match="unknown LLM provider"):
        make_llm("claude-in-a-box")
