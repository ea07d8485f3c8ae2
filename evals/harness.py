"""``opscopilot eval``: every model on its held-out data, one table, one MLflow run.

Each model plugs in as a module ``evals/<name>.py`` with a function
``evaluate(...) -> list[MetricRow]``. The harness passes the arguments that function names,
from what it has (see ``EvalContext.resources``): ``session``, ``encoder``, ``fast``,
``store``, ``compare``, ``progress``, ``today``, ``risk_flag_threshold``. A module that is not
there yet is skipped; one that fails becomes an ``error`` row, so the others still report, and
the run fails.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from sqlalchemy.orm import Session, sessionmaker

from evals.metrics import (
    ERROR,
    MetricRow,
    apply_thresholds,
    failures,
    load_thresholds,
    render_table,
    table,
)

EVALUATORS = ("classifier", "staffing", "risk")


def _print(message: str) -> None:
    print(message, flush=True)


@dataclass
class EvalContext:
    """What an evaluator may ask for, by parameter name."""

    encoder: Any = None
    sessions: sessionmaker[Session] | None = None
    store: Any = None  # models.registry.ModelStore, to load registered models
    compare: tuple[str, str] | None = None  # (reference alias, candidate alias)
    fast: bool = False
    today: date = field(default_factory=date.today)
    # The served flag threshold (settings), so risk's flag precision and recall are the ones
    # `train risk` reports; None leaves the evaluator's default.
    risk_flag_threshold: float | None = None
    progress: Callable[[str], None] = _print
    # Evaluators may leave what they built here (a trained model, a full report) for callers.
    artifacts: dict[str, Any] = field(default_factory=dict)

    def resources(self) -> dict[str, Any]:
        return {
            "encoder": self.encoder,
            "store": self.store,
            "compare": self.compare,
            "fast": self.fast,
            "today": self.today,
            "risk_flag_threshold": self.risk_flag_threshold,
            "progress": self.progress,
            "artifacts": self.artifacts,
        }


def discover(names: tuple[str, ...] = EVALUATORS) -> dict[str, Callable[..., list[MetricRow]]]:
    """``evaluate`` of each ``evals.<name>`` module that exists."""
    found = {}
    for name in names:
        try:
            module = importlib.import_module(f"evals.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"evals.{name}":
                raise
            continue
        found[name] = module.evaluate
    return found


@contextmanager
def _read_only_session(sessions: sessionmaker[Session] | None) -> Iterator[Session | None]:
    if sessions is None:
        yield None
        return
    session = sessions()
    try:
        yield session
    finally:
        session.rollback()  # evaluations read; nothing they touch is kept
        session.close()


def call(evaluate: Callable[..., list[MetricRow]], ctx: EvalContext) -> list[MetricRow]:
    """Call ``evaluate`` with the resources its parameters name."""
    params = inspect.signature(evaluate).parameters
    available = ctx.resources()
    with _read_only_session(ctx.sessions if "session" in params else None) as session:
        available["session"] = session
        kwargs = {}
        for name, p in params.items():
            if name in available and available[name] is not None:
                kwargs[name] = available[name]
            elif p.default is inspect.Parameter.empty and p.kind not in (
                p.VAR_KEYWORD,
                p.VAR_POSITIONAL,
            ):
                raise TypeError(f"needs {name!r}, which this run does not provide")
        return evaluate(**kwargs)


def run(ctx: EvalContext, names: tuple[str, ...] = EVALUATORS) -> list[MetricRow]:
    """Every evaluator's rows, with thresholds from ``thresholds.yaml`` attached."""
    rows: list[MetricRow] = []
    for name, evaluate in discover(names).items():
        ctx.progress(f"== {name}")
        try:
            rows += call(evaluate, ctx)
        except Exception as exc:  # one broken evaluator must not hide the others' numbers
            rows.append(MetricRow(name, ERROR, math.nan, note=_one_line(exc)))
    if ctx.compare:  # right after training a figure may have nothing unseen to be computed on
        rows = [replace(r, missing_fails=False) for r in rows]
    return apply_thresholds(rows, load_thresholds())


def _one_line(exc: Exception) -> str:
    """The exception's type and first line (database errors append their SQL below it)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def log_run(
    store: Any, rows: list[MetricRow], params: dict[str, Any], report_dir: Path | None
) -> str:
    """One MLflow run with every metric, the table, and a chart; the same files on disk."""
    import mlflow

    text = render_table(rows)
    fig = comparison_figure(rows)
    mlflow.set_tracking_uri(store.tracking_uri)
    with mlflow.start_run(experiment_id=store.experiment_id, run_name="eval") as active:
        mlflow.log_params(params)
        metrics = {}
        for r in rows:
            if not math.isnan(r.ours):
                metrics[f"{r.key}.ours"] = r.ours
            if r.baseline is not None and not math.isnan(r.baseline):
                metrics[f"{r.key}.baseline.{r.baseline_name or 'baseline'}"] = r.baseline
        mlflow.log_metrics(metrics)
        mlflow.set_tags({"kind": "eval", "passed": str(not failures(rows))})
        mlflow.log_table(table(rows), "eval_table.json")
        mlflow.log_text(text, "eval_table.txt")
        mlflow.log_figure(fig, "eval_vs_baselines.png")
        run_id: str = active.info.run_id
    if report_dir is not None:
        out = report_dir / run_id
        out.mkdir(parents=True, exist_ok=True)
        (out / "eval_table.txt").write_text(text + "\n")
        (out / "eval_table.json").write_text(json.dumps(table(rows), indent=2, default=str))
        fig.savefig(out / "eval_vs_baselines.png", dpi=110)
    return run_id


def comparison_figure(rows: list[MetricRow]) -> Figure:
    """Ours beside the baseline for every metric on a 0-1 scale (latencies are left out)."""
    shown = [r for r in rows if 0 <= r.ours <= 1 and (r.baseline is None or 0 <= r.baseline <= 1)]
    fig = Figure(figsize=(8, 0.45 * len(shown) + 1.5))
    ax = fig.add_subplot()
    y = list(range(len(shown)))
    ax.barh([i - 0.2 for i in y], [r.ours for r in shown], height=0.4, label="ours")
    ax.barh(
        [i + 0.2 for i in y],
        [r.baseline if r.baseline is not None else 0 for r in shown],
        height=0.4,
        color="tab:grey",
        label="baseline",
    )
    ax.set_yticks(y, [f"{r.key} vs {r.baseline_name or '-'}" for r in shown], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.legend(loc="lower right")
    ax.set_title("Held-out metrics: ours vs baseline")
    fig.tight_layout()
    return fig
