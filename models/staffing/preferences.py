"""Approvers' choices between two candidates, read from a JSON Lines file for training."""

from __future__ import annotations

import json
from pathlib import Path

from domain.errors import InvalidInput
from models.staffing.features import FEATURES
from models.staffing.ranker import Preference

MIN_PAIRS = 4  # enough to hold some out and still learn from two
SIDES = ("preferred", "other")


def read_preferences(path: Path) -> list[Preference]:
    """Pairs from a JSON Lines file: ``{"preferred": {part: value}, "other": {part: value}}``.

    Each side holds every part of ``features.FEATURES`` on 0..1, as recorded in the feature
    snapshot of an ``assign_staff`` decision (the chosen candidate against one passed over).
    A line that breaks these rules is refused by number, before anything is trained.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInput(f"cannot read preference file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"preference file {path} is not UTF-8 text") from exc
    pairs: list[Preference] = []
    for n, line in enumerate(lines, start=1):
        if line.strip():
            pairs.append(_pair(line, f"{path.name} line {n}"))
    if len(pairs) < MIN_PAIRS:
        raise InvalidInput(f"{path.name}: {len(pairs)} preference pairs; need at least {MIN_PAIRS}")
    return pairs


def _pair(line: str, where: str) -> Preference:
    try:
        row = json.loads(line)
        preferred, other = ({f: float(row[s][f]) for f in FEATURES} for s in SIDES)
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"{where}: expected {{'preferred': {{...}}, 'other': {{...}}}} with "
            f"numbers for {', '.join(FEATURES)} ({exc.__class__.__name__}: {exc})"
        ) from exc
    # JSON readers accept NaN and Infinity, and float() the strings "nan" and "inf"; NaN
    # fails both comparisons.
    for side, values in zip(SIDES, (preferred, other), strict=True):
        for part, value in values.items():
            if not 0.0 <= value <= 1.0:
                raise InvalidInput(
                    f"{where}: {side} {part} is {value}; every part must be a number from 0 to 1"
                )
    return preferred, other
