"""Preferences no weights can be learned from are refused with what to fix, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from domain.errors import InvalidInput
from models.staffing.features import FEATURES
from models.staffing.preferences import read_preferences
from models.staffing.ranker import fit_weights_from_preferences

LOW = dict.fromkeys(FEATURES, 0.2)
HIGH = dict.fromkeys(FEATURES, 0.8)


def _write(path: Path, pairs: list[tuple[dict[str, float], dict[str, float]]]) -> Path:
    path.write_text("\n".join(json.dumps({"preferred": a, "other": b}) for a, b in pairs))
    return path


def test_too_few_pairs_or_contradicting_ones_are_invalid_input() -> None:
    with pytest.raises(InvalidInput, match=r"at least two preference pairs.*got 1"):
        fit_weights_from_preferences([(HIGH, LOW)])
    # Every pair prefers the candidate that is worse on every part.
    with pytest.raises(InvalidInput, match="'preferred' holds the candidate the approver chose"):
        fit_weights_from_preferences([(LOW, HIGH)] * 4)


def test_a_non_finite_part_is_named_before_scikit_learn_sees_it() -> None:
    bad = {**HIGH, "margin": float("nan")}
    with pytest.raises(InvalidInput, match="preference pair 2: margin is nan"):
        fit_weights_from_preferences([(HIGH, LOW), (bad, LOW), (HIGH, LOW)])


@pytest.mark.parametrize(
    ("value", "shown"),
    [("NaN", "nan"), ("Infinity", "inf"), ('"nan"', "nan"), ("-Infinity", "-inf"),
     ("5", "5.0"), ("-0.5", "-0.5")],
)  # fmt: skip
def test_reading_refuses_values_outside_0_to_1_by_line(
    tmp_path: Path, value: str, shown: str
) -> None:
    path = _write(tmp_path / "prefs.jsonl", [(HIGH, LOW)] * 5)
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace('"availability": 0.2', f'"availability": {value}')
    path.write_text("\n".join(lines))
    with pytest.raises(
        InvalidInput, match=rf"prefs.jsonl line 3: other availability is {shown}; .* from 0 to 1"
    ):
        read_preferences(path)


@pytest.mark.usefixtures("cli_data_dir")
def test_the_command_says_what_to_fix_and_registers_nothing(tmp_path: Path) -> None:
    contradicting = _write(tmp_path / "contradicting.jsonl", [(LOW, HIGH)] * 10)
    result = CliRunner().invoke(cli, ["train", "staffing", "--preferences", str(contradicting)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "contradict every part" in result.output
    assert "nothing was registered" in result.output

    nan = _write(
        tmp_path / "nan.jsonl", [(HIGH, LOW)] * 3 + [(HIGH, {**LOW, "margin": float("inf")})]
    )
    result = CliRunner().invoke(cli, ["train", "staffing", "--preferences", str(nan)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "nan.jsonl line 4: other margin is inf" in result.output


@pytest.mark.usefixtures("cli_data_dir")
def test_the_held_out_share_is_bounded(tmp_path: Path) -> None:
    prefs = _write(tmp_path / "prefs.jsonl", [(HIGH, LOW)] * 4)
    result = CliRunner().invoke(
        cli, ["train", "staffing", "--preferences", str(prefs), "--test-share", "0.9"]
    )
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--test-share'" in result.output
    assert "less than or equal to 0.5" in result.output
