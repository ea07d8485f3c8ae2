"""``POST /v1/staffing/search`` and ``/explain``: what a caller sees, including mistakes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.runtime import Runtime
from app.services import Services
from domain.db import unit_of_work
from tests.models.staffing_firm import person, project, recommender

BODY: dict[str, Any] = {
    "role": "Data Engineer",
    "required_skills": [{"name": "Spark", "min_level": 4}],
    "nice_to_have": [{"name": "Azure Data Factory", "min_level": 3}],
    "hours_per_week": 30,
    "start": "2027-03-01",
    "end": "2027-06-30",
}


@pytest.fixture
def firm(runtime: Runtime) -> dict[str, int]:
    with unit_of_work(runtime.sessions) as s:
        ana = person(s, "ana", {"Spark": 5, "Azure Data Factory": 4})
        ben = person(s, "ben", {"Spark": 3}, region="NA")
        p = project(s, "Contoso", bill_rate=180)
        return {"ana": ana.id, "ben": ben.id, "project": p.id}


@pytest.fixture
def api(runtime: Runtime, firm: dict[str, int], tmp_path: Any) -> Iterator[TestClient]:
    with unit_of_work(runtime.sessions) as s:
        rec = recommender(s, tmp_path)
    app = create_app(runtime=runtime, services=Services(extras={"staffing": rec}))
    with TestClient(app) as c:
        yield c


def test_search_returns_ranked_candidates_with_parts_and_reasons(
    api: TestClient, firm: dict[str, int], make_user: Callable
) -> None:
    _, headers = make_user()
    r = api.post(
        "/v1/staffing/search", json={**BODY, "project_id": firm["project"]}, headers=headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["external_id"] for c in body["candidates"]] == ["ana", "ben"]
    top = body["candidates"][0]
    assert top["reasons"].startswith(
        "Spark 5/5 and Azure Data Factory 4/5; free 40 h/week from 1 Mar"
    )
    assert set(top["parts"]) >= {"skill_match", "margin", "client_history"}
    assert sum(top["parts"].values()) == pytest.approx(top["score"], abs=1e-3)
    assert body["search_mode"] == "memory" and body["considered"] == 2

    only_emea = api.post("/v1/staffing/search", json={**BODY, "region": "EMEA"}, headers=headers)
    assert [c["external_id"] for c in only_emea.json()["candidates"]] == ["ana"]


def test_explain_says_why_one_ranks_above_the_other(
    api: TestClient, firm: dict[str, int], make_user: Callable
) -> None:
    _, headers = make_user()
    r = api.post(
        "/v1/staffing/explain",
        json={"request": BODY, "a": firm["ben"], "b": firm["ana"]},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["text"].startswith("Ana (")
    assert "Spark 5/5 vs 3/5" in r.json()["text"]

    busy = api.post(
        "/v1/staffing/explain",
        json={"request": {**BODY, "region": "EMEA"}, "a": firm["ana"], "b": firm["ben"]},
        headers=headers,
    )
    assert busy.status_code == 422
    assert busy.json()["constraint"] == "region"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": "2027-02-01"}, "end"),
        ({"hours_per_week": 0}, "hours_per_week"),
        ({"required_skills": [{"name": "Spark", "min_level": 7}]}, "required_skills.0.min_level"),
        ({"start": "next monday"}, "start"),
        ({"top": 500}, "top"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_requests_say_which_field_to_fix(
    api: TestClient, make_user: Callable, change: dict[str, Any], field: str
) -> None:
    _, headers = make_user()
    r = api.post("/v1/staffing/search", json={**BODY, **change}, headers=headers)
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_input"
    assert field in [p["field"] for p in r.json()["problems"]]


def test_a_request_without_role_or_skills_and_an_unknown_project_are_refused(
    api: TestClient, make_user: Callable
) -> None:
    _, headers = make_user()
    r = api.post(
        "/v1/staffing/search", json={**BODY, "role": "", "required_skills": []}, headers=headers
    )
    assert r.status_code == 422
    assert r.json()["detail"].startswith("role: give a role or at least one required skill")

    r = api.post("/v1/staffing/search", json={**BODY, "project_id": 987654}, headers=headers)
    assert r.status_code == 404
    assert r.json()["detail"] == "No project with id 987654"


def test_search_needs_a_key_and_a_loaded_model(runtime: Runtime, make_user: Callable) -> None:
    _, headers = make_user()
    with TestClient(create_app(runtime=runtime, services=Services())) as c:
        assert c.post("/v1/staffing/search", json=BODY).status_code == 401
        r = c.post("/v1/staffing/search", json=BODY, headers=headers)
        assert r.status_code == 503
        assert "opscopilot bootstrap" in r.json()["detail"]
