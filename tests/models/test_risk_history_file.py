"""Training from a firm's history export, and what a person reads when the file is wrong."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.risk.history_file import HistoryFileRejected, read_history
from models.risk.training import fit, train_and_evaluate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
SAMPLE = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "risk" / "history_sample.csv"


def write(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_the_sample_export_trains_on_its_own_columns() -> None:
    history = read_history(SAMPLE)
    assert history.target == "hours" and history.ordered_by == "end_date"
    assert history.ignored == ["notes"]  # free text
    assert set(history.spec.categorical) == {
        "contract_type",
        "engagement_type",
        "estimate_confidence",
        "new_client",
    }
    # The outcome and the change hours that move the label never become features.
    assert "actual_hours" not in history.spec.numeric
    assert "approved_change_hours" not in history.spec.numeric
    result = train_and_evaluate(history.examples, history.spec, threshold=0.5)
    m = result.evaluation.metrics
    assert result.evaluation.baseline_name == "training base rate"
    assert m["roc_auc"] > 0.7 and m["brier"] < m["baseline_brier"]


def test_drivers_name_the_export_column_that_matters() -> None:
    history = read_history(SAMPLE)
    model = fit(history.examples, history.spec)
    base: dict[str, float | str] = {
        "estimated_hours": 1500.0,
        "team_size": 6.0,
        "contract_type": "time_and_materials",
        "engagement_type": "implementation",
        "new_client": "no",
    }
    p, drivers = model.explain(
        [base | {"estimate_confidence": "low"}, base | {"estimate_confidence": "high"}]
    )
    assert p[0] > p[1]
    low = {d.factor: d for d in drivers[0]}
    assert low["estimate_confidence"].effect > 0
    assert low["estimate_confidence"].sentence == "estimate confidence is low"


def test_the_import_history_format_trains_on_what_was_known_up_front(tmp_path: Path) -> None:
    # The columns of `opscopilot import history` (docs/data-formats.md, "history").
    header = (FIXTURES / "history.csv").read_text().splitlines()[0].split(",")
    rows = [
        [
            f"H-{i}",
            f"Client {i % 4}",
            f"Project {i}",
            "implementation",
            "fixed_fee",
            800,
            800 * (1.3 if i % 3 == 0 else 0.9),
            "2022-02-01",
            f"2022-{1 + i // 3:02d}-28",
            128000,
            "Data & AI",
            "EMEA",
            40 * (i % 2),
            i % 2,
            2 + i % 5,
            "late data" if i % 3 == 0 else "",
        ]
        for i in range(30)
    ]
    history = read_history(write(tmp_path / "history.csv", header, rows))
    assert history.target == "hours" and history.ordered_by == "end_date"
    assert {e.group for e in history.examples} == {f"H-{i}" for i in range(30)}
    assert sum(e.label for e in history.examples) == 10
    assert history.spec.numeric == ("budget_hours", "budget_amount", "team_size")
    assert history.spec.categorical == (
        "client",
        "engagement_type",
        "contract_type",
        "practice",
        "region",
    )
    assert set(history.ignored) == {"name", "start_date"}


def test_outcome_columns_are_never_features(tmp_path: Path) -> None:
    rows = [
        [f"P{i}", f"2024-01-{i + 1:02d}", 100, 100 + 30 * (i % 2), 5 * (i % 2), i % 3]
        for i in range(24)
    ]
    path = write(
        tmp_path / "h.csv",
        ["id", "date", "estimated_cost", "actual_cost", "cost_variance", "phases"],
        rows,
    )
    history = read_history(path)
    assert history.target == "cost"
    assert history.spec.numeric == ("estimated_cost", "phases")


def test_a_file_without_an_outcome_says_which_columns_it_needs(tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", ["project_id", "estimated_hours", "spent"], [["A", 10, 12]])
    with pytest.raises(HistoryFileRejected) as err:
        read_history(path)
    assert "needs an estimate and an actual column" in err.value.detail
    assert "found: project_id, estimated_hours, spent" in err.value.detail
    assert "nothing was trained or registered" in err.value.detail


def test_every_bad_row_is_listed_with_its_line_and_field(tmp_path: Path) -> None:
    good = [[f"P{i}", "2024-02-01", 100, 120] for i in range(30)]
    bad = [
        ["X1", "2024-02-01", "abc", 120],
        ["X2", "March", 100, 90],
        ["X3", "2024-02-01", 100, ""],
    ]
    path = write(
        tmp_path / "h.csv",
        ["project_id", "end_date", "estimated_hours", "actual_hours"],
        good[:2] + bad + good[2:],
    )
    with pytest.raises(HistoryFileRejected) as err:
        read_history(path)
    problems = [(p.row, p.field) for p in err.value.problems]
    assert problems == [(4, "estimated_hours"), (5, "end_date"), (6, "actual_hours")]
    assert "row 4, field estimated_hours: must be a number > 0 (got 'abc')" in err.value.detail


def test_too_short_a_history_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", ["estimated_hours", "actual_hours"], [[100, 90]] * 5)
    with pytest.raises(HistoryFileRejected, match="5 usable rows; at least 20"):
        read_history(path)


def test_the_cli_refuses_a_bad_file_and_registers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli.main import cli
    from app.settings import get_settings

    data_dir = tmp_path / "var"
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    try:
        path = write(tmp_path / "h.csv", ["estimated_hours", "actual_hours"], [["lots", 90]] * 25)
        result = CliRunner().invoke(cli, ["train", "risk", "--data", str(path)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "row 2, field estimated_hours: must be a number > 0" in result.output
    assert not (data_dir / "mlflow.db").exists()
