"""The staffing evaluation scores what is registered: the champion as "ours", logged to MLflow
or not, and refuses a ``--compare`` alias nobody has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy.orm import Session

from evals.metrics import MetricRow
from evals.staffing import evaluate
from models.encoder import HashingEncoder
from models.staffing import StaffingRanker
from tests.models.staffing_firm import person
from tests.models.test_staffing_eval import CASES, DAY


class FakeStore:
    """The model store's ``load_alias``, over versions set by the test."""

    def __init__(self, **aliases: tuple[str, StaffingRanker]) -> None:
        self.aliases = aliases

    def load_alias(self, name: str, alias: str) -> tuple[str, Any] | None:
        return self.aliases.get(alias)


def margin_only() -> StaffingRanker:
    """A ranker that proposes the cheapest people first, skills or not."""
    weights = {f: 1.0 if f == "margin" else 0.0 for f in StaffingRanker().weights}
    return StaffingRanker().with_weights(weights, "test")


@pytest.fixture
def cases(session: Session, tmp_path: Path) -> Path:
    """Two good (and costly) Spark engineers among eight cheap frontend developers."""
    person(session, "spark-a", {"Spark": 5, "Databricks": 4}, cost=150.0)
    person(session, "spark-b", {"Spark": 4}, cost=150.0)
    for i in range(8):
        person(session, f"cheap-{i}", {"React": 4}, title="Frontend Developer", cost=20.0)
    path = tmp_path / "cases.yaml"
    path.write_text(CASES)
    return path


def rows_by_metric(session: Session, cases: Path, **kw: Any) -> dict[str, MetricRow]:
    rows = evaluate(
        session, HashingEncoder(), today=DAY, cases_path=cases, progress=lambda _: None, **kw
    )
    return {r.metric: r for r in rows}


def test_ours_is_the_registered_champion_and_the_table_says_which_version(
    session: Session, cases: Path
) -> None:
    rows = rows_by_metric(session, cases, store=FakeStore(champion=("3", margin_only())))
    assert rows["recall_at_5"].ours == 0.0  # the champion's ranking, not the default weights'
    assert "ours = champion v3" in rows["recall_at_5"].note


def test_without_a_champion_the_default_weights_are_scored_and_the_table_says_so(
    session: Session, cases: Path
) -> None:
    rows = rows_by_metric(session, cases, store=FakeStore())
    assert rows["recall_at_5"].ours == 1.0
    assert "ours = default weights (no champion registered)" in rows["recall_at_5"].note


def test_compare_refuses_an_alias_nobody_has(session: Session, cases: Path) -> None:
    store = FakeStore(champion=("3", margin_only()))
    with pytest.raises(LookupError, match=r"no staffing-ranker@challenger"):
        rows_by_metric(session, cases, store=store, compare=("champion", "challenger"))


def test_eval_without_logging_still_scores_the_registered_champion(
    eval_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.registry import ModelStore

    given: list[object] = []

    def fake_evaluate(store: Any = None) -> list[MetricRow]:
        given.append(store)
        return []

    monkeypatch.setattr("evals.staffing.evaluate", fake_evaluate)
    out = eval_cli("--only", "staffing", "--no-log")
    assert out.exit_code == 0, out.output
    assert len(given) == 1 and isinstance(given[0], ModelStore)
