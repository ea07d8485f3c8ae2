"""Who gets in, and what a person sees when something is wrong."""

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from domain import users
from domain.db import unit_of_work


def test_health_and_readiness_need_no_auth(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


def test_every_v1_route_needs_a_key(client: TestClient) -> None:
    """Every operation the API publishes under /v1, called without a key, with made-up ids
    and an empty body: refused as unauthorised before anything else is looked at."""
    operations = [
        (method, path)
        for path, ops in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        if path.startswith("/v1")
        for method in ops
    ]
    assert len(operations) >= 20  # the chat, queue, staffing, risk, events and metrics routes
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "1", path)
        r = client.request(method.upper(), url, json={})
        assert r.status_code == 401, f"{method.upper()} {path} answered {r.status_code}"
        assert r.json()["error"] == "unauthorized"
        assert "Bearer" in r.json()["detail"]


def test_a_valid_key_identifies_the_user(client: TestClient, make_user: Callable) -> None:
    user, headers = make_user("approver", practices=["Data & AI"])
    me = client.get("/v1/me", headers=headers).json()
    assert me["email"] == user.email
    assert me["role"] == "approver"
    assert me["practices"] == ["Data & AI"]


def test_a_wrong_or_revoked_key_is_refused(
    client: TestClient, make_user: Callable, runtime
) -> None:
    user, headers = make_user()
    assert client.get("/v1/me", headers={"Authorization": "Bearer ops_nope"}).status_code == 401
    with unit_of_work(runtime.sessions) as s:
        assert users.revoke_user(s, user.email) == 1
    assert client.get("/v1/me", headers=headers).status_code == 401


def test_keys_are_stored_hashed(runtime, make_user: Callable) -> None:
    from sqlalchemy import select

    from domain.tables import ApiKey

    _, headers = make_user()
    key = headers["Authorization"].split()[1]
    with unit_of_work(runtime.sessions) as s:
        stored = s.scalars(select(ApiKey.key_hash)).all()
    assert key not in stored
    assert users.hash_key(key) in stored


def test_unknown_ids_and_bad_params_say_what_to_fix(
    client: TestClient, make_user: Callable
) -> None:
    _, headers = make_user()
    r = client.get("/v1/projects/999999", headers=headers)
    assert r.status_code == 404
    assert r.json() == {
        "error": "not_found",
        "detail": "No project with id 999999",
        "kind": "project",
        "id": "999999",
    }

    r = client.get("/v1/projects?limit=0", headers=headers)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_input"
    assert body["problems"][0]["field"] == "limit"

    r = client.get("/v1/consultants/1/availability?start=2026-05-01&end=soon", headers=headers)
    assert r.status_code == 422
    assert "end" in r.json()["detail"]


def test_users_cannot_be_created_with_unknown_roles(runtime) -> None:
    from domain.errors import InvalidInput

    with (
        pytest.raises(InvalidInput, match="Unknown role 'boss'"),
        unit_of_work(runtime.sessions) as s,
    ):
        users.create_user(s, email="x@example.com", name="X", role="boss")
