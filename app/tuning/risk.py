"""Tuning the overrun-risk model: later outcomes recalibrate it, flag decisions set its policy."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from app.tuning.candidate import Candidate, Skipped
from app.tuning.context import TuneContext
from domain.db import unit_of_work
from models.registry import CHAMPION
from models.risk import MODEL_NAME, Example, RiskModel, firm_history
from models.risk.evaluation import flag_scores
from models.tuning import risk as learn
from models.tuning.records import DecisionRecord, of_type, split_recent
from models.tuning.risk_calibration import split_outcomes
from models.tuning.risk_policy import policy_of
from models.tuning.verdict import Check

MIN_DECISIONS = 20


def threshold_figure(t: learn.RiskTuning) -> Figure:
    """Agreement with decisions and outcomes at each threshold, with the old and new marked."""
    fig = Figure(figsize=(6.5, 3.6))
    ax = fig.subplots()
    xs = sorted(t.threshold_scores)
    ax.plot(xs, [t.threshold_scores[x] for x in xs], marker="o", color="tab:blue")
    ax.axvline(
        t.threshold_before, color="grey", linestyle=":", label=f"champion {t.threshold_before:.2f}"
    )
    ax.axvline(
        t.threshold_after,
        color="tab:orange",
        linestyle="--",
        label=f"challenger {t.threshold_after:.2f}",
    )
    ax.set_xlabel("flag threshold (overrun probability)")
    ax.set_ylabel("agreement with decisions and outcomes")
    ax.set_title(
        f"{t.decisions} flag decisions, {t.outcome_projects} later project outcomes", fontsize=10
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _policy_on_outcomes(
    model: RiskModel, examples: Sequence[Example], default_threshold: float
) -> dict[str, float]:
    """Flag precision and recall of the model's whole flag policy on how projects ended."""
    if not examples:
        return {"flag_precision": math.nan, "flag_recall": math.nan}
    rows = [e.features for e in examples]
    flags = policy_of(model, default_threshold).flags(rows, model.predict(rows))
    return flag_scores(np.asarray([e.label for e in examples]), flags)


def build(ctx: TuneContext, records: Sequence[DecisionRecord]) -> Candidate | Skipped:
    """A challenger recalibrated on projects closed since the champion, with a learned policy."""
    version = ctx.store.alias_version(MODEL_NAME, CHAMPION)
    if version is None:
        return Skipped(MODEL_NAME, "no champion registered; run `opscopilot train risk`")
    champion: RiskModel = ctx.load_version(MODEL_NAME, version)
    default = ctx.settings.risk.flag_threshold
    decided = of_type(records, learn.KIND)
    older, recent = split_recent(decided, ctx.recent_share)
    with unit_of_work(ctx.sessions) as session:
        history = firm_history(session)
    learn_from, held = split_outcomes(history, champion.trained_until, ctx.outcome_holdout_share)
    ctx.say(
        f"{MODEL_NAME}: {len(older)} older flag decisions; {len({e.group for e in learn_from})} "
        f"projects closed since the champion was trained (after {champion.trained_until}) to "
        f"recalibrate on, {len({e.group for e in held})} newer ones held out"
    )
    if len(older) < MIN_DECISIONS:
        return Skipped(
            MODEL_NAME, f"{len(older)} older flag decisions; at least {MIN_DECISIONS} are needed"
        )
    outcomes = (repr((e.group, e.stage, e.label, sorted(e.features.items()))) for e in history)
    learned_from = ctx.fingerprint(version, decided, [f"threshold={default}", *outcomes])
    if (unchanged := ctx.nothing_new(MODEL_NAME, learned_from)) is not None:
        return unchanged
    tuned = learn.tune(champion, version, older, learn_from, default_threshold=default)
    rc = tuned.recalibration
    ctx.say(
        f"{MODEL_NAME}: threshold {tuned.threshold_before:.2f} -> {tuned.threshold_after:.2f}; "
        + ("recalibration: too few later outcomes" if rc is None else f"recalibration {rc.note}")
        + f"; gate: {tuned.gate.note}"
    )
    before = learn.agreement(champion, recent, default)
    after = learn.agreement(tuned.model, recent, default)
    on_before = _policy_on_outcomes(champion, held, default)
    on_after = _policy_on_outcomes(tuned.model, held, default)
    note = f"{len({e.group for e in held})} newest closed projects, flag policy as served"
    checks = [
        Check(
            "flag agreement on recent decisions",
            "recent",
            before.accuracy,
            after.accuracy,
            primary=True,
            note=f"{after.decisions} flag decisions the challenger never trained on",
        ),
        Check(
            "confirmed share of flags it would raise (recent)",
            "info",
            before.precision,
            after.precision,
        ),
        Check(
            "share of the recent flags it would still raise",
            "info",
            before.flagged_share,
            after.flagged_share,
        ),
        Check(
            "flag precision on outcomes (policy)",
            "info",
            on_before["flag_precision"],
            on_after["flag_precision"],
            note=note,
        ),
        Check(
            "flag recall on outcomes (policy)",
            "info",
            on_before["flag_recall"],
            on_after["flag_recall"],
            note=note,
        ),
    ]
    texts = {"gate_rules.txt": tuned.gate.rules} if tuned.gate.rules else {}
    return Candidate(
        model_name=MODEL_NAME,
        eval_name="risk",
        champion_version=version,
        model=tuned.model,
        recent_checks=checks,
        recent_decisions=after.decisions,
        training={
            "older_decisions": len(older),
            "recent_decisions": len(recent),
            **tuned.summary(),
        },
        learned_from=learned_from,
        params={
            "source": "approver flags and later outcomes",
            "base_version": version,
            "flag_threshold": tuned.threshold_after,
            "gate": tuned.gate.used,
            "recalibrated": rc is not None and rc.used,
            "flag_decisions": tuned.decisions,
            "outcome_projects": tuned.outcome_projects,
        },
        metrics={
            **(
                {
                    "recalibration_slope": rc.slope,
                    "recalibration_intercept": rc.intercept,
                    "recalibration_brier_before": rc.brier_before,
                    "recalibration_brier_out_of_fold": rc.brier_out_of_fold,
                }
                if rc
                else {}
            ),
            **(
                {
                    "gate_cv_accuracy": tuned.gate.cv_accuracy,
                    "gate_cv_baseline": tuned.gate.cv_baseline,
                }
                if not math.isnan(tuned.gate.cv_accuracy)
                else {}
            ),
        },
        figures={"threshold.png": threshold_figure(tuned)},
        tables={
            "threshold_agreement.json": {
                "threshold": sorted(tuned.threshold_scores),
                "agreement": [tuned.threshold_scores[t] for t in sorted(tuned.threshold_scores)],
            }
        },
        texts=texts,
    )
