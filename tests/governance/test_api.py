"""The approval queue over HTTP: who may list, read, submit and decide what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.runtime import Runtime
from domain import users
from domain.db import unit_of_work
from domain.types import utcnow
from governance.actor import Actor
from governance.listeners import DecisionNotice
from governance.schemas import DecisionCreate, ProposalCreate
from governance.service import Governance
from governance.tables import Proposal
from governance.types import ProposalType
from tests.governance.factories import Firm, make_firm, payload

T = ProposalType
H = dict[str, str]


@dataclass
class World:
    gov: Governance
    firm: Firm
    dm: H
    approver: H
    outsider: H
    director: H
    scientist: H
    admin: H
    dm_email: str
    approver_email: str


@pytest.fixture
def world(client: TestClient, runtime: Runtime, make_user: Callable[..., Any]) -> World:
    dm_user, dm = make_user("delivery_manager")
    appr_user, approver = make_user("approver", practices=["Data & AI"], regions=["EMEA"])
    _, outsider = make_user("approver", practices=["Cloud"])
    _, director = make_user("approver")
    _, scientist = make_user("data_scientist")
    _, admin = make_user("admin")
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        firm.project.delivery_manager_email = dm_user.email
    gov: Governance = client.app.state.services.extras["governance"]  # type: ignore[attr-defined]
    return World(gov, firm, dm, approver, outsider, director, scientist, admin, dm_user.email,
                 appr_user.email)  # fmt: skip


def submit(runtime: Runtime, w: World, kind: T, requested_by: str | None = None, **kw: Any) -> int:
    with unit_of_work(runtime.sessions) as s:
        data = ProposalCreate(type=kind, payload=payload(kind, w.firm, **kw),
                              requested_by=requested_by or w.dm_email, thread_id="th-1")  # fmt: skip
        return w.gov.submit(s, data, submitted_by="agent:copilot").proposal.id


def ids(client: TestClient, headers: H, query: str = "") -> list[int]:
    r = client.get(f"/v1/proposals{query}", headers=headers)
    assert r.status_code == 200, r.text
    return [p["id"] for p in r.json()["items"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/v1/proposals"), ("get", "/v1/proposals/1"), ("post", "/v1/proposals/1/decision"),
     ("post", "/v1/proposals"), ("post", "/v1/events"), ("get", "/v1/metrics/queue")],
)  # fmt: skip
def test_every_governance_route_needs_a_key(client: TestClient, method: str, path: str) -> None:
    r = client.request(method, path, json={})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


def test_who_sees_what(client: TestClient, runtime: Runtime, world: World) -> None:
    w = world
    mine = submit(runtime, w, T.flag_risk)
    cloud = submit(runtime, w, T.flag_risk, project_id=w.firm.cloud_project.id,
                   requested_by="someone@firm.test")  # fmt: skip
    model = submit(runtime, w, T.promote_model, requested_by="trainer@firm.test")

    assert ids(client, w.admin) == [model, cloud, mine]
    assert ids(client, w.approver) == [mine]
    assert ids(client, w.outsider) == [cloud]
    assert ids(client, w.director) == [cloud, mine]
    assert ids(client, w.dm) == [mine]  # asked for it, and manages the project
    assert ids(client, w.scientist) == [model]

    assert client.get(f"/v1/proposals/{cloud}", headers=w.approver).status_code == 404
    detail = client.get(f"/v1/proposals/{mine}", headers=w.approver).json()
    assert detail["can_decide"] is True and detail["content_intact"] is True
    assert detail["policy_trace"]["rule"] == "flag_risk.default"
    assert [e["action"] for e in detail["audit"]] == ["proposal.created"]
    assert "risk_confirmed" in detail["allowed_reason_codes"]
    dm_view = client.get(f"/v1/proposals/{mine}", headers=w.dm).json()
    assert (
        dm_view["can_decide"] is False and "segregation of duties" in dm_view["can_decide_reason"]
    )


def test_deciding_over_http(client: TestClient, runtime: Runtime, world: World) -> None:
    w = world
    pid = submit(runtime, w, T.assign_staff)
    url = f"/v1/proposals/{pid}/decision"
    body = {"action": "accept", "reason_code": "good_fit", "note": "strong match"}

    r = client.post(url, json={**body, "reason_code": "vibes"}, headers=w.approver)
    assert r.status_code == 422 and r.json()["error"] == "invalid_reason_code"
    assert "skill_gap" in r.json()["allowed_reason_codes"]
    r = client.post(url, json=body, headers=w.dm)
    assert r.status_code == 403 and r.json()["error"] == "segregation_of_duties"
    assert client.post(url, json=body, headers=w.outsider).status_code == 404
    r = client.post(url, json={**body, "action": "approve"}, headers=w.approver)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "action"

    key = {"Idempotency-Key": "abc-123"}
    first = client.post(url, json=body, headers={**w.approver, **key})
    assert first.status_code == 200, first.text
    assert first.json()["proposal"]["status"] == "accepted"
    assert first.json()["decision"]["effect"]["assignment_id"] > 0
    again = client.post(url, json=body, headers={**w.approver, **key})
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["decision"] == first.json()["decision"]

    late = client.post(url, json={**body, "action": "reject", "reason_code": "skill_gap"},
                       headers=w.director)  # fmt: skip
    assert late.status_code == 409
    assert late.json()["error"] == "proposal_already_decided"
    assert late.json()["decided_by"] == w.approver_email

    detail = client.get(f"/v1/proposals/{pid}", headers=w.admin).json()
    assert detail["decision"]["decided_by"] == w.approver_email
    assert [e["action"] for e in detail["audit"]] == ["proposal.created", "proposal.accepted"]


def test_thresholds_over_http(client: TestClient, runtime: Runtime, world: World) -> None:
    w = world
    pid = submit(runtime, w, T.flag_risk, probability=0.95, severity="critical")
    body = {"action": "accept", "reason_code": "risk_confirmed"}
    r = client.post(f"/v1/proposals/{pid}/decision", json=body, headers=w.approver)
    assert r.status_code == 403 and r.json()["error"] == "not_an_approver"
    assert "delivery_directors" in r.json()["detail"]
    r = client.post(f"/v1/proposals/{pid}/decision", json=body, headers=w.director)
    assert r.status_code == 200


def test_decision_listeners_hear_after_commit(
    client: TestClient, runtime: Runtime, world: World
) -> None:
    heard: list[DecisionNotice] = []

    class Agent:
        def on_decision(self, notice: DecisionNotice) -> None:
            # Another connection already sees the decision: the listener runs after commit.
            with unit_of_work(runtime.sessions) as s:
                committed = s.get(Proposal, notice.proposal_id)
                assert committed is not None and committed.status == "rejected"
            heard.append(notice)

    class Broken:
        def on_decision(self, notice: DecisionNotice) -> None:
            raise RuntimeError("mlflow is down")

    world.gov.add_decision_listener(Broken())
    world.gov.add_decision_listener(Agent())
    pid = submit(runtime, world, T.flag_risk)
    r = client.post(f"/v1/proposals/{pid}/decision", headers=world.approver,
                    json={"action": "reject", "reason_code": "false_positive"})  # fmt: skip
    assert r.status_code == 200
    assert [(n.proposal_id, n.action, n.thread_id) for n in heard] == [(pid, "reject", "th-1")]


def test_a_decision_that_rolls_back_is_never_heard(runtime: Runtime, world: World) -> None:
    heard: list[DecisionNotice] = []

    class Agent:
        def on_decision(self, notice: DecisionNotice) -> None:
            heard.append(notice)

    world.gov.add_decision_listener(Agent())
    pid = submit(runtime, world, T.flag_risk)
    with unit_of_work(runtime.sessions) as s:
        rita = Actor.of(users.get_user_by_email(s, world.approver_email))
    with pytest.raises(RuntimeError), unit_of_work(runtime.sessions) as s:
        world.gov.decide(
            s, pid, rita, DecisionCreate(action="reject", reason_code="false_positive")
        )
        assert heard == []  # not before the commit
        raise RuntimeError("the request fails after deciding")

    assert heard == []
    with unit_of_work(runtime.sessions) as s:
        assert s.get(Proposal, pid).status == "pending"  # type: ignore[union-attr]


def test_submitting_over_http(client: TestClient, world: World) -> None:
    w = world
    risk = payload(T.flag_risk, w.firm)
    body = {"type": "flag_risk", "payload": risk, "model_version": "r-2"}
    r = client.post("/v1/proposals", json=body, headers=w.admin)
    assert r.status_code == 201, r.text
    assert r.json()["assignee_group"] == "practice_approvers" and r.json()["status"] == "pending"
    assert client.post("/v1/proposals", json=body, headers=w.approver).status_code == 403
    assert client.post("/v1/proposals", json=body, headers=w.scientist).status_code == 403
    promo = {"type": "promote_model", "payload": payload(T.promote_model, w.firm)}
    r = client.post("/v1/proposals", json=promo, headers=w.scientist)
    assert r.status_code == 201 and r.json()["can_decide"] is False  # SoD: they submitted it
    bad = {"type": "flag_risk", "payload": {**risk, "probability": 2}}
    r = client.post("/v1/proposals", json=bad, headers=w.admin)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "payload.probability"


def test_a_dedupe_key_returns_the_first_proposal_and_refuses_other_content(
    client: TestClient, world: World
) -> None:
    risk = payload(T.flag_risk, world.firm)
    body = {"type": "flag_risk", "payload": risk, "dedupe_key": "crm-77"}
    first = client.post("/v1/proposals", json=body, headers=world.admin)
    again = client.post("/v1/proposals", json=body, headers=world.admin)  # a retry
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]

    other = {**body, "payload": {**risk, "severity": "low"}}
    r = client.post("/v1/proposals", json=other, headers=world.admin)

    assert r.status_code == 409 and r.json()["error"] == "idempotency_key_reused"
    assert "crm-77" in r.json()["detail"] and "new key" in r.json()["detail"]
    kept = client.get(f"/v1/proposals/{first.json()['id']}", headers=world.admin).json()
    assert kept["payload"]["severity"] == risk["severity"]  # the first stays as it was
    assert ids(client, world.admin) == [first.json()["id"]]


def test_filters_and_cursor_pagination(client: TestClient, runtime: Runtime, world: World) -> None:
    w = world
    risks = [submit(runtime, w, T.flag_risk) for _ in range(5)]
    cr = submit(runtime, w, T.raise_change_request)
    cloud = submit(runtime, w, T.flag_risk, project_id=w.firm.cloud_project.id)
    mine = submit(runtime, w, T.flag_risk, requested_by=world.approver_email)
    client.post(f"/v1/proposals/{risks[0]}/decision", headers=w.approver,
                json={"action": "reject", "reason_code": "false_positive"})  # fmt: skip

    seen, cursor = [], None
    while True:
        q = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/v1/proposals{q}", headers=w.admin).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted([*risks, cr, cloud, mine], reverse=True)
    bad = client.get("/v1/proposals?cursor=garbage", headers=w.admin)
    assert bad.status_code == 422 and "cursor" in bad.json()["detail"]

    assert ids(client, w.admin, "?type=raise_change_request") == [cr]
    assert ids(client, w.admin, "?status=rejected") == [risks[0]]
    assert ids(client, w.admin, f"?project_id={w.firm.cloud_project.id}") == [cloud]
    assert cloud not in ids(client, w.admin, "?practice=Data%20%26%20AI")
    mine_to_decide = ids(client, w.approver, "?assigned_to_me=true")
    assert mine_to_decide == sorted([*risks[1:], cr], reverse=True)  # not its own, not decided
    assert ids(client, w.admin, "?overdue=true") == []
    with unit_of_work(runtime.sessions) as s:
        w.gov.escalate_due(s, utcnow() + timedelta(hours=13))
    assert cloud in ids(client, w.director, "?assigned_to_me=true")


def test_events_over_http(client: TestClient, world: World) -> None:
    w = world
    ev = {"id": "psa-1", "type": "status.updated", "data": {
        "project_external_id": w.firm.project.external_id, "author": "pm",
        "note_date": "2026-12-10", "rag": "green", "text": "All good"}}  # fmt: skip
    assert client.post("/v1/events", json=ev, headers=w.approver).status_code == 403
    r = client.post("/v1/events", json=ev, headers=w.admin)
    assert r.status_code == 201 and r.json()["result"]["status_note_id"] > 0
    again = client.post("/v1/events", json=ev, headers=w.admin)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    keyed = {**ev, "id": None}
    r = client.post("/v1/events", json=keyed, headers={**w.admin, "Idempotency-Key": "psa-2"})
    assert r.status_code == 201 and r.json()["event_id"] == "psa-2"
    bad = {**ev, "id": "psa-3", "data": {**ev["data"], "rag": "blue"}}  # type: ignore[dict-item]
    r = client.post("/v1/events", json=bad, headers=w.admin)
    assert r.status_code == 422 and "data.rag" in r.json()["detail"]


def test_queue_metrics(client: TestClient, runtime: Runtime, world: World) -> None:
    w = world
    a, b, c = (submit(runtime, w, T.flag_risk) for _ in range(3))
    cr = submit(runtime, w, T.raise_change_request)
    decide = {"action": "reject", "reason_code": "false_positive"}
    client.post(f"/v1/proposals/{a}/decision", json=decide, headers=w.approver)
    client.post(f"/v1/proposals/{b}/decision", headers=w.approver,
                json={"action": "override", "reason_code": "severity_understated", "choice": "high"})  # fmt: skip
    with unit_of_work(runtime.sessions) as s:
        assert sorted(w.gov.expire_overdue(s, utcnow() + timedelta(days=30))) == sorted([c, cr])
    submit(runtime, w, T.flag_risk)  # still waiting

    assert client.get("/v1/metrics/queue", headers=w.dm).status_code == 403
    m = client.get("/v1/metrics/queue?since=2000-01-01T00:00:00Z", headers=w.scientist).json()
    risk = m["by_type"]["flag_risk"]
    assert risk["counts"] == {"accept": 0, "accept_with_edits": 0, "override": 1, "reject": 1,
                              "expire": 1}  # fmt: skip
    assert risk["rates"]["override"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["by_approver"][w.approver_email]["decided"] == 2
    assert m["sla_adherence"]["flag_risk"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["cycle_time_hours"]["all"]["n"] == 2
    [waiting] = m["backlog"]
    assert (waiting["type"], waiting["pending"], waiting["overdue"]) == ("flag_risk", 1, 0)
    assert 0 <= waiting["oldest_age_hours"] < 1
    naive = client.get("/v1/metrics/queue?since=2000-01-01T00:00:00", headers=w.scientist)
    assert naive.status_code == 422
