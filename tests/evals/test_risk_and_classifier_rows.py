"""The harness reports what training reports: risk flags at the configured threshold, and the
classifier's accuracy beside each baseline."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest
from click.testing import Result
from sqlalchemy.orm import Session

from evals.classifier import rows_for
from evals.metrics import MetricRow
from evals.risk import evaluate as evaluate_risk
from models.classifier.metrics import HoldoutReport, SelectiveStats
from models.classifier.training import TrainingResult
from models.risk import firm_history
from models.risk.training import FIRM_SPEC, train_and_evaluate
from tests.models.test_risk_training import build_history

FLAGS = ("flag_precision", "flag_recall")


def test_risk_flags_at_the_threshold_given_as_train_risk_does(session: Session) -> None:
    build_history(session)
    trained = train_and_evaluate(firm_history(session), FIRM_SPEC, threshold=0.3)
    rows = {r.metric: r for r in evaluate_risk(session, risk_flag_threshold=0.3)}
    assert {m: rows[m].ours for m in FLAGS} == {m: trained.evaluation.metrics[m] for m in FLAGS}
    assert "flags at p >= 0.3" in rows["flag_precision"].note
    at_default = {r.metric: r.ours for r in evaluate_risk(session)}
    assert any(at_default[m] != rows[m].ours for m in FLAGS)  # the setting changes the figures


def test_eval_passes_the_configured_flag_threshold_to_risk(
    eval_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[float] = []

    def fake_evaluate(risk_flag_threshold: float = 0.5) -> list[MetricRow]:
        given.append(risk_flag_threshold)
        return []

    monkeypatch.setattr("evals.risk.evaluate", fake_evaluate)
    monkeypatch.setenv("OPSCOPILOT_RISK__FLAG_THRESHOLD", "0.35")
    out = eval_cli("--only", "risk", "--no-log")
    assert out.exit_code == 0, out.output
    assert given == [0.35]


def report(macro_f1: float, accuracy: float) -> HoldoutReport:
    return HoldoutReport(
        macro_f1=macro_f1,
        accuracy=accuracy,
        ece=0.03,
        selective=SelectiveStats(0.1, 0.97, 0.4, 3),
        labels=["a", "b"],
        confusion=np.zeros((2, 2)),
        latency_ms=20.0,
    )


def test_the_classifier_table_has_accuracy_beside_each_baseline() -> None:
    result: Any = SimpleNamespace(
        report=report(0.931, 0.932),
        baselines={"tfidf_lr": report(0.896, 0.897), "embedding_lr": report(0.875, 0.876)},
    )
    rows = rows_for(cast(TrainingResult, result))
    accuracy = {r.baseline_name: (r.ours, r.baseline) for r in rows if r.metric == "accuracy"}
    assert accuracy == {"tfidf_lr": (0.932, 0.897), "embedding_lr": (0.932, 0.876)}
