"""Driver sentences a delivery manager can check against the project ("burn 72% vs 45% complete")."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from models.risk.features import RECENT, RECENT_NOTES

Values = Mapping[str, float | str]


def _num(v: float | str | None) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _pct(v: float | str | None) -> str:
    x = _num(v)
    return "n/a" if math.isnan(x) else f"{x:.0%}"


def _burn_vs_progress(f: Values, c: Mapping[str, Any]) -> str:
    if math.isnan(_num(f.get("percent_complete"))):
        return f"burn {_pct(f.get('burn'))} and no progress reported in a status note yet"
    return f"burn {_pct(f.get('burn'))} vs {_pct(f.get('percent_complete'))} complete"


def _burn_vs_schedule(f: Values, c: Mapping[str, Any]) -> str:
    return (
        f"burn {_pct(f.get('burn'))} with {_pct(f.get('schedule_elapsed'))} of the schedule elapsed"
    )


def _recent_rate(f: Values, c: Mapping[str, Any]) -> str:
    rate = _num(f.get("recent_burn_rate"))
    if math.isnan(rate):
        return "no recent burn yet"
    return f"last {RECENT.days // 7} weeks burned at {rate:.1f}x the planned pace"


def _changes(f: Values, c: Mapping[str, Any]) -> str:
    n = int(_num(f.get("change_requests")) or 0)
    if n == 0:
        return "no change requests raised"
    hours = c.get("change_hours")
    size = f"{hours:.0f} h, " if hours is not None else ""
    plural = "s" if n != 1 else ""
    return (
        f"{n} change request{plural} raised ({size}{_pct(f.get('change_hours_share'))} of budget)"
    )


def _churn(f: Values, c: Mapping[str, Any]) -> str:
    if "churned" in c and c.get("assignments"):
        return f"{c['churned']} of {c['assignments']} assignments ended early or were replaced"
    return f"team churn {_pct(f.get('team_churn'))}"


def _late(f: Values, c: Mapping[str, Any]) -> str:
    return f"{_pct(f.get('late_time_share'))} of logged hours submitted after their week ended"


def _missing(f: Values, c: Mapping[str, Any]) -> str:
    weeks = RECENT.days // 7
    return (
        f"{_pct(f.get('missing_time_share'))} of staffed hours in the last {weeks} weeks not logged"
    )


def _notes(f: Values, c: Mapping[str, Any]) -> str:
    days = _num(f.get("days_since_note"))
    if math.isnan(days):
        return "no status notes yet"
    n = c.get("notes", RECENT_NOTES)
    text = f"last {n} status notes: {c.get('red', 0)} red, {c.get('amber', 0)} amber"
    if c.get("worries"):
        text += f"; worried wording ({', '.join(c['worries'][:3])})"
    if days > 21:
        text += f"; none for {days:.0f} days"
    return text


def _size(f: Values, c: Mapping[str, Any]) -> str:
    return f"budget {10 ** _num(f.get('log_budget_hours')):,.0f} h"


SENTENCES: dict[str, Callable[[Values, Mapping[str, Any]], str]] = {
    "burn_vs_progress": _burn_vs_progress,
    "burn_vs_schedule": _burn_vs_schedule,
    "recent_burn_rate": _recent_rate,
    "change_requests": _changes,
    "team_churn": _churn,
    "late_time": _late,
    "missing_time": _missing,
    "status_notes": _notes,
    "size": _size,
    "contract_type": lambda f, c: f"{str(f.get('contract_type', '?')).replace('_', ' ')} contract",
    "engagement_type": lambda f, c: (
        f"{str(f.get('engagement_type', '?')).replace('_', ' ')} engagement"
    ),
}


def describe(group: str, features: Values, context: Mapping[str, Any] | None = None) -> str:
    """One sentence stating the facts behind driver ``group`` for this project."""
    sentence = SENTENCES.get(group)
    if sentence is not None:
        return sentence(features, context or {})
    # Columns of a history export: name and value are all there is to say.
    value = features.get(group)
    if isinstance(value, str):
        return f"{group.replace('_', ' ')} is {value}"
    x = _num(value)
    shown = "missing" if math.isnan(x) else f"{x:,.3g}"
    return f"{group.replace('_', ' ')} = {shown}"
