"""The staffing evaluation: its metrics, and that it tells a good recommender from a naive one."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from evals.staffing import evaluate, ndcg_at, recall_at
from models.encoder import HashingEncoder
from tests.models.staffing_firm import assign, person, project

DAY = date(2027, 1, 4)
CASES = """
- name: spark-in-emea
  request:
    role: Data Engineer
    required: {Spark: 4}
    nice_to_have: {Databricks: 3}
    hours_per_week: 30
    start_in_days: 14
    weeks: 8
    region: EMEA
  good:
    all_of: [{any_of: [Spark], min_level: 4}]
    bonus: [{any_of: [Databricks], min_level: 3}]
"""


def test_ranking_metrics_reward_good_people_near_the_top() -> None:
    gain = {1: 2, 2: 1}
    assert ndcg_at([1, 2, 3], gain) == pytest.approx(1.0)
    assert ndcg_at([3, 2, 1], gain) < ndcg_at([2, 1, 3], gain) < 1.0
    assert recall_at([9, 8, 7, 6, 5, 1], gain) == 0.0
    assert recall_at([2, 9, 1], gain) == 1.0
    assert math.isnan(ndcg_at([1], {}))


def test_evaluation_reports_zero_violations_and_beats_the_text_baseline(
    session: Session, tmp_path: Path
) -> None:
    # The best text matches are busy or in the wrong region; a naive ranking proposes them.
    busy = person(session, "busy-expert", {"Spark": 5, "Databricks": 5})
    assign(session, busy, project(session, "Fabrikam"), 40, DAY, DAY + timedelta(weeks=20))
    person(session, "na-expert", {"Spark": 5, "Databricks": 5}, region="NA")
    person(session, "free-expert", {"Spark": 5, "Databricks": 4})
    person(session, "free-solid", {"Spark": 4})
    for i in range(8):
        person(session, f"other-{i}", {"React": 4}, title="Frontend Developer")
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES)

    rows = {
        r.metric: r
        for r in evaluate(
            session, HashingEncoder(), today=DAY, cases_path=cases, progress=lambda _: None
        )
    }
    violations = rows["constraint_violation_rate"]
    assert violations.ours == 0.0 and violations.baseline is not None and violations.baseline > 0
    assert violations.problems() == []
    assert rows["ndcg_at_10"].ours == pytest.approx(1.0)
    assert rows["ndcg_at_10"].baseline is not None and rows["ndcg_at_10"].baseline < 1.0
    assert rows["recall_at_5"].ours == 1.0
