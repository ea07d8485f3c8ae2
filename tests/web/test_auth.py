"""Signing in with an API key, the session cookie, signing out."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.runtime import Runtime
from domain import users
from domain.db import unit_of_work
from domain.tables import User
from tests.web.conftest import SignIn

COOKIE = "opscopilot_session"


def test_pages_redirect_to_sign_in_and_back(
    client: TestClient, make_user: Callable[..., tuple[User, dict[str, str]]]
) -> None:
    response = client.get("/inbox?type=flag_risk", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Finbox%3Ftype%3Dflag_risk"

    _, headers = make_user("approver")
    key = headers["Authorization"].removeprefix("Bearer ")
    signed = client.post(
        "/signin", data={"api_key": key, "next": "/inbox?type=flag_risk"}, follow_redirects=False
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/inbox?type=flag_risk"
    assert client.get("/inbox?type=flag_risk").status_code == 200


def test_the_session_cookie_is_http_only_and_same_site_lax(
    client: TestClient, make_user: Callable[..., tuple[User, dict[str, str]]]
) -> None:
    _, headers = make_user("delivery_manager")
    key = headers["Authorization"].removeprefix("Bearer ")
    response = client.post("/signin", data={"api_key": key}, follow_redirects=False)

    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={key};")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie  # the settings' 12 hours
    assert response.headers["location"] == "/chat"  # a delivery manager's start page


def test_the_cookie_also_authenticates_the_json_api(client: TestClient, sign_in: SignIn) -> None:
    user = sign_in("approver")
    me = client.get("/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == user.email


def test_a_wrong_key_shows_the_form_again_with_a_message(client: TestClient) -> None:
    response = client.post("/signin", data={"api_key": "ops_not-a-key"})
    assert response.status_code == 401
    assert "text/html" in response.headers["content-type"]
    assert "not valid or has been revoked" in response.text
    assert COOKIE not in response.headers.get("set-cookie", "")

    empty = client.post("/signin", data={"api_key": "  "})
    assert empty.status_code == 401
    assert "Enter your API key" in empty.text


def test_next_never_leaves_the_site(
    client: TestClient, make_user: Callable[..., tuple[User, dict[str, str]]]
) -> None:
    _, headers = make_user("approver")
    key = headers["Authorization"].removeprefix("Bearer ")
    for target in ("//evil.example/x", "https://evil.example", "\\\\evil.example"):
        client.cookies.clear()
        response = client.post(
            "/signin", data={"api_key": key, "next": target}, follow_redirects=False
        )
        assert response.headers["location"] == "/inbox"


def test_sign_out_clears_the_cookie(client: TestClient, sign_in: SignIn) -> None:
    sign_in("approver")
    response = client.post("/signout", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    assert f'{COOKIE}=""' in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_a_revoked_key_ends_the_session(
    client: TestClient, sign_in: SignIn, runtime: Runtime
) -> None:
    user = sign_in("approver")
    with unit_of_work(runtime.sessions) as s:
        users.revoke_user(s, user.email)

    response = client.get("/inbox", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Finbox&expired=1"
    assert "Your session has ended" in client.get(response.headers["location"]).text


def test_signed_in_people_skip_the_form(client: TestClient, sign_in: SignIn) -> None:
    sign_in("data_scientist")
    response = client.get("/signin", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/metrics"


def test_forms_posted_from_another_site_are_refused(client: TestClient, sign_in: SignIn) -> None:
    sign_in("delivery_manager")
    response = client.post(
        "/chat/threads",
        data={"message": "hello"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "posted from another site" in response.text
