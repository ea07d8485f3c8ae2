"""Approvers' staffing choices re-learn the ranking weights the way their choices point."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from models.staffing import StaffingRanker
from models.staffing.ranker import DEFAULT_WEIGHTS
from models.tuning import staffing as learn
from models.tuning.records import DecisionRecord
from tests.tuning.crafted import parts, staffing


def _continuity_decisions(n: int, seed: int = 0) -> list[DecisionRecord]:
    """The default weights propose the stronger skill match (by more than the client-history
    weight); the approver keeps picking the one who has worked for the client before."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        strong = parts(skill_match=rng.uniform(0.9, 1.0), client_history=0.0)
        loyal = parts(skill_match=rng.uniform(0.6, 0.7), client_history=1.0)
        other = parts(skill_match=rng.uniform(0.3, 0.5), client_history=0.0)
        out.append(
            staffing(
                [(3 * i + 1, strong), (3 * i + 2, loyal), (3 * i + 3, other)], "override", 3 * i + 2
            )
        )
    return out


def test_overrides_towards_client_history_move_the_ranking_that_way() -> None:
    champion = StaffingRanker()
    decisions = _continuity_decisions(40)
    prefs = learn.preferences(decisions)
    assert prefs.decisions_used == 40 and len(prefs.pairs) == 80  # chosen over each other one

    fit = learn.fit_ranker(prefs, champion)

    assert fit.ranker.weights["client_history"] > DEFAULT_WEIGHTS["client_history"]
    newcomer = parts(skill_match=0.9, client_history=0.0)
    returning = parts(skill_match=0.7, client_history=1.0)
    assert champion.score(newcomer) > champion.score(returning)
    assert fit.ranker.score(returning) > fit.ranker.score(newcomer)
    fresh = _continuity_decisions(20, seed=1)
    assert learn.agreement(champion, fresh).top_choice == 0.0
    assert learn.agreement(fit.ranker, fresh).top_choice == 1.0


def test_accepts_confirm_the_order_and_unusable_decisions_are_counted() -> None:
    a, b = parts(skill_match=0.9), parts(skill_match=0.2)
    accepted = staffing([(1, a), (2, b)], "accept")
    rejected = staffing([(3, a), (4, b)], "reject")
    outsider = staffing([(5, a), (6, b)], "override", choice=99)
    prefs = learn.preferences([accepted, rejected, outsider])
    assert prefs.pairs == [(a, b)]
    assert prefs.skipped == {"rejected (nobody chosen)": 1, "chose someone who was not shown": 1}


def test_weighted_score_parts_are_divided_back_by_the_proposing_versions_weights() -> None:
    weights = dict(DEFAULT_WEIGHTS)
    values = parts(skill_match=1.0, client_history=1.0, margin=0.25)
    weighted = {f: weights[f] * v for f, v in values.items()}
    decided = staffing([(1, values), (2, parts())], "accept")
    candidates = [
        {"consultant_id": 1, "name": "A", "score": sum(weighted.values()), "score_parts": weighted},
        {
            "consultant_id": 2,
            "name": "B",
            "score": 0.5,
            "score_parts": {f: 0.5 * w for f, w in weights.items()},
        },
    ]
    # As a producer that keeps only the weighted parts in the payload would record it.
    payload_only = replace(
        decided, evidence={}, payload={**decided.payload, "candidates": candidates}
    )
    shown = learn.shown_candidates(payload_only, weights)
    assert shown is not None
    assert shown[0].features == pytest.approx(values)
    # Without the weights the parts cannot be told apart from values: the decision is not used.
    assert learn.shown_candidates(payload_only, None) is None
