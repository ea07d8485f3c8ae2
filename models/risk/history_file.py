"""Training examples from a firm's history export (CSV): estimated vs actual, one row per
finished project or task, plus whatever columns the export carries.

Format (see docs/models/risk.md): an estimate column and an actual column, in hours or in
money; optionally an end date (for the time split), a project id (rows of one project stay on
one side of the split), approved change-request hours, and feature columns. Numeric columns
become features; text columns with few distinct values are one-hot encoded; columns that
describe the outcome (``actual_*``, ``*variance*``, ``*overrun*``, change requests, ...) never
become features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from domain.errors import InvalidInput
from domain.importers.reading import SourceRow, read_source
from domain.importers.report import Problem
from models.risk.dataset import Example, overran
from models.risk.training import FeatureSpec

PAIRS = (
    # (what, estimate column names, actual column names, approved change column names)
    (
        "hours",
        ("estimated_hours", "budget_hours", "planned_hours"),
        ("actual_hours",),
        ("approved_change_hours", "change_request_hours"),
    ),
    (
        "cost",
        ("estimated_cost", "budget_amount", "planned_cost"),
        ("actual_cost", "actual_amount"),
        ("approved_change_amount", "approved_change_cost"),
    ),
)
DATES = ("end_date", "closed_on", "finished_on", "completed_on", "date")
GROUP_IDS = ("project_id", "project", "external_id", "id", "task_id", "task")
# Columns that record how the project ended, or the change requests the label already counts.
OUTCOME_WORDS = (
    "actual",
    "variance",
    "overrun",
    "outcome",
    "label",
    "change_request",
    "approved_change",
)
MAX_CATEGORIES = 20
MIN_ROWS = 20
_SHOWN = 20  # problems quoted in the message; all of them are in ``extra``


class HistoryFileRejected(InvalidInput):
    """The file cannot be trained on; ``problems`` says where and why. Nothing was trained."""

    code = "history_file_rejected"

    def __init__(self, file: str, problems: list[Problem], hint: str = "") -> None:
        self.problems = sorted(problems, key=lambda p: (p.row, p.field, p.reason))
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:_SHOWN]]
        if n > _SHOWN:
            lines.append(f"... and {n - _SHOWN} more")
        super().__init__(
            f"{file}: {n} problem{'s' if n != 1 else ''}; nothing was trained or registered"
            + (f" ({hint})" if hint else "")
            + ":\n  "
            + "\n  ".join(lines),
            extra={"problems": [vars(p) for p in self.problems]},
        )


@dataclass
class HistoryFile:
    examples: list[Example]
    spec: FeatureSpec
    target: str  # "hours" or "cost"
    ordered_by: str  # the date column, or "file order"
    ignored: list[str] = field(default_factory=list)


def read_history(path: Path) -> HistoryFile:
    """Read and check ``path``; raises HistoryFileRejected listing every problem found."""
    source = read_source(path)
    name = source.name
    columns = source.columns or sorted({k for r in source.rows for k in r.values})
    problems = list(source.problems)
    pair = _pick_pair(columns)
    if pair is None:
        accepted = "; ".join(f"{' or '.join(e)} with {' or '.join(a)}" for _, e, a, _ in PAIRS)
        raise HistoryFileRejected(
            name,
            [
                Problem(
                    1,
                    "",
                    f"needs an estimate and an actual column ({accepted}); "
                    f"found: {', '.join(columns) or 'none'}",
                )
            ],
        )
    target, est_col, act_col, change_col = pair
    date_col = next((c for c in DATES if c in columns), None)
    group_col = next((c for c in GROUP_IDS if c in columns), None)
    reserved = {est_col, act_col, change_col, date_col, group_col}
    candidates = [
        c for c in columns if c not in reserved and not any(w in c for w in OUTCOME_WORDS)
    ]
    numeric, categorical, ignored = _feature_columns(source.rows, candidates)
    numeric = [est_col, *numeric]

    examples: list[Example] = []
    for row in source.rows:
        v = row.values
        estimate = _number(v.get(est_col))
        actual = _number(v.get(act_col))
        raw_change = str(v.get(change_col) or "").strip() if change_col else ""
        change = _number(raw_change) if raw_change else 0.0
        if estimate is None or estimate <= 0:
            problems.append(
                Problem(row.number, est_col, f"must be a number > 0 (got {v.get(est_col)!r})")
            )
        if actual is None or actual < 0:
            problems.append(
                Problem(row.number, act_col, f"must be a number >= 0 (got {v.get(act_col)!r})")
            )
        if change_col and (change is None or change < 0):
            problems.append(Problem(row.number, change_col, "must be blank or a number >= 0"))
        ended = None
        if date_col:
            ended = _date(v.get(date_col))
            if ended is None:
                problems.append(
                    Problem(
                        row.number, date_col, f"must be a date YYYY-MM-DD (got {v.get(date_col)!r})"
                    )
                )
        if estimate is None or actual is None or change is None or (date_col and ended is None):
            continue
        features: dict[str, float | str] = {c: _or_nan(_number(v.get(c))) for c in numeric}
        features |= {c: str(v.get(c) or "").strip() for c in categorical}
        group = str(v.get(group_col) or "").strip() if group_col else ""
        examples.append(
            Example(
                group or f"row-{row.number}",
                ended,
                "file",
                features,
                int(overran(actual, estimate, change)),
            )
        )
    if problems:
        raise HistoryFileRejected(name, problems, hint="fix these rows and train again")
    if len(examples) < MIN_ROWS:
        raise HistoryFileRejected(
            name,
            [
                Problem(
                    1,
                    "",
                    f"has {len(examples)} usable rows; at least {MIN_ROWS} "
                    "finished projects or tasks are needed",
                )
            ],
        )
    spec = FeatureSpec(
        numeric=tuple(numeric),
        categorical=tuple(categorical),
        groups={c: (c,) for c in (*numeric, *categorical)},
        source=f"file:{name}",
    )
    return HistoryFile(examples, spec, target, date_col or "file order", ignored)


def _pick_pair(columns: list[str]) -> tuple[str, str, str, str | None] | None:
    for target, estimates, actuals, changes in PAIRS:
        est = next((c for c in estimates if c in columns), None)
        act = next((c for c in actuals if c in columns), None)
        if est and act:
            return target, est, act, next((c for c in changes if c in columns), None)
    return None


def _feature_columns(
    rows: list[SourceRow], candidates: list[str]
) -> tuple[list[str], list[str], list[str]]:
    numeric, categorical, ignored = [], [], []
    for col in candidates:
        values = [str(r.values.get(col) or "").strip() for r in rows]
        given = [x for x in values if x]
        if not given:
            ignored.append(col)
        elif all(_number(x) is not None for x in given):
            numeric.append(col)
        elif len(set(given)) <= min(MAX_CATEGORIES, len(given) // 2) and _date(given[0]) is None:
            categorical.append(col)
        else:
            ignored.append(col)  # free text, names, dates: nothing a tree can split on
    return numeric, categorical, ignored


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        x = float(str(value).strip().replace(",", ""))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _or_nan(x: float | None) -> float:
    return math.nan if x is None else x


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None
