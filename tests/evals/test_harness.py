"""The evaluation harness: plug-ins by name, thresholds, one table, and the CLI's exit status."""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy.orm import Session, sessionmaker

from evals import harness
from evals.metrics import (
    MetricRow,
    Threshold,
    apply_thresholds,
    failures,
    load_thresholds,
    render_table,
)


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, types.ModuleType]]:
    """Register fake ``evals.<name>`` modules; they vanish after the test."""
    made: dict[str, types.ModuleType] = {}

    def add(name: str, evaluate: object) -> None:
        module = types.ModuleType(f"evals.{name}")
        module.evaluate = evaluate  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, f"evals.{name}", module)
        made[name] = module

    made["_add"] = add  # type: ignore[assignment]
    yield made


def test_missing_evaluators_are_skipped_and_present_ones_found(plugins: dict) -> None:
    plugins["_add"]("fake_a", lambda: [])
    found = harness.discover(("fake_a", "not_written_yet"))
    assert list(found) == ["fake_a"]


def test_an_evaluator_gets_what_its_parameters_name(plugins: dict, sqlite_url: str) -> None:
    from domain.db import make_engine

    seen: dict[str, object] = {}

    def evaluate(session: Session, encoder: object, *, fast: bool = False) -> list[MetricRow]:
        seen.update(session=session, encoder=encoder, fast=fast)
        return [MetricRow("fake", "accuracy", 0.9, 0.8)]

    plugins["_add"]("fake_b", evaluate)
    ctx = harness.EvalContext(
        encoder="ENC",
        fast=True,
        sessions=sessionmaker(make_engine(sqlite_url)),
        progress=lambda _: None,
    )
    rows = harness.run(ctx, ("fake_b",))
    assert [(r.key, r.ours, r.delta) for r in rows] == [("fake.accuracy", 0.9, pytest.approx(0.1))]
    assert (
        isinstance(seen["session"], Session) and seen["encoder"] == "ENC" and seen["fast"] is True
    )


def test_a_failing_evaluator_is_an_error_row_and_the_others_still_report(plugins: dict) -> None:
    def broken() -> list[MetricRow]:
        raise RuntimeError("no history")

    plugins["_add"]("fake_c", broken)
    plugins["_add"]("fake_d", lambda: [MetricRow("fake", "recall", 0.7)])

    def needs_db(session: Session) -> list[MetricRow]:
        return []

    plugins["_add"]("fake_e", needs_db)
    rows = harness.run(harness.EvalContext(progress=lambda _: None), ("fake_c", "fake_d", "fake_e"))
    errors = {r.model: r for r in rows if r.metric == "error"}
    assert set(errors) == {"fake_c", "fake_e"}
    assert "RuntimeError: no history" in errors["fake_c"].note
    assert "needs 'session'" in errors["fake_e"].note
    assert math.isnan(errors["fake_c"].ours)
    assert [r.key for r in rows if r.metric != "error"] == ["fake.recall"]


def test_thresholds_check_the_figure_and_the_lead_over_the_baseline() -> None:
    t = {"m.f1": Threshold(min=0.8, min_delta=0.01), "m.ece": Threshold(max=0.1, min_delta=0.0)}
    rows = apply_thresholds(
        [
            MetricRow("m", "f1", 0.85, 0.80, baseline_name="tfidf"),  # passes both
            MetricRow("m", "f1", 0.85, 0.845, baseline_name="embed"),  # lead too small
            MetricRow("m", "ece", 0.05, 0.04, higher_is_better=False),  # worse than baseline
            MetricRow("m", "ece", 0.20, 0.30, higher_is_better=False),  # above the max
            MetricRow("m", "f1", 0.70, 0.80, delta_gated=False),  # champion: only the min counts
        ],
        t,
    )
    problems = [r.problems() for r in rows]
    assert problems[0] == []
    assert "needs at least +0.01" in problems[1][0]
    assert "needs at least +0.0" in problems[2][0]
    assert problems[3] == ["m.ece = 0.2000 is above the maximum 0.1"]
    assert problems[4] == ["m.f1 = 0.7000 is below the minimum 0.8"]
    assert len(failures(rows)) == 4


def test_the_table_has_one_row_per_metric_with_baseline_delta_and_threshold() -> None:
    rows = apply_thresholds(
        [MetricRow("request-classifier", "macro_f1", 0.93, 0.90, baseline_name="tfidf_lr")],
        {"request-classifier.macro_f1": Threshold(min=0.9, min_delta=0.01)},
    )
    text = render_table(rows)
    header, _, line = text.splitlines()[:3]
    assert header.split() == ["model", "metric", "ours", "baseline", "delta", "threshold", "status"]
    assert "0.9300" in line and "0.9000 (tfidf_lr)" in line and "+0.0300" in line
    assert ">= 0.9, delta >= +0.01" in line and line.rstrip().endswith("ok")


def test_the_shipped_thresholds_parse_and_a_typo_is_refused(tmp_path: Path) -> None:
    shipped = load_thresholds()
    assert shipped["request-classifier.macro_f1"].min_delta is not None
    bad = tmp_path / "t.yaml"
    bad.write_text("m:\n  f1: {minimum: 0.9}\n")
    with pytest.raises(ValueError, match="unknown keys"):
        load_thresholds(bad)


def test_eval_exits_1_when_a_metric_misses_its_threshold(
    plugins: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, eval_cli: Callable[..., Result]
) -> None:
    low = MetricRow("request-classifier", "macro_f1", 0.5, 0.9, baseline_name="tfidf_lr")
    monkeypatch.setattr("evals.classifier.evaluate", lambda: [low])
    out = eval_cli("--only", "classifier", "--no-log")
    assert out.exit_code == 1
    assert "request-classifier  macro_f1" in out.output and "FAIL" in out.output
    assert "below the minimum" in out.output
    assert not (tmp_path / "var" / "mlflow.db").exists()  # --no-log: no MLflow store
