"""Input the database cannot hold is a 422 naming the field, never a 500, and stores nothing.

Ids beyond PostgreSQL's ``integer``, NaN and infinite numbers, NUL characters, dates near year
1 or 9999, search text long enough to choke SQLite's LIKE, and a body that is not JSON.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from agents.tables import ChatThread
from app.main import create_app
from app.runtime import Runtime
from app.services import Services
from domain.db import unit_of_work
from domain.tables import Assignment
from domain.types import utcnow
from governance.service import Governance
from governance.tables import Decision, InboundEvent, Proposal
from tests import factories
from tests.agents.firm import DM_EMAIL, Firm, seed_firm
from tests.web.seed import Queue, seed_queue

H = dict[str, str]
INT4_PLUS_1 = 2**31
INT8_PLUS_1 = 2**63
HUGE_IDS = [INT4_PLUS_1, INT8_PLUS_1, 10**30]


@dataclass
class World:
    client: TestClient
    firm: Firm
    queue: Queue
    admin: H
    approver: H
    dm: H
    scientist: H


@pytest.fixture
def world(runtime: Runtime, make_user: Callable[..., Any]) -> Iterator[World]:
    """The firm, a pending proposal of every type, and the app (no staffing recommender: every
    staffing request here is refused before one would be asked)."""
    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        firm = seed_firm(s)
        queue = seed_queue(s, gov, firm, requested_by=DM_EMAIL, now=utcnow(), history=False)
    _, admin = make_user("admin")
    _, approver = make_user("approver")
    _, dm = make_user("delivery_manager", email=DM_EMAIL)
    _, scientist = make_user("data_scientist")
    app = create_app(runtime=runtime, services=Services())
    with TestClient(app) as c:
        yield World(c, firm, queue, admin, approver, dm, scientist)


def stored(runtime: Runtime) -> dict[str, int]:
    """Row counts a refused request must leave as they were."""
    with unit_of_work(runtime.sessions) as s:
        return {
            t.__name__: s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Proposal, Decision, InboundEvent, ChatThread, Assignment)
        }


def refused(r: Any, field: str) -> str:
    """The response is a 422 whose message names ``field``; returns the message."""
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "invalid_input", body
    assert field in body["detail"], body
    return str(body["detail"])


def pending(w: World, pid: int) -> None:
    p = w.client.get(f"/v1/proposals/{pid}", headers=w.admin).json()
    assert (p["status"], p["decision"]) == ("pending", None)


def cursor(before: object) -> str:
    return base64.urlsafe_b64encode(json.dumps({"before": before}).encode()).decode().rstrip("=")


STAFFING = {
    "role": "Data Engineer",
    "required_skills": [{"name": "Spark", "min_level": 3}],
    "hours_per_week": 20,
    "start": "2027-03-01",
    "end": "2027-06-30",
}


# -- ids larger than an id column -----------------------------------------------------------


@pytest.mark.parametrize("big", HUGE_IDS)
def test_huge_ids_in_the_address_are_refused_by_name(
    world: World, runtime: Runtime, big: int
) -> None:
    w = world
    before = stored(runtime)
    get = [
        (f"/v1/projects/{big}", "project_id"),
        (f"/v1/consultants/{big}", "consultant_id"),
        (f"/v1/consultants/{big}/availability?start=2027-01-04&end=2027-01-29", "consultant_id"),
        (f"/v1/proposals/{big}", "proposal_id"),
        (f"/v1/projects/{big}/risk", "project_id"),
        (f"/v1/projects?offset={big}", "offset"),
        (f"/v1/consultants?offset={big}", "offset"),
        (f"/v1/proposals?project_id={big}", "project_id"),
        (f"/v1/proposals?cursor={cursor(big)}", "cursor"),
    ]
    for url, field in get:
        message = refused(w.client.get(url, headers=w.admin), field)
        assert "less than or equal" in message or "not a cursor" in message, (url, message)
    decide = {"action": "reject", "reason_code": "false_positive"}
    r = w.client.post(f"/v1/proposals/{big}/decision", json=decide, headers=w.admin)
    refused(r, "proposal_id")
    assert stored(runtime) == before


def test_the_largest_id_is_simply_not_found(world: World) -> None:
    w = world
    assert w.client.get(f"/v1/projects/{2**31 - 1}", headers=w.admin).status_code == 404
    assert w.client.get(f"/v1/proposals/{2**31 - 1}", headers=w.admin).status_code == 404
    assert w.client.get("/v1/proposals?project_id=2147483647", headers=w.admin).json() == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize("big", HUGE_IDS)
def test_huge_ids_in_a_body_are_refused_by_name(world: World, runtime: Runtime, big: int) -> None:
    w = world
    before = stored(runtime)
    change = {"project_id": big, "title": "Extra", "scope_delta": "More", "estimated_hours": 8}
    r = w.client.post(
        "/v1/proposals",
        json={"type": "raise_change_request", "payload": change},
        headers=w.admin,
    )
    assert "project_id" in refused(r, "payload")

    staff = {
        "project_id": w.firm.contoso, "role": "Data Engineer", "hours_per_week": 10,
        "start_date": "2027-01-04", "end_date": "2027-02-26",
        "candidates": [{"consultant_id": big, "name": "Nobody", "score": 0.5}],
    }  # fmt: skip
    r = w.client.post(
        "/v1/proposals", json={"type": "assign_staff", "payload": staff}, headers=w.admin
    )
    assert "consultant_id" in refused(r, "payload")

    override = {"action": "override", "reason_code": "client_preference", "choice": big}
    r = w.client.post(f"/v1/proposals/{w.queue.staff}/decision", json=override, headers=w.admin)
    refused(r, "choice")

    detail = w.client.get(f"/v1/proposals/{w.queue.change}", headers=w.admin).json()
    edited = {**detail["payload"], "project_id": big}
    edit = {"action": "accept_with_edits", "reason_code": "estimate_too_low",
            "edited_payload": edited}  # fmt: skip
    r = w.client.post(f"/v1/proposals/{w.queue.change}/decision", json=edit, headers=w.admin)
    assert "project_id" in refused(r, "edited_payload")

    r = w.client.post("/v1/staffing/search", json={**STAFFING, "project_id": big}, headers=w.dm)
    refused(r, "project_id")
    someone = w.firm.people["Ana Costa"]
    for a, b, field in ((big, someone, "a"), (someone, big, "b")):
        r = w.client.post(
            "/v1/staffing/explain", json={"request": STAFFING, "a": a, "b": b}, headers=w.dm
        )
        refused(r, field)

    assert stored(runtime) == before
    pending(w, w.queue.staff)
    pending(w, w.queue.change)


# -- NaN, infinity and numbers too large to compute with ------------------------------------


STATUS = {
    "project_external_id": "PRJ-NW",
    "author": "Dana",
    "note_date": "2027-01-04",
    "rag": "green",
    "text": "On track",
}


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_an_event_are_refused_before_it_is_hashed(
    world: World, runtime: Runtime, bad: str
) -> None:
    w = world
    before = stored(runtime)
    status = json.dumps({"type": "status.updated", "id": "ev-1", "data": STATUS})
    status = status.replace('"rag"', f'"percent_complete": {bad}, "rag"')
    unknown = f'{{"type": "invoice.paid", "id": "ev-2", "data": {{"budget_hours": {bad}}}}}'
    for body in (status, unknown):
        r = w.client.post(
            "/v1/events",
            content=body,
            headers={**w.admin, "Content-Type": "application/json"},
        )
        assert "percent_complete" in refused(r, "data") or "budget_hours" in r.text
    assert stored(runtime) == before


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "1e308", "1e400"])
def test_non_finite_or_absurd_hours_in_a_decision_or_proposal_are_refused(
    world: World, runtime: Runtime, bad: str
) -> None:
    w = world
    before = stored(runtime)
    headers = {**w.admin, "Content-Type": "application/json"}
    override = f'{{"action": "override", "reason_code": "estimate_too_low", "choice": {bad}}}'
    r = w.client.post(f"/v1/proposals/{w.queue.change}/decision", content=override,
                      headers=headers)  # fmt: skip
    refused(r, "choice")

    payload = (
        f'{{"project_id": {w.firm.fabrikam_support}, "title": "More", "scope_delta": "More", '
        f'"estimated_hours": {bad}}}'
    )
    r = w.client.post(
        "/v1/proposals",
        content=f'{{"type": "raise_change_request", "payload": {payload}}}',
        headers=headers,
    )
    assert "estimated_hours" in refused(r, "payload")
    assert stored(runtime) == before
    pending(w, w.queue.change)


def test_event_hours_and_money_have_sensible_upper_bounds(world: World, runtime: Runtime) -> None:
    w = world
    before = stored(runtime)
    project = {
        "external_id": "PRJ-BIG", "name": "Big", "client": "Contoso Ltd",
        "engagement_type": "advisory", "contract_type": "fixed_fee", "practice": "Data & AI",
        "region": "EMEA", "budget_hours": 5e6, "budget_amount": 5e12, "bill_rate": 150,
        "start_date": "2027-01-04", "end_date": "2027-06-30",
    }  # fmt: skip
    r = w.client.post(
        "/v1/events", json={"type": "project.created", "id": "big-1", "data": project},
        headers=w.admin,
    )  # fmt: skip
    message = refused(r, "budget_hours")
    assert "budget_amount" in message
    assert stored(runtime) == before


# -- NUL characters, which PostgreSQL text cannot hold ---------------------------------------


def test_nul_characters_are_refused_by_name(world: World, runtime: Runtime) -> None:
    w = world
    before = stored(runtime)
    r = w.client.post("/v1/chat/threads", json={"title": "a\x00b"}, headers=w.dm)
    assert "NUL" in refused(r, "title")

    r = w.client.post(
        "/v1/events", json={"type": "status.updated", "id": "e\x00v", "data": STATUS},
        headers=w.admin,
    )  # fmt: skip
    refused(r, "id")
    r = w.client.post(
        "/v1/events",
        json={"type": "status.updated", "id": "ev-3", "data": {**STATUS, "text": "on\x00track"}},
        headers=w.admin,
    )
    assert "text" in refused(r, "data")

    flag = {"project_id": w.firm.northwind, "probability": 0.6, "severity": "high"}
    for extra, field in (
        ({"evidence": {"summary": "see\x00here"}}, "evidence"),
        ({"evidence": {"summary": "ok", "note": "x\x00"}}, "evidence"),
        ({"requested_by": "dm\x00@firm.example"}, "requested_by"),
    ):
        r = w.client.post(
            "/v1/proposals", json={"type": "flag_risk", "payload": flag, **extra},
            headers=w.admin,
        )  # fmt: skip
        refused(r, field)

    reject = {"action": "reject", "reason_code": "false_positive", "note": "no\x00pe"}
    r = w.client.post(f"/v1/proposals/{w.queue.risk}/decision", json=reject, headers=w.admin)
    refused(r, "note")

    refused(w.client.get("/v1/projects", params={"q": "\x00"}, headers=w.admin), "q")
    refused(w.client.get("/v1/proposals", params={"practice": "\x00"}, headers=w.admin),
            "practice")  # fmt: skip
    assert stored(runtime) == before
    pending(w, w.queue.risk)


# -- dates far from today --------------------------------------------------------------------


def test_dates_outside_a_sane_window_are_refused_by_name(world: World) -> None:
    w = world
    ana = w.firm.people["Ana Costa"]
    r = w.client.get(
        f"/v1/consultants/{ana}/availability?start=9999-12-30&end=9999-12-31", headers=w.admin
    )
    assert "2199-12-31" in refused(r, "start")
    refused(w.client.get(f"/v1/projects/{w.firm.contoso}/risk?as_of=0001-01-01",
                         headers=w.admin), "as_of")  # fmt: skip

    far = {**STAFFING, "start": "9999-12-01", "end": "9999-12-31"}
    refused(w.client.post("/v1/staffing/search", json=far, headers=w.dm), "start")
    explain = {"request": far, "a": ana, "b": w.firm.people["Hana Sato"]}
    refused(w.client.post("/v1/staffing/explain", json=explain, headers=w.dm), "request.start")

    ok = w.client.get(
        f"/v1/consultants/{ana}/availability?start=2027-01-04&end=2027-01-29", headers=w.admin
    )
    assert ok.status_code == 200, ok.text


def test_a_metrics_window_must_start_in_a_sane_past(world: World) -> None:
    w = world

    def since(value: str) -> Any:
        return w.client.get("/v1/metrics/queue", params={"since": value}, headers=w.scientist)

    refused(since("9999-12-31T23:59:59-12:00"), "since")
    refused(since("0001-01-01T00:00:00+14:00"), "since")
    tomorrow = (utcnow() + timedelta(days=1)).isoformat()
    assert "future" in refused(since(tomorrow), "since")
    assert since("2000-01-01T00:00:00Z").status_code == 200
    assert "timezone" in refused(since("2000-01-01T00:00:00"), "since")


# -- project search ---------------------------------------------------------------------------


def test_a_search_text_too_long_is_refused_and_wildcards_are_literal(
    world: World, runtime: Runtime
) -> None:
    w = world
    r = w.client.get("/v1/projects", params={"q": "x" * 60_000}, headers=w.admin)
    assert "200" in refused(r, "q")

    with unit_of_work(runtime.sessions) as s:
        cl = factories.client(s, "Percent Co")
        factories.project(s, "Rollout 50% phase", cl)
        factories.project(s, "Rollout 500 phase", cl)
        factories.project(s, "Rollout 5_0 phase", cl)
        factories.project(s, "Rollout 5x0 phase", cl)

    def names(q: str) -> list[str]:
        r = w.client.get("/v1/projects", params={"q": q}, headers=w.admin)
        assert r.status_code == 200, r.text
        return [p["name"] for p in r.json()]

    assert names("50%") == ["Rollout 50% phase"]
    assert names("5_0") == ["Rollout 5_0 phase"]
    assert names("\\") == []
    assert len(names("rollout 5")) == 4


# -- a body that is not JSON -----------------------------------------------------------------


def test_a_body_that_is_not_json_says_so_without_a_bogus_field(
    world: World, runtime: Runtime
) -> None:
    w = world
    before = stored(runtime)
    r = w.client.post(
        "/v1/proposals",
        content="{not json",
        headers={**w.admin, "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["detail"].startswith("the body is not valid JSON: "), body
    assert "at position 1" in body["detail"]
    assert [p["field"] for p in body["problems"]] == ["body"]
    assert stored(runtime) == before
