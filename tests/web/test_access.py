"""Each role opens its pages, sees only those in the navigation, and gets a 403 page elsewhere."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SignIn

PAGES = {"/chat": "Chat", "/inbox": "Approvals", "/metrics": "Metrics", "/portfolio": "Portfolio"}
ALLOWED = {
    "delivery_manager": {"/chat", "/portfolio"},
    "approver": {"/inbox", "/portfolio"},
    "data_scientist": {"/inbox", "/metrics", "/portfolio"},
    "admin": set(PAGES),
}


def _nav(html: str) -> set[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert nav is not None
    return set(re.findall(r'href="(/[a-z]+)"', nav.group(0)))


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_opens_exactly_its_pages(client: TestClient, sign_in: SignIn, role: str) -> None:
    sign_in(role)
    for path in PAGES:
        response = client.get(path)
        if path in ALLOWED[role]:
            assert response.status_code == 200, (role, path)
            assert _nav(response.text) == ALLOWED[role]
        else:
            assert response.status_code == 403, (role, path)


def test_a_forbidden_page_is_a_page_not_json(client: TestClient, sign_in: SignIn) -> None:
    sign_in("delivery_manager")
    response = client.get("/inbox")

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "You do not have access to this page" in response.text
    assert "The Approvals page is for" in response.text
    assert "delivery manager" in response.text
    assert 'action="/signout"' in response.text  # offer to switch user
    assert _nav(response.text) == ALLOWED["delivery_manager"]


def test_the_landing_page_sends_each_role_home(client: TestClient, sign_in: SignIn) -> None:
    homes = {"delivery_manager": "/chat", "approver": "/inbox", "data_scientist": "/metrics"}
    for role, home in homes.items():
        sign_in(role)
        response = client.get("/", follow_redirects=False)
        assert response.headers["location"] == home


def test_unknown_ids_render_a_not_found_page(client: TestClient, sign_in: SignIn) -> None:
    sign_in("approver")
    for path in ("/inbox/proposals/999999", "/inbox/proposals/not-a-number"):
        response = client.get(path)
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
        assert "Nothing here" in response.text


def test_pages_are_not_cached_and_assets_are_served_locally(
    client: TestClient, sign_in: SignIn
) -> None:
    sign_in("approver")
    page = client.get("/inbox")
    assert page.headers["cache-control"] == "no-store"
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    assert {a.split("?")[0] for a in assets} == {
        "/static/app.css",
        "/static/app.js",
        "/static/favicon.svg",
    }
    for asset in assets:
        assert client.get(asset).status_code == 200
    assert "http://" not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page.text
