"""Champion vs challenger read from a real MLflow registry on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings
from app.web.model_registry import MlflowRegistryReader
from tests.web.registry import register_models


@pytest.mark.slow
def test_aliases_and_run_metrics_come_from_the_registry(tmp_path: Path) -> None:
    settings = Settings(environment="test", data_dir=tmp_path)
    assert MlflowRegistryReader(settings).read().available is False  # no store yet

    register_models(settings)
    view = MlflowRegistryReader(settings).read()

    assert view.available
    risk = view.find("overrun-risk")
    assert risk is not None and risk.promotable
    assert (
        risk.champion and risk.champion.version,
        risk.challenger and risk.challenger.version,
    ) == ("1", "2")
    verdicts = {r.name: r.verdict for r in risk.rows}
    assert verdicts == {"roc_auc": "better", "brier": "better", "ece": "worse"}
    assert risk.eval_report()["metrics"]["roc_auc"]["challenger"] == pytest.approx(0.779)
    ranker = view.find("staffing-ranker")
    assert ranker is not None and ranker.challenger is None and not ranker.promotable
