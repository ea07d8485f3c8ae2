"""Recording a training result: an MLflow run in the registry and the same figures on disk."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from models.classifier.model import MODEL_NAME
from models.classifier.plots import comparison_figure, confusion_figure, reliability_figure
from models.classifier.training import TrainingResult
from models.registry import ModelStore, RegisteredModel


@dataclass(frozen=True)
class Published:
    registered: RegisteredModel
    alias: str
    report_dir: Path | None


def figures(result: TrainingResult) -> dict[str, Figure]:
    return {
        "confusion_matrix.png": confusion_figure(result.report),
        "reliability.png": reliability_figure(result.report),
        "macro_f1_vs_baselines.png": comparison_figure(result.comparison()),
    }


def comparison_table(result: TrainingResult) -> dict[str, list[object]]:
    rows = result.comparison()
    return {
        "model": [r[0] for r in rows],
        "macro_f1": [round(r[1], 4) for r in rows],
        "accuracy": [round(r[2], 4) for r in rows],
    }


def publish(
    store: ModelStore,
    result: TrainingResult,
    *,
    promote: bool = False,
    report_dir: Path | None = None,
) -> Published:
    """Log the run and register the model as ``request-classifier``.

    The alias is ``champion`` when ``promote`` is set or no champion exists yet, otherwise
    ``challenger``. Figures and tables also go under ``report_dir/v<version>/``.
    """
    alias = store.alias_for_new(MODEL_NAME, promote=promote)
    figs = figures(result)
    registered = store.log_model(
        MODEL_NAME,
        result.model,
        params=result.params(),
        metrics=result.metrics(),
        tags={"data_hash": result.data_hash, "encoder": result.model.encoder_version or "none"},
        figures=figs,
        tables={
            "per_class.json": result.report.per_class,
            "comparison.json": comparison_table(result),
        },
        alias=alias,
        run_name=f"train-{MODEL_NAME}",
    )
    out = None
    if report_dir is not None:
        out = report_dir / f"v{registered.version}"
        write_report(result, out, figs)
    return Published(registered=registered, alias=alias, report_dir=out)


def write_report(result: TrainingResult, out: Path, figs: dict[str, Figure]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, fig in figs.items():
        fig.savefig(out / name, dpi=110)
    for name, table in (
        ("per_class.csv", result.report.per_class),
        ("comparison.csv", comparison_table(result)),
    ):
        with (out / name).open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(table.keys())
            writer.writerows(zip(*table.values(), strict=True))
    (out / "metrics.json").write_text(
        json.dumps({"params": result.params(), "metrics": result.metrics()}, indent=2, default=str)
    )
