"""Record an override-metrics report: an MLflow run (metrics, tables, plots) and the same files
under the data directory."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from app.feedback.plots import FIGURES
from app.feedback.report import RATE_NAMES, OverrideMetrics
from app.feedback.tables import all_tables, render_report

RUN_NAME = "feedback-report"


def metric_values(m: OverrideMetrics) -> dict[str, float]:
    """Flat metrics for MLflow: overall and per type (keys MLflow accepts: no e-mails)."""
    values: dict[str, float] = {"decisions": float(m.overall.decided)}
    for outcome, name in RATE_NAMES.items():
        values[name] = m.overall.rate(outcome)
        for kind, r in m.by_type.items():
            values[f"{kind}.{name}"] = r.rate(outcome)
    for kind, r in m.by_type.items():
        values[f"{kind}.decisions"] = float(r.decided)
    for scope, t in m.time_to_decision.items():
        prefix = "" if scope == "all" else f"{scope}."
        if t.p50_hours is not None and t.p90_hours is not None:
            values[f"{prefix}time_to_decision_p50_hours"] = t.p50_hours
            values[f"{prefix}time_to_decision_p90_hours"] = t.p90_hours
    for scope, ratio in m.mean_edit_ratio.items():
        values["mean_edit_ratio" if scope == "all" else f"{scope}.mean_edit_ratio"] = ratio
    for status, n in m.feedback_status.items():
        values[f"feedback.{status.strip('()').replace(' ', '_')}"] = float(n)
    return values


def _week_ms(m: OverrideMetrics, i: int) -> int:
    day = m.weekly[i].week_start
    return int(datetime.combine(day, clock_time(), tzinfo=UTC).timestamp() * 1000)


def log_report(
    m: OverrideMetrics,
    *,
    tracking_uri: str,
    experiment: str,
    artifacts_dir: Path,
    reports_dir: Path,
    params: dict[str, Any] | None = None,
) -> str:
    """One MLflow run with the report; the same tables and plots under ``reports_dir/<run>``.

    Weekly rates are also metric histories (``weekly.<rate>``, one step per week, stamped
    with the week's Monday), so MLflow's own charts can compare reports over time.
    """
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param

    from models.registry import ModelStore

    store = ModelStore(tracking_uri, experiment, artifacts_dir)
    client: Any = MlflowClient(tracking_uri=tracking_uri)
    run = client.create_run(
        store.experiment_id, run_name=RUN_NAME, tags={"kind": "feedback_report"}
    )
    run_id: str = run.info.run_id
    now_ms = int(time.time() * 1000)
    metrics = [Metric(k, v, now_ms, 0) for k, v in metric_values(m).items()]
    for i in range(len(m.weekly)):
        for outcome, name in RATE_NAMES.items():
            metrics.append(Metric(f"weekly.{name}", m.weekly[i].rate(outcome), _week_ms(m, i), i))
        metrics.append(Metric("weekly.decisions", float(m.weekly[i].decided), _week_ms(m, i), i))
    all_params = {
        "since": m.since.isoformat() if m.since else "all",
        "until": m.until.isoformat(),
        **(params or {}),
    }
    try:
        # MLflow takes at most 1000 metrics per batch call.
        for start in range(0, len(metrics), 1000):
            batch = metrics[start : start + 1000]
            client.log_batch(
                run_id, metrics=batch, params=[Param(k, str(v)) for k, v in all_params.items()]
                if start == 0 else [],
            )  # fmt: skip
        tables = all_tables(m)
        for name, columns in tables.items():
            client.log_table(run_id, columns, f"tables/{name}.json")
        text = render_report(m)
        client.log_text(run_id, text, "report.txt")
        client.log_dict(run_id, m.model_dump(mode="json"), "override_metrics.json")
        out = reports_dir / run_id
        out.mkdir(parents=True, exist_ok=True)
        for fname, make in FIGURES.items():
            fig = make(m)
            client.log_figure(run_id, fig, f"plots/{fname}")
            fig.savefig(out / fname, dpi=110)
        (out / "report.txt").write_text(text + "\n")
        (out / "override_metrics.json").write_text(json.dumps(m.model_dump(mode="json"), indent=2))
    except BaseException:
        client.set_terminated(run_id, status="FAILED")
        raise
    client.set_terminated(run_id, status="FINISHED")
    return run_id
