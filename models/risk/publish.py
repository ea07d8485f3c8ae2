"""Record a training run in MLflow, register it, and keep its report beside the data."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.registry import ModelStore, RegisteredModel, data_hash
from models.risk.dataset import Example
from models.risk.plots import importance_figure, reliability_figure
from models.risk.service import MODEL_NAME
from models.risk.training import TrainingResult


@dataclass(frozen=True)
class Published:
    registered: RegisteredModel
    alias: str
    report_dir: Path


def examples_hash(examples: Sequence[Example]) -> str:
    """Fingerprint of the training rows (features and labels), logged with the run."""
    return data_hash(
        json.dumps(
            {"g": e.group, "d": str(e.ended_on), "s": e.stage, "f": e.features, "y": e.label},
            sort_keys=True,
            default=str,
        )
        for e in examples
    )


def publish(
    store: ModelStore,
    result: TrainingResult,
    examples: Sequence[Example],
    *,
    promote: bool,
    reports_dir: Path,
) -> Published:
    """Log ``result`` as a run and register it: the first model ever, or ``promote``, becomes
    champion; any other is a challenger for a person to compare and promote."""
    alias = store.alias_for_new(MODEL_NAME, promote=promote)
    ev = result.evaluation
    reliability = reliability_figure(ev)
    importance = importance_figure(ev)
    stages = sorted(ev.by_stage)
    registered = store.log_model(
        MODEL_NAME,
        result.model,
        params={**result.params, "examples": result.examples, "projects": result.projects},
        metrics={k: v for k, v in ev.metrics.items() if not math.isnan(v)},
        tags={"data_hash": examples_hash(examples), "alias_at_training": alias},
        figures={"reliability.png": reliability, "importance.png": importance},
        tables={
            "held_out_by_stage.json": {
                "stage": stages,
                **{k: [ev.by_stage[s][k] for s in stages] for k in _STAGE_COLUMNS},
            },
            "driver_importance.json": {
                "driver": list(ev.importance),
                "mean_abs_effect": list(ev.importance.values()),
            },
        },
        alias=alias,
        run_name=f"train-{MODEL_NAME}",
    )
    out = reports_dir / MODEL_NAME / f"v{registered.version}"
    out.mkdir(parents=True, exist_ok=True)
    reliability.savefig(out / "reliability.png", dpi=110)
    importance.savefig(out / "importance.png", dpi=110)
    (out / "metrics.json").write_text(
        json.dumps(
            {
                "version": registered.version,
                "run_id": registered.run_id,
                "alias": alias,
                "baseline": ev.baseline_name,
                "metrics": ev.metrics,
                "by_stage": ev.by_stage,
                "params": result.params,
            },
            indent=2,
            default=str,
        )
    )
    return Published(registered, alias, out)


_STAGE_COLUMNS = ("rows", "roc_auc", "baseline_roc_auc", "brier", "baseline_brier")
