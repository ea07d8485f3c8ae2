"""Regenerate ``train.csv`` and ``test.csv`` from ``raw/*.csv`` (columns ``text,label``).

Run: ``.venv/bin/python evals/datasets/requests/split.py``

The split is stratified and deterministic: within each label, rows are ordered by a hash of
their text and the first quarter goes to the test split. A row's side depends only on its
text and the size of its label, never on file order, so re-running gives identical files.
The test split is for held-out evaluation only: nothing trains or tunes on it.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEST_SHARE = 0.25


def _key(text: str) -> str:
    # Whitespace and case do not move a row to the other side.
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def read_raw(raw_dir: Path) -> list[tuple[str, str]]:
    """All ``(text, label)`` rows of ``raw_dir/*.csv``, exact duplicate texts dropped."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in sorted(raw_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                text, label = row["text"].strip(), row["label"].strip()
                if text and label and _key(text) not in seen:
                    seen.add(_key(text))
                    rows.append((text, label))
    return rows


def split(
    rows: list[tuple[str, str]], test_share: float = TEST_SHARE
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Stratified split by stable hash: ``(train, test)``, each sorted by label then hash."""
    by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        by_label[row[1]].append(row)
    train: list[tuple[str, str]] = []
    test: list[tuple[str, str]] = []
    for label in sorted(by_label):
        ordered = sorted(by_label[label], key=lambda r: _key(r[0]))
        n_test = round(len(ordered) * test_share)
        test += ordered[:n_test]
        train += ordered[n_test:]
    return train, test


def write(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


def main() -> None:
    rows = read_raw(HERE / "raw")
    train, test = split(rows)
    write(HERE / "train.csv", train)
    write(HERE / "test.csv", test)
    labels = sorted({label for _, label in rows})
    print(f"{len(rows)} rows, {len(labels)} labels -> train {len(train)}, test {len(test)}")
    for label in labels:
        n_tr = sum(1 for _, lab in train if lab == label)
        n_te = sum(1 for _, lab in test if lab == label)
        print(f"  {label:<20} train {n_tr:>4}  test {n_te:>4}")


if __name__ == "__main__":
    main()
