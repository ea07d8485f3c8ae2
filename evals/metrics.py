"""One row per number the evaluation reports, and the thresholds those numbers must meet.

Every evaluator (``evals/classifier.py``, ``evals/staffing.py``, ``evals/risk.py``) returns
``MetricRow``s: our model's figure beside its baseline on held-out data. ``thresholds.yaml``
sets the minimum acceptable figure (``min``, or ``max`` where lower is better) and how far
ahead of the baseline we must stay (``min_delta``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"
ERROR = "error"  # the metric of the row standing in for an evaluator that failed


@dataclass(frozen=True)
class Threshold:
    min: float | None = None
    max: float | None = None
    min_delta: float | None = None  # ours - baseline must be at least this


@dataclass(frozen=True)
class MetricRow:
    model: str  # registry name, e.g. "request-classifier"
    metric: str  # e.g. "macro_f1"
    ours: float
    baseline: float | None = None
    higher_is_better: bool = True
    baseline_name: str = ""  # what the baseline is: "tfidf_lr", "champion v3", ...
    note: str = ""
    threshold: Threshold | None = None
    # False when the baseline is another version of our own model (champion vs challenger):
    # the delta is then information for a person deciding, not a bar to clear.
    delta_gated: bool = True
    # False when comparing registered versions: right after training nothing may be unseen by
    # both, so a figure that cannot be computed is reported, not failed. The harness sets it
    # when comparing; the tuning runner's held-out checks rely on it (app/tuning/runner.py).
    missing_fails: bool = True

    @property
    def key(self) -> str:
        return f"{self.model}.{self.metric}"

    @property
    def delta(self) -> float | None:
        return None if self.baseline is None else self.ours - self.baseline

    @property
    def not_computable(self) -> bool:
        """No figure, and that is reported rather than failed (see ``missing_fails``)."""
        return math.isnan(self.ours) and not self.missing_fails and self.metric != ERROR

    def problems(self) -> list[str]:
        """Why this row fails (empty when it passes or has no threshold).

        An evaluator that failed always fails the run: its numbers are missing, not good.
        """
        if self.metric == ERROR:
            return [f"the {self.model} evaluator failed: {self.note}"]
        t = self.threshold
        if t is None or self.not_computable:
            return []
        if math.isnan(self.ours):
            return [f"{self.key}: no value"]
        out = []
        if t.min is not None and self.ours < t.min:
            out.append(f"{self.key} = {self.ours:.4f} is below the minimum {t.min}")
        if t.max is not None and self.ours > t.max:
            out.append(f"{self.key} = {self.ours:.4f} is above the maximum {t.max}")
        delta = self.delta
        if t.min_delta is not None and delta is not None and self.delta_gated:
            gain = delta if self.higher_is_better else -delta
            if gain < t.min_delta:
                out.append(
                    f"{self.key} is {gain:+.4f} against {self.baseline_name or 'the baseline'}; "
                    f"needs at least {t.min_delta:+}"
                )
        return out


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, Threshold]:
    """``{"model.metric": Threshold}`` from the YAML file (model -> metric -> bounds)."""
    raw: dict[str, dict[str, dict[str, float]]] = yaml.safe_load(path.read_text()) or {}
    out = {}
    for model, metrics in raw.items():
        for metric, bounds in (metrics or {}).items():
            unknown = set(bounds) - {"min", "max", "min_delta"}
            if unknown:
                raise ValueError(f"{path}: {model}.{metric} has unknown keys {sorted(unknown)}")
            out[f"{model}.{metric}"] = Threshold(**{k: float(v) for k, v in bounds.items()})
    return out


def apply_thresholds(rows: list[MetricRow], thresholds: dict[str, Threshold]) -> list[MetricRow]:
    return [replace(r, threshold=thresholds.get(r.key, r.threshold)) for r in rows]


def failures(rows: list[MetricRow]) -> list[str]:
    return [p for r in rows for p in r.problems()]


def _status(r: MetricRow) -> str:
    if r.problems():
        return "FAIL"
    if r.threshold is None:
        return ""
    return "n/a" if r.not_computable else "ok"


def _note(r: MetricRow) -> str:
    if not r.not_computable:
        return r.note
    return f"not computable, reported but not failed: {r.note or 'nothing to compute it on'}"


def _fmt(v: float | None, signed: bool = False) -> str:
    if v is None:
        return "-"
    if math.isnan(v):
        return "n/a"
    return f"{v:+.4f}" if signed else f"{v:.4f}"


def _threshold_text(r: MetricRow) -> str:
    t = r.threshold
    if t is None:
        return "-"
    parts = []
    if t.min is not None:
        parts.append(f">= {t.min:g}")
    if t.max is not None:
        parts.append(f"<= {t.max:g}")
    if t.min_delta is not None and r.delta_gated:
        parts.append(
            f"delta {'>=' if r.higher_is_better else '<='} {t.min_delta if r.higher_is_better else -t.min_delta:+g}"
        )
    return ", ".join(parts)


def table(rows: list[MetricRow]) -> dict[str, list[Any]]:
    """The rows as columns (for MLflow's ``log_table`` and CSV)."""
    return {
        "model": [r.model for r in rows],
        "metric": [r.metric for r in rows],
        "ours": [r.ours for r in rows],
        "baseline": [r.baseline for r in rows],
        "baseline_name": [r.baseline_name for r in rows],
        "delta": [r.delta for r in rows],
        "threshold": [_threshold_text(r) for r in rows],
        "status": [_status(r) for r in rows],
        "note": [_note(r) for r in rows],
    }


def render_table(rows: list[MetricRow]) -> str:
    """A fixed-width text table: model, metric, ours, baseline, delta, threshold, status."""
    header = ["model", "metric", "ours", "baseline", "delta", "threshold", "status"]
    body = [
        [
            r.model,
            r.metric,
            _fmt(r.ours),
            f"{_fmt(r.baseline)} ({r.baseline_name})" if r.baseline is not None else "-",
            _fmt(r.delta, signed=True),
            _threshold_text(r),
            _status(r),
        ]
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(header, *body, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    notes = [f"  {r.key}: {_note(r)}" for r in rows if _note(r)]
    return "\n".join(lines + (["notes:", *notes] if notes else []))
