"""The request corpus split: stratified, disjoint, and exactly what split.py regenerates."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

from evals.classifier import DATA_DIR, TEST_CSV, TRAIN_CSV


def _split_module():
    spec = importlib.util.spec_from_file_location("request_split", DATA_DIR / "split.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["text"], r["label"]) for r in csv.DictReader(f)]


def test_the_committed_split_is_what_the_script_makes() -> None:
    split = _split_module()
    train, test = split.split(split.read_raw(DATA_DIR / "raw"))
    assert _read(TRAIN_CSV) == train
    assert _read(TEST_CSV) == test


def test_every_label_is_held_out_by_a_quarter_and_nothing_is_in_both() -> None:
    train, test = _read(TRAIN_CSV), _read(TEST_CSV)
    assert not {t for t, _ in train} & {t for t, _ in test}
    tr, te = Counter(lab for _, lab in train), Counter(lab for _, lab in test)
    assert set(tr) == set(te) and len(tr) == 8
    for label in tr:
        assert abs(te[label] / (tr[label] + te[label]) - 0.25) < 0.02


def test_the_split_does_not_depend_on_row_order() -> None:
    split = _split_module()
    rows = split.read_raw(DATA_DIR / "raw")
    assert split.split(rows) == split.split(list(reversed(rows)))
