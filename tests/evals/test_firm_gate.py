"""The regression gate for the models that need a firm: staffing and risk on the demo firm.

The demo firm (seed 7) is seeded into a fresh SQLite file; the evaluators train or load what
they need and score held-out cases exactly as `opscopilot eval --only staffing risk` does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.demo import seed_demo
from domain.db import make_engine, make_session_factory, unit_of_work
from evals.harness import EvalContext, run
from evals.metrics import MetricRow, failures, load_thresholds, render_table
from models.encoder import MiniLMEncoder

pytestmark = pytest.mark.slow
AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def firm_rows(tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEncoder) -> list[MetricRow]:
    from app import dbadmin

    path: Path = tmp_path_factory.mktemp("firm") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    dbadmin.upgrade(engine)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as s:
        seed_demo(s, seed=7, as_of=AS_OF)
    ctx = EvalContext(encoder=minilm, sessions=sessions, today=AS_OF, progress=lambda _: None)
    try:
        return run(ctx, ("staffing", "risk"))
    finally:
        engine.dispose()


def test_staffing_and_risk_meet_their_thresholds(firm_rows: list[MetricRow]) -> None:
    assert not [r for r in firm_rows if r.metric == "error"], render_table(firm_rows)
    assert not failures(firm_rows), "\n".join(failures(firm_rows)) + "\n" + render_table(firm_rows)


def test_every_firm_threshold_was_checked(firm_rows: list[MetricRow]) -> None:
    checked = {r.key for r in firm_rows if r.threshold is not None}
    wanted = {
        k for k in load_thresholds() if k.split(".")[0] in ("staffing-ranker", "overrun-risk")
    }
    assert wanted and wanted <= checked, sorted(wanted - checked)
