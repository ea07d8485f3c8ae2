"""The regression gate: held-out numbers must meet evals/thresholds.yaml.

Runs the fast evaluation (the same recipe as `opscopilot eval --fast`) on the bundled request
corpus: train on train.csv, score on test.csv. Evaluators that need a firm's database (staffing,
risk) are gated by their own tests, on data those tests build.
"""

from __future__ import annotations

import pytest

from evals.harness import EvalContext
from evals.metrics import MetricRow, failures, load_thresholds, render_table

pytestmark = pytest.mark.slow


def test_every_held_out_metric_meets_its_threshold(
    gate_run: tuple[EvalContext, list[MetricRow]],
) -> None:
    _, rows = gate_run
    assert not [r for r in rows if r.metric == "error"], render_table(rows)
    assert not failures(rows), "\n".join(failures(rows)) + "\n" + render_table(rows)


def test_every_threshold_in_the_file_was_checked(
    gate_run: tuple[EvalContext, list[MetricRow]],
) -> None:
    _, rows = gate_run
    checked = {r.key for r in rows if r.threshold is not None}
    classifier_keys = {k for k in load_thresholds() if k.startswith("request-classifier.")}
    assert classifier_keys and classifier_keys <= checked


def test_the_classifier_beats_both_baselines_on_held_out_data(
    gate_run: tuple[EvalContext, list[MetricRow]],
) -> None:
    _, rows = gate_run
    f1 = {r.baseline_name: r for r in rows if r.metric == "macro_f1"}
    assert set(f1) == {"tfidf_lr", "embedding_lr"}
    for row in f1.values():
        assert row.baseline is not None and row.ours > row.baseline, render_table(rows)
