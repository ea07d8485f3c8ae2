"""Flag decisions and outcomes move the risk model's flag policy in the right direction."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from models.tuning import risk as learn
from models.tuning.risk_calibration import fit_recalibration
from models.tuning.risk_policy import choose_threshold
from models.tuning.risk_service import TunedRiskService, risk_service
from tests.tuning.crafted import HIDDEN, flag, outcome, risk_model, row


def test_dismissed_flags_at_lower_probabilities_raise_the_threshold() -> None:
    rng = random.Random(0)
    # Alike but for the probability, which the gate does not see: only the threshold can help.
    dismissed = [flag(row(rng.uniform(0.5, 0.62), p_feature=HIDDEN), False) for _ in range(20)]
    confirmed = [flag(row(rng.uniform(0.7, 0.95), p_feature=HIDDEN), True) for _ in range(20)]
    champion = risk_model(p_feature=HIDDEN)
    tuned = learn.tune(champion, "1", dismissed + confirmed, [], default_threshold=0.5)

    assert not tuned.gate.used
    assert tuned.threshold_before == 0.5
    assert 0.62 < tuned.threshold_after <= 0.7
    agreement = learn.agreement(tuned.model, dismissed + confirmed, 0.5)
    assert agreement.accuracy == 1.0
    assert learn.agreement(champion, dismissed + confirmed, 0.5).accuracy == 0.5


def test_overruns_below_the_threshold_lower_it() -> None:
    overran = [outcome(f"o{i}", 0.35 + i * 0.005, True) for i in range(20)]
    on_budget = [outcome(f"b{i}", 0.1 + i * 0.005, False) for i in range(20)]
    p = np.asarray([e.features["recent_burn_rate"] for e in overran + on_budget])
    y = np.asarray([e.label for e in overran + on_budget])
    empty = (np.zeros(0), np.zeros(0, dtype=bool), np.zeros(0, dtype=int))
    threshold, _ = choose_threshold(0.5, empty, (p, y))
    assert threshold <= 0.35


def test_a_consistent_dismissal_rule_becomes_a_gate_the_service_applies() -> None:
    rng = random.Random(1)
    decisions = []
    for _ in range(80):
        burn = rng.uniform(0.0, 1.0)
        decisions.append(flag(row(rng.uniform(0.55, 0.95), burn=burn), confirmed=burn >= 0.2))
    tuned = learn.tune(risk_model(), "1", decisions, [], default_threshold=0.5)

    assert tuned.gate.used and "burn" in tuned.gate.rules
    early, late = row(0.9, burn=0.1), row(0.9, burn=0.6)
    flags = tuned.model.policy.flags([early, late], np.asarray([0.9, 0.9]))
    assert flags.tolist() == [False, True]
    service = risk_service(tuned.model, "2", flag_threshold=0.5, bands=(0.3, 0.5, 0.7))
    assert isinstance(service, TunedRiskService)
    plain = risk_service(risk_model(), "1", flag_threshold=0.5, bands=(0.3, 0.5, 0.7))
    assert not isinstance(plain, TunedRiskService) and plain.flag_threshold == 0.5


def test_flags_overridden_to_a_lower_severity_count_as_dismissed() -> None:
    payload = {"project_id": 1, "probability": 0.7, "severity": "high"}
    base = replace(flag(row(0.7), confirmed=True), action="override", payload=payload)
    lower = replace(base, final_payload={**payload, "severity": "medium"})
    higher = replace(base, final_payload={**payload, "severity": "critical"})
    assert learn.flag_label(lower) == 0
    assert learn.flag_label(higher) == 1


def test_recalibration_follows_later_outcomes_only_when_it_holds_up_out_of_fold() -> None:
    rng = random.Random(2)
    # The champion says 0.2 for projects that overran half the time: too low, consistently.
    later = [outcome(f"p{i}", 0.2, rng.random() < 0.5) for i in range(60)]
    recal = fit_recalibration(risk_model(), later)
    assert recal is not None and recal.used
    tuned = learn.tune(risk_model(), "1", [], later, default_threshold=0.5)
    assert abs(float(tuned.model.predict([row(0.2)])[0]) - 0.5) < 0.1
    # Outcomes it learned from are "seen": comparisons on outcomes start after them.
    assert tuned.model.trained_until == later[-1].ended_on
