"""Fixtures for the agent: a seeded firm, a delivery manager, copilots built on fakes, and
conversations between them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from agents import chat
from agents.context import build_context
from agents.copilot import Copilot
from agents.ports import Requester
from app.runtime import Runtime
from domain import users
from domain.db import unit_of_work
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink
from tests.agents.firm import DM_EMAIL, TODAY, Firm, seed_firm


def db_url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def firm(runtime: Runtime) -> Firm:
    with unit_of_work(runtime.sessions) as s:
        return seed_firm(s)


@pytest.fixture
def dm(runtime: Runtime, firm: Firm) -> Requester:
    """The delivery manager of the firm's projects, as a requester."""
    with unit_of_work(runtime.sessions) as s:
        u = users.create_user(s, email=DM_EMAIL, name="Dana", role="delivery_manager")
        return Requester(user_id=u.id, email=u.email, role=u.role, name=u.name)


@pytest.fixture
def thread_of(runtime: Runtime) -> Callable[[Requester], str]:
    def make(owner: Requester) -> str:
        with unit_of_work(runtime.sessions) as s:
            return chat.create_thread(s, owner.user_id, "test").id

    return make


@pytest.fixture
def talk_to(
    dm: Requester, thread_of: Callable[[Requester], str]
) -> Callable[[Copilot], Conversation]:
    """A new thread of the delivery manager with the given copilot."""
    return lambda copilot: Conversation(copilot, dm, thread_of(dm))


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def make_copilot(runtime: Runtime, committed_engine: Engine) -> Iterator[Callable[..., Copilot]]:
    """Build copilots on the test database; every collaborator can be overridden."""
    opened: list[Copilot] = []

    def make(**overrides: Any) -> Copilot:
        overrides.setdefault("clock", lambda: TODAY)
        ctx = build_context(runtime.sessions, **overrides)
        copilot = Copilot.open(
            ctx, database_url=db_url_of(committed_engine), data_dir=runtime.settings.data_dir
        )
        opened.append(copilot)
        return copilot

    yield make
    for c in opened:
        c.close()


@pytest.fixture
def copilot(make_copilot: Callable[..., Copilot], sink: RecordingSink) -> Copilot:
    """A copilot with database-only defaults and a recording proposal queue."""
    return make_copilot(proposals=sink)


@pytest.fixture
def conversation(copilot: Copilot, talk_to: Callable[[Copilot], Conversation]) -> Conversation:
    """The delivery manager in a new thread with ``copilot``."""
    return talk_to(copilot)
