"""Which prompt version approvers edit least; the simulation stays inside its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.tuning.sim_workspace import sim_settings
from models.tuning.records import DecisionRecord
from models.tuning.summaries import by_prompt_version, fewest_edits
from tests.tuning.crafted import record


def _summary(version: str, action: str, edit: int | None, reason: str) -> DecisionRecord:
    payload = {"project_id": 1, "audience": "client", "draft": "All on track."}
    final = payload if action != "reject" else None
    return record(
        "send_status_summary", action, payload, final, prompt_id="status_summary",
        prompt_version=version, edit_size=edit, reason_code=reason,
    )  # fmt: skip


def test_the_prompt_version_with_the_smallest_edits_is_named() -> None:
    records = (
        [_summary("v1", "accept_with_edits", 120, "too_long") for _ in range(8)]
        + [_summary("v1", "accept", None, "ready_to_send") for _ in range(4)]
        + [_summary("v2", "accept_with_edits", 20, "tone") for _ in range(3)]
        + [_summary("v2", "accept", None, "ready_to_send") for _ in range(8)]
        + [_summary("v2", "reject", None, "factual_error")]
        + [_summary("v3", "accept", None, "ready_to_send") for _ in range(2)]  # too few to judge
    )
    stats = by_prompt_version(records)
    by_name = {s.prompt: s for s in stats}
    v1, v2 = by_name["status_summary v1"], by_name["status_summary v2"]
    assert v1.mean_edit_chars == pytest.approx(80.0) and v1.reasons["too_long"] == 8
    assert v2.mean_edit_chars == pytest.approx(60 / 11) and v2.rejected == 1
    best = fewest_edits(stats)
    assert best is not None and best.prompt == "status_summary v2"


def test_simulation_settings_ignore_the_users_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", "postgresql://prod-db/opscopilot")
    monkeypatch.setenv("OPSCOPILOT_MLFLOW__TRACKING_URI", "http://mlflow.internal:5000")
    monkeypatch.setenv("OPSCOPILOT_VECTOR_STORE__URI", "s3://bucket/lancedb")
    monkeypatch.setenv("OPSCOPILOT_WEBHOOK_URLS", '["https://crm.example.com/hook"]')
    s = sim_settings(tmp_path)
    root = str(tmp_path.resolve())
    assert s.db_url.startswith(f"sqlite:///{root}")
    assert s.mlflow_uri.startswith(f"sqlite:///{root}")
    assert s.lancedb_uri.startswith(root)
    assert s.webhook_urls == []
