"""Labelled request data: reading a ``text,label`` CSV with checks a person can act on, and
a deterministic stratified hold-out split.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from domain.errors import InvalidInput

# Each label needs enough rows for a stratified hold-out share and 3+ cross-validation folds.
MIN_PER_LABEL = 10


class TrainingDataError(InvalidInput):
    """A training file that cannot be used as it is; the message says what to change."""

    code = "bad_training_data"


@dataclass(frozen=True)
class LabeledData:
    texts: list[str]
    labels: list[str]
    source: str = ""

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def label_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))

    def rows(self) -> list[str]:
        """One ``label<TAB>text`` line per example, for fingerprinting the data."""
        return [f"{lab}\t{t}" for t, lab in zip(self.texts, self.labels, strict=True)]

    def subset(self, idx: np.ndarray | list[int]) -> LabeledData:
        return LabeledData(
            [self.texts[i] for i in idx], [self.labels[i] for i in idx], source=self.source
        )


def read_labeled_csv(path: Path, *, min_per_label: int = MIN_PER_LABEL) -> LabeledData:
    """Read and check a training file with columns ``text`` and ``label`` (UTF-8).

    Exact duplicate rows are dropped; the same text under two labels, blank cells, fewer
    than two labels or a label with fewer than ``min_per_label`` rows are errors.
    """
    if not path.is_file():
        raise TrainingDataError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TrainingDataError(
            f"{path}: not UTF-8 (byte {exc.start}, line {line}); save the file as UTF-8 CSV"
        ) from None
    return parse_labeled_csv(content, source=str(path), min_per_label=min_per_label)


def parse_labeled_csv(
    content: str, *, source: str = "<text>", min_per_label: int = MIN_PER_LABEL
) -> LabeledData:
    """Parse CSV text with ``text,label`` columns; see ``read_labeled_csv`` for the checks."""
    reader = csv.DictReader(io.StringIO(content))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in ("text", "label") if c not in columns]
    if missing:
        found = ", ".join(repr(c) for c in columns) or "none"
        raise TrainingDataError(
            f"{source}: missing column(s) {', '.join(missing)}; the header must name "
            f"'text' and 'label' (found: {found})"
        )
    reader.fieldnames = columns
    texts: list[str] = []
    labels: list[str] = []
    label_of: dict[str, str] = {}
    blank: list[int] = []
    conflicts: list[str] = []
    for line_no, row in enumerate(reader, start=2):
        text = " ".join((row.get("text") or "").split())
        label = (row.get("label") or "").strip()
        if not text or not label:
            blank.append(line_no)
            continue
        seen = label_of.get(text)
        if seen is None:
            label_of[text] = label
            texts.append(text)
            labels.append(label)
        elif seen != label:
            conflicts.append(f"line {line_no} ({seen!r} vs {label!r})")
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" ..." if len(blank) > 10 else "")
        raise TrainingDataError(f"{source}: empty text or label on line(s) {shown}")
    if conflicts:
        raise TrainingDataError(
            f"{source}: the same text has two labels at {'; '.join(conflicts[:5])}; "
            "keep one label per text"
        )
    if not texts:
        raise TrainingDataError(f"{source}: no rows; add labelled requests under the header")
    data = LabeledData(texts, labels, source=source)
    counts = data.label_counts
    if len(counts) < 2:
        raise TrainingDataError(
            f"{source}: only one label ({next(iter(counts))!r}); a classifier needs two or more"
        )
    small = {lab: n for lab, n in counts.items() if n < min_per_label}
    if small:
        listed = ", ".join(f"{lab!r} has {n}" for lab, n in small.items())
        raise TrainingDataError(
            f"{source}: too few examples: {listed}; each label needs at least "
            f"{min_per_label} (add examples or merge the label into another)"
        )
    return data


def stratified_holdout(
    data: LabeledData, share: float = 0.25, seed: int = 0
) -> tuple[LabeledData, LabeledData]:
    """``(train, holdout)`` with ``share`` of every label held out, reproducible by ``seed``."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(data))
    train_idx, hold_idx = train_test_split(
        idx, test_size=share, stratify=data.labels, random_state=seed
    )
    return data.subset(sorted(train_idx)), data.subset(sorted(hold_idx))
