"""Override metrics as tables: columns for MLflow (``log_table``) and text for a terminal."""

from __future__ import annotations

from typing import Any

from app.feedback.report import OUTCOMES, OverrideMetrics, Rates

BREAKDOWNS = {
    "by_type": "proposal type",
    "by_model_version": "model version",
    "by_prompt_version": "prompt version",
    "by_practice": "practice",
    "by_approver": "approver",
    "by_reason_code": "reason code",
}


def rates_columns(key_name: str, groups: dict[str, Rates]) -> dict[str, list[Any]]:
    """One row per group: its key, how many were decided, and the share of each outcome."""
    cols: dict[str, list[Any]] = {key_name: list(groups), "decided": []}
    for o in OUTCOMES:
        cols[o] = []
    for r in groups.values():
        cols["decided"].append(r.decided)
        for o in OUTCOMES:
            cols[o].append(r.rate(o))
    return cols


def all_tables(m: OverrideMetrics) -> dict[str, dict[str, list[Any]]]:
    """Every table of the report, by name."""
    tables = {name: rates_columns(label, getattr(m, name)) for name, label in BREAKDOWNS.items()}
    tables["overall"] = rates_columns("scope", {"all": m.overall})
    weekly = rates_columns("week", {w.week_start.isoformat(): w for w in m.weekly})
    tables["weekly"] = weekly
    tables["time_to_decision"] = {
        "proposal type": list(m.time_to_decision),
        "decided by a person": [t.n for t in m.time_to_decision.values()],
        "p50 hours": [t.p50_hours for t in m.time_to_decision.values()],
        "p90 hours": [t.p90_hours for t in m.time_to_decision.values()],
    }
    tables["edit_ratio"] = {
        "proposal type": list(m.mean_edit_ratio),
        "mean edit ratio": list(m.mean_edit_ratio.values()),
    }
    tables["feedback_status"] = {
        "status": list(m.feedback_status),
        "decisions": list(m.feedback_status.values()),
    }
    return tables


def _cell(value: Any, column: str) -> str:
    if value is None:
        return "-"
    if column in OUTCOMES and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render(title: str, columns: dict[str, list[Any]]) -> str:
    """A fixed-width text table; rates as percentages, the first column left-aligned."""
    names = list(columns)
    rows = [[_cell(v, c) for c, v in zip(names, values, strict=True)]
            for values in zip(*columns.values(), strict=True)]  # fmt: skip
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [title, line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in rows] or ["(no decisions)"]
    return "\n".join(out)


def render_report(m: OverrideMetrics) -> str:
    """Every table of the report as text, in reading order."""
    window = f"since {m.since:%Y-%m-%d}" if m.since else "all time"
    tables = all_tables(m)
    parts = [
        f"Override metrics, {window} (until {m.until:%Y-%m-%d %H:%M} UTC): "
        f"{m.overall.decided} decisions",
        render("Overall", tables["overall"]),
        *(render(f"By {label}", tables[name]) for name, label in BREAKDOWNS.items()),
        render("Time to decision (hours)", tables["time_to_decision"]),
        render("Edits (share of characters changed)", tables["edit_ratio"]),
        render("By week", tables["weekly"]),
        render("Feedback delivery to MLflow", tables["feedback_status"]),
    ]
    return "\n\n".join(parts)
