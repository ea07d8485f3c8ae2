"""Champion beside challenger as a table, a chart and a JSON report.

Written under ``<data dir>/reports/tuning/<model>/v<challenger>/`` and logged to the
challenger's MLflow run, so the person deciding the promotion sees the same numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from models.tuning.verdict import Check, Verdict


def _fmt(v: float) -> str:
    return "n/a" if math.isnan(v) else f"{v:.4f}"


def checks_table(checks: Sequence[Check]) -> str:
    """Fixed-width rows: what, champion, challenger, gain, kind."""
    header = ["check", "champion", "challenger", "gain", "kind"]
    body: list[list[str]] = [
        [
            c.name,
            _fmt(c.champion),
            _fmt(c.challenger),
            f"{c.gain:+.4f}" if c.known else "-",
            c.kind
            + (" (decides)" if c.primary else "")
            + (f" (allowed {c.tolerance:g} worse)" if c.kind == "held_out" else ""),
        ]
        for c in checks
    ]
    return "\n".join(aligned([header, *body]))


def aligned(rows: Sequence[Sequence[str]], *, rule: bool = True) -> list[str]:
    """``rows`` (the first is the header) as left-aligned columns, with a dashed rule under
    the header unless ``rule`` is False."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    if rule:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def checks_figure(checks: Sequence[Check], title: str) -> Figure:
    """Champion and challenger bars for every number on a 0-1 scale."""
    shown = [c for c in checks if c.known and 0 <= c.champion <= 1 and 0 <= c.challenger <= 1]
    fig = Figure(figsize=(8, 0.5 * max(len(shown), 1) + 1.4))
    ax = fig.subplots()
    y = list(range(len(shown)))
    ax.barh(
        [i - 0.2 for i in y], [c.champion for c in shown], 0.4, color="tab:grey", label="champion"
    )
    ax.barh(
        [i + 0.2 for i in y],
        [c.challenger for c in shown],
        0.4,
        color="tab:blue",
        label="challenger",
    )
    ax.set_yticks(y, [c.name for c in shown], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def jsonable(value: Any) -> Any:
    """``value`` with NaN as None and keys as strings, safe for a proposal payload."""
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def write(out: Path, verdict: Verdict, report: dict[str, Any], figures: dict[str, Figure]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "comparison.txt").write_text(checks_table(verdict.checks) + "\n")
    (out / "report.json").write_text(json.dumps(jsonable(report), indent=2, default=str))
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=110)
