"""The chat API: threads, history, and replies streamed as server-sent events or as JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from agents.copilot import Copilot
from agents.ports import Classification
from app.main import create_app
from app.runtime import Runtime
from app.services import Services
from tests.agents.fakes import RecordingSink
from tests.agents.firm import DM_EMAIL, Firm

JSON = {"Accept": "application/json"}
STAFFING = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"

Headers = dict[str, str]


@pytest.fixture
def api(runtime: Runtime, copilot: Copilot, firm: Firm) -> Iterator[TestClient]:
    app = create_app(runtime=runtime, services=Services(extras={"copilot": copilot}))
    with TestClient(app) as c:
        yield c


@pytest.fixture
def dm_headers(make_user: Callable[..., tuple[Any, Headers]]) -> Headers:
    return make_user("delivery_manager", email=DM_EMAIL)[1]


def _thread(api: TestClient, headers: Headers, title: str = "Contoso staffing") -> str:
    r = api.post("/v1/chat/threads", json={"title": title}, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _events(text: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_a_message_streams_progress_proposals_and_the_reply(
    api: TestClient, dm_headers: Headers, sink: RecordingSink
) -> None:
    thread = _thread(api, dm_headers)
    r = api.post(
        f"/v1/chat/threads/{thread}/messages", json={"content": STAFFING}, headers=dm_headers
    )

    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = _events(r.text)
    kinds = [k for k, _ in events]
    nodes = [d["node"] for k, d in events if k == "node"]
    assert nodes == ["understand", "recommend_staff", "submit_proposals", "respond"]
    assert kinds[-2:] == ["message", "done"]
    [proposal] = [d for k, d in events if k == "proposal"]
    assert proposal["type"] == "assign_staff" and proposal["status"] == "pending"
    message, done = events[-2][1], events[-1][1]
    assert "Ana Costa" in message["content"]
    assert message["proposal_ids"] == [proposal["id"]]
    assert done["status"] == "awaiting_decision"
    assert sink.submitted[0].requester.email == DM_EMAIL


def test_json_on_request_and_the_history_keeps_both_sides(
    api: TestClient, dm_headers: Headers
) -> None:
    thread = _thread(api, dm_headers)
    url = f"/v1/chat/threads/{thread}/messages"
    turn = api.post(
        url,
        json={"content": "how is the Fabrikam migration doing?"},
        headers={**dm_headers, **JSON},
    ).json()

    assert turn["status"] == "awaiting_decision"
    assert [p["type"] for p in turn["proposals"]] == ["flag_risk"]
    history = api.get(url, headers=dm_headers).json()
    assert [(m["role"], m["proposal_ids"]) for m in history] == [
        ("user", []),
        ("assistant", [turn["proposals"][0]["id"]]),
    ]
    assert history[1]["content"] == turn["reply"]
    listed = api.get("/v1/chat/threads", headers=dm_headers).json()
    assert [t["id"] for t in listed] == [thread]


def test_a_delivery_manager_sees_only_their_own_threads(
    api: TestClient, dm_headers: Headers, make_user: Callable[..., tuple[Any, Headers]]
) -> None:
    thread = _thread(api, dm_headers)
    _, other = make_user("delivery_manager")
    _, admin = make_user("admin")

    assert api.get("/v1/chat/threads", headers=other).json() == []
    for headers in (other, admin):
        r = api.get(f"/v1/chat/threads/{thread}/messages", headers=headers)
        assert r.status_code == 404 and r.json()["error"] == "not_found"
        r = api.post(
            f"/v1/chat/threads/{thread}/messages",
            json={"content": "hi"},
            headers={**headers, **JSON},
        )
        assert r.status_code == 404
    assert api.get(f"/v1/chat/threads/{thread}/messages", headers=dm_headers).json() == []


@pytest.mark.parametrize("role", ["approver", "data_scientist"])
def test_chat_is_for_delivery_managers(
    api: TestClient, role: str, make_user: Callable[..., tuple[Any, Headers]]
) -> None:
    _, headers = make_user(role)
    r = api.post("/v1/chat/threads", json={}, headers=headers)
    assert r.status_code == 403 and "delivery_manager" in r.json()["detail"]
    assert api.get("/v1/chat/threads").status_code == 401


def test_bad_messages_say_what_to_fix(api: TestClient, dm_headers: Headers) -> None:
    url = f"/v1/chat/threads/{_thread(api, dm_headers)}/messages"
    for body in ({"content": ""}, {"content": "x" * 4001}, {}):
        r = api.post(url, json=body, headers=dm_headers)
        assert r.status_code == 422 and r.json()["problems"][0]["field"] == "content"


def test_without_a_copilot_chat_says_so_and_the_rest_works(
    runtime: Runtime, dm_headers: Headers
) -> None:
    with TestClient(create_app(runtime=runtime, services=Services(extras={}))) as c:
        thread = _thread(c, dm_headers)
        r = c.post(
            f"/v1/chat/threads/{thread}/messages", json={"content": "hi"}, headers=dm_headers
        )
        assert r.status_code == 503
        assert r.json()["error"] == "copilot_unavailable"
        assert "not running" in r.json()["detail"]
        assert c.get("/v1/chat/threads", headers=dm_headers).status_code == 200


class BrokenClassifier:
    def prepare(self, text: str) -> None:
        pass

    def classify(self, text: str) -> Classification:
        raise RuntimeError("classifier exploded")


def test_a_failed_run_is_an_error_event_or_a_500_never_a_hang(
    runtime: Runtime, make_copilot: Callable[..., Copilot], firm: Firm, dm_headers: Headers
) -> None:
    copilot = make_copilot(classifier=BrokenClassifier())
    with TestClient(
        create_app(runtime=runtime, services=Services(extras={"copilot": copilot}))
    ) as c:
        url = f"/v1/chat/threads/{_thread(c, dm_headers)}/messages"
        streamed = _events(c.post(url, json={"content": "hi"}, headers=dm_headers).text)
        as_json = c.post(url, json={"content": "hi"}, headers={**dm_headers, **JSON})

    kind, data = streamed[-1]
    assert kind == "error" and "classifier exploded" in data["detail"]
    assert as_json.status_code == 500
    assert as_json.json()["error"] == "agent_run_failed" and as_json.json()["run_key"]


def _pinned_by_other_transactions(engine: Engine) -> int:
    """How much another open transaction holds back: 0 when none is left open.

    SQLite: log frames a checkpoint cannot copy back because a reader still needs them (a
    log pinned on every request never restarts and grows without bound). PostgreSQL:
    connections idle in a transaction (they hold back vacuum).
    """
    if engine.dialect.name == "sqlite":
        with sqlite3.connect(str(engine.url.database)) as probe:
            _busy, in_log, copied = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(in_log - copied)
    with engine.connect() as conn:
        return int(
            conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
            ).scalar_one()
        )


def test_a_turn_holds_no_transaction_open_while_the_copilot_works(
    api: TestClient,
    dm_headers: Headers,
    copilot: Copilot,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The request signs the user in first; the copilot then commits on its own sessions.
    pinned: list[int] = []
    start_turn = copilot.start_turn

    def start_and_look(*args: Any, **kwargs: Any) -> Any:
        started = start_turn(*args, **kwargs)
        pinned.append(_pinned_by_other_transactions(runtime.engine))
        return started

    monkeypatch.setattr(copilot, "start_turn", start_and_look)
    thread = _thread(api, dm_headers)
    r = api.post(
        f"/v1/chat/threads/{thread}/messages",
        json={"content": STAFFING},
        headers={**dm_headers, **JSON},
    )

    assert r.status_code == 200, r.text
    assert pinned == [0]
