"""POST /v1/requests/classify with a small trained model, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.runtime import Runtime
from app.services import Services
from domain.db import unit_of_work
from models.classifier import TrainingConfig, read_labeled_csv
from models.classifier.training import fit_classifier
from models.encoder import HashingEncoder
from models.extraction import FirmIndexCache
from tests import factories
from tests.models.test_classifier import write_csv

URL = "/v1/requests/classify"


def _app(runtime: Runtime, extras: dict[str, object]) -> TestClient:
    from app.main import create_app

    return TestClient(create_app(runtime=runtime, services=Services(extras=extras)))


@pytest.fixture
def classify_client(runtime: Runtime, tmp_path: Path) -> Iterator[TestClient]:
    model, _ = fit_classifier(
        read_labeled_csv(write_csv(tmp_path / "tiny.csv")),
        HashingEncoder(),
        config=TrainingConfig.fast(),
    )
    model.version = "request-classifier/7"
    with unit_of_work(runtime.sessions) as s:
        fab = factories.client(s, "Fabrikam")
        factories.project(s, "Fabrikam Cloud Migration", fab)
        factories.skill(s, "Python")
    extras = {"classifier": model, "firm_index": FirmIndexCache(max_age_seconds=0)}
    with _app(runtime, extras) as c:
        yield c


def test_classify_returns_label_alternatives_extraction_and_version(
    classify_client: TestClient, make_user: Callable
) -> None:
    _, headers = make_user()
    r = classify_client.post(
        URL,
        json={"text": "my laptop screen is broken, I am on the Fabrikam migration from March"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["label"] == body["top_label"] == "laptop_issue"
    assert body["abstained"] is False and body["abstain_reason"] is None
    assert len(body["alternatives"]) == 3
    assert body["alternatives"][0]["label"] == "laptop_issue"
    assert body["confidence"] == body["alternatives"][0]["probability"]
    assert body["model_version"] == "request-classifier/7"
    assert body["extraction"]["project"]["name"] == "Fabrikam Cloud Migration"
    assert body["extraction"]["start_date"].endswith("-03-01")


def test_an_out_of_domain_request_goes_to_triage(
    classify_client: TestClient, make_user: Callable
) -> None:
    _, headers = make_user()
    body = classify_client.post(
        URL, json={"text": "zebra quantum marmalade orchestra volcano"}, headers=headers
    ).json()
    assert body["abstained"] is True and body["label"] is None
    assert body["abstain_reason"] == "out_of_domain"


def test_bad_input_and_missing_auth_are_refused(
    classify_client: TestClient, make_user: Callable
) -> None:
    assert classify_client.post(URL, json={"text": "hello"}).status_code == 401
    _, headers = make_user()
    blank = classify_client.post(URL, json={"text": "   "}, headers=headers)
    assert blank.status_code == 422 and "text is empty" in blank.json()["detail"]
    missing = classify_client.post(URL, json={}, headers=headers)
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "text"


def test_without_a_trained_model_the_route_says_how_to_get_one(
    runtime: Runtime, make_user: Callable
) -> None:
    _, headers = make_user()
    with _app(runtime, {"firm_index": FirmIndexCache()}) as c:
        r = c.post(URL, json={"text": "need a data engineer"}, headers=headers)
    assert r.status_code == 503
    assert r.json()["error"] == "service_unavailable"
    assert "opscopilot bootstrap" in r.json()["detail"]
