"""When ``opscopilot eval`` passes: an evaluator that fails fails the run; a comparison figure
that cannot be computed yet is reported, not failed (the rule the tuning runner relies on)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import evals.classifier
import evals.risk
from evals import harness
from evals.metrics import MetricRow, failures, render_table

Eval = Callable[..., Result]


def test_an_evaluator_that_fails_on_an_empty_database_fails_the_run_and_its_mlflow_tag(
    eval_cli: Eval, tmp_path: Path
) -> None:
    from app.model_store import open_store
    from app.settings import get_settings

    out = eval_cli("--only", "risk")  # a fresh database: no finished projects to learn from

    assert out.exit_code == 1, out.output
    failed = [line for line in out.output.splitlines() if "evaluator failed" in line]
    assert len(failed) == 1 and "the risk evaluator failed: NotEnoughHistory:" in failed[0]
    store = open_store(get_settings())
    [run] = store.client.search_runs([store.experiment_id])
    assert run.data.tags["passed"] == "False"


def test_a_database_error_is_reported_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> list[MetricRow]:
        raise RuntimeError("(sqlite3.OperationalError) no such table: projects\n[SQL: SELECT 1]")

    monkeypatch.setattr("evals.risk.evaluate", broken)
    rows = harness.run(harness.EvalContext(progress=lambda _: None), ("risk",))
    assert failures(rows) == [
        "the risk evaluator failed: RuntimeError: (sqlite3.OperationalError) no such table: projects"
    ]
    assert "FAIL" in render_table(rows)


PAIR = ("champion", "challenger")


class NoModels:
    """A model store with nothing registered."""

    def load_alias(self, name: str, alias: str) -> None:
        return None


@pytest.mark.parametrize(
    ("compare_registered", "refusal"),
    [
        (
            lambda store: evals.classifier.compare_registered(store, PAIR, None, None),
            "no request-classifier@champion; register one with `opscopilot train classifier`",
        ),
        (
            lambda store: evals.risk.compare_registered(None, store, PAIR, 0.5),
            "no overrun-risk@champion; register one with `opscopilot train risk`",
        ),
    ],
    ids=["classifier", "risk"],
)
def test_comparing_an_alias_nobody_registered_names_the_command_that_registers_one(
    compare_registered: Callable[[NoModels], object], refusal: str
) -> None:
    with pytest.raises(LookupError) as refused:
        compare_registered(NoModels())
    assert str(refused.value) == refusal


def _uncomputable_auc() -> list[MetricRow]:
    """What evals.risk gives right after training: no project ended after both models."""
    why = "0 projects ended after 2026-11-26, the later training cut-off"
    return [MetricRow("overrun-risk", "roc_auc", math.nan, math.nan, note=why, delta_gated=False)]


def test_compare_reports_a_figure_it_cannot_compute_yet_instead_of_failing(
    eval_cli: Eval, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("evals.risk.evaluate", lambda compare: _uncomputable_auc())
    out = eval_cli("--only", "risk", "--compare", "champion", "challenger", "--no-log")

    assert out.exit_code == 0, out.output
    [row] = [line for line in out.output.splitlines() if line.startswith("overrun-risk")]
    assert row.split()[-1] == "n/a" and "FAIL" not in out.output
    assert (
        "overrun-risk.roc_auc: not computable, reported but not failed: 0 projects ended after"
        in out.output
    )


def test_without_compare_a_missing_figure_still_fails(
    eval_cli: Eval, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("evals.risk.evaluate", _uncomputable_auc)
    out = eval_cli("--only", "risk", "--no-log")
    assert out.exit_code == 1 and "overrun-risk.roc_auc: no value" in out.output


def test_compare_still_fails_a_computed_figure_below_its_minimum(
    eval_cli: Eval, monkeypatch: pytest.MonkeyPatch
) -> None:
    low = MetricRow("overrun-risk", "roc_auc", 0.6, 0.9, delta_gated=False)
    monkeypatch.setattr("evals.risk.evaluate", lambda compare: [low])
    out = eval_cli("--only", "risk", "--compare", "champion", "challenger", "--no-log")
    assert out.exit_code == 1 and "below the minimum 0.8" in out.output
