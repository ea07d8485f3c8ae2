"""Fixtures for the page tests: sign a browser-like client in, a firm, a seeded queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.runtime import Runtime
from domain.db import unit_of_work
from domain.tables import User
from domain.types import utcnow
from governance.service import Governance
from tests.agents.firm import DM_EMAIL, Firm, seed_firm
from tests.web.seed import Queue, seed_queue

SignIn = Callable[..., User]
MakeUser = Callable[..., tuple[User, dict[str, str]]]


def login(
    client: TestClient, make_user: MakeUser, role: str = "approver", email: str | None = None,
    **scope: list[str],
) -> User:  # fmt: skip
    """Create a user and sign ``client`` in with the form, as a browser would."""
    user, headers = make_user(role, email=email, **scope)
    key = headers["Authorization"].removeprefix("Bearer ")
    client.cookies.clear()
    response = client.post("/signin", data={"api_key": key}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return user


@pytest.fixture
def gov() -> Governance:
    return Governance.load()


@pytest.fixture
def sign_in(client: TestClient, make_user: MakeUser) -> SignIn:
    """Sign the ``client`` fixture in as a new user of a role."""

    def do(role: str = "approver", email: str | None = None, **scope: list[str]) -> User:
        return login(client, make_user, role, email, **scope)

    return do


@pytest.fixture
def firm(runtime: Runtime) -> Firm:
    with unit_of_work(runtime.sessions) as s:
        return seed_firm(s)


@pytest.fixture
def queue(runtime: Runtime, firm: Firm, gov: Governance) -> Queue:
    """Five pending proposals requested by the firm's delivery manager; no history."""
    with unit_of_work(runtime.sessions) as s:
        return seed_queue(s, gov, firm, requested_by=DM_EMAIL, now=utcnow(), history=False)
