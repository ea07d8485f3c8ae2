"""Browsing the firm through the API."""

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from app.runtime import Runtime
from domain.db import unit_of_work
from tests import factories as f


def _seed(runtime: Runtime) -> dict[str, int]:
    with unit_of_work(runtime.sessions) as s:
        contoso = f.client(s, "Contoso")
        p = f.project(s, "Contoso Analytics Modernisation", contoso, budget_hours=200.0)
        f.project(s, "Fabrikam Cloud Migration", f.client(s, "Fabrikam"), status="on_hold")
        c = f.consultant(s, "Ada Byron", skills={"Spark": 5, "Azure Data Factory": 3})
        f.time_entry(s, p, c, date(2026, 2, 6), 40.0)
        f.time_entry(s, p, c, date(2026, 2, 13), 10.0)
        f.assignment(s, p, c, 24, date(2026, 3, 2), date(2026, 3, 27))
        return {"project": p.id, "consultant": c.id}


def test_projects_list_shows_burn_and_filters(
    client: TestClient, runtime: Runtime, make_user: Callable
) -> None:
    ids = _seed(runtime)
    _, h = make_user()
    rows = client.get("/v1/projects", headers=h).json()
    assert [r["name"] for r in rows] == [
        "Contoso Analytics Modernisation",
        "Fabrikam Cloud Migration",
    ]
    contoso = rows[0]
    assert contoso["client"] == "Contoso"
    assert contoso["hours_burned"] == 50.0
    assert contoso["burn"] == 0.25
    assert [r["name"] for r in client.get("/v1/projects?status=on_hold", headers=h).json()] == [
        "Fabrikam Cloud Migration"
    ]
    assert [r["id"] for r in client.get("/v1/projects?q=contoso", headers=h).json()] == [
        ids["project"]
    ]


def test_consultant_profile_and_availability(
    client: TestClient, runtime: Runtime, make_user: Callable
) -> None:
    ids = _seed(runtime)
    _, h = make_user()
    c = client.get(f"/v1/consultants/{ids['consultant']}", headers=h).json()
    assert [s["name"] for s in c["skills"]] == ["Spark", "Azure Data Factory"]
    assert client.get("/v1/consultants?skill=spark", headers=h).json()[0]["name"] == "Ada Byron"
    a = client.get(
        f"/v1/consultants/{ids['consultant']}/availability?start=2026-03-02&end=2026-03-27",
        headers=h,
    ).json()
    assert a["free_hours"] == 16
    bad = client.get(
        f"/v1/consultants/{ids['consultant']}/availability?start=2026-03-27&end=2026-03-02",
        headers=h,
    )
    assert bad.status_code == 422
    assert "before start" in bad.json()["detail"]
