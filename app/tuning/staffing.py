"""Tuning the staffing ranker: weights re-learned from who approvers picked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from app.tuning.candidate import Candidate, Skipped
from app.tuning.context import TuneContext
from models.registry import CHAMPION, data_hash
from models.staffing import MODEL_NAME, StaffingRanker
from models.staffing.features import FEATURES
from models.tuning import staffing as learn
from models.tuning.records import DecisionRecord, of_type, split_recent
from models.tuning.verdict import Check

MIN_PAIRS = 20


def weights_figure(before: Mapping[str, float], after: Mapping[str, float], title: str) -> Figure:
    """Champion and challenger weights side by side."""
    fig = Figure(figsize=(7.5, 3.6))
    ax = fig.subplots()
    x = range(len(FEATURES))
    ax.bar([i - 0.2 for i in x], [before[f] for f in FEATURES], 0.4, label="champion")
    ax.bar([i + 0.2 for i in x], [after[f] for f in FEATURES], 0.4, label="challenger")
    ax.set_xticks(list(x), [f.replace("_", "\n") for f in FEATURES], fontsize=8)
    ax.set_ylabel("weight")
    ax.set_title(title, fontsize=10)
    ax.legend()
    fig.tight_layout()
    return fig


def build(ctx: TuneContext, records: Sequence[DecisionRecord]) -> Candidate | Skipped:
    """A challenger whose weights are fitted to the older decisions' preferences."""
    version = ctx.store.alias_version(MODEL_NAME, CHAMPION)
    if version is None:
        return Skipped(MODEL_NAME, "no champion registered; run `opscopilot train staffing`")
    champion: StaffingRanker = ctx.load_version(MODEL_NAME, version)

    def weights_for(model_version: str | None) -> Mapping[str, float] | None:
        # Score parts of a proposal are divided back by the weights of the version that made it.
        if not model_version or not model_version.isdigit():
            return None
        try:
            ranker: StaffingRanker = ctx.load_version(MODEL_NAME, model_version)
        except Exception:  # a version that is not (or no longer) in the registry
            return None
        return ranker.weights

    decided = of_type(records, learn.KIND)
    older, recent = split_recent(decided, ctx.recent_share)
    prefs = learn.preferences(older, weights_for)
    skipped = ", ".join(f"{n} {why}" for why, n in prefs.skipped.items()) or "none"
    ctx.say(
        f"{MODEL_NAME}: {len(prefs.pairs)} preference pairs from {prefs.decisions_used} of "
        f"{len(older)} older decisions (not usable: {skipped})"
    )
    if len(prefs.pairs) < MIN_PAIRS:
        return Skipped(
            MODEL_NAME, f"{len(prefs.pairs)} preference pairs; at least {MIN_PAIRS} are needed"
        )
    pairs_hash = data_hash(
        repr(sorted(p[0].items())) + repr(sorted(p[1].items())) for p in prefs.pairs
    )
    learned_from = ctx.fingerprint(version, decided, [pairs_hash])
    if (unchanged := ctx.nothing_new(MODEL_NAME, learned_from)) is not None:
        return unchanged
    fit = learn.fit_ranker(prefs, champion)
    ranker = fit.ranker
    before = learn.agreement(champion, recent, weights_for)
    after = learn.agreement(ranker, recent, weights_for)
    shown = ", ".join(f"{f} {champion.weights[f]:.2f}->{ranker.weights[f]:.2f}" for f in FEATURES)
    ctx.say(f"{MODEL_NAME}: C={fit.c:g}; weights {shown}")
    training = {
        "older_decisions": len(older),
        "recent_decisions": len(recent),
        "decisions_used": prefs.decisions_used,
        "pairs": len(prefs.pairs),
        "not_usable": prefs.skipped,
        "C": fit.c,
        "weights_before": {f: round(champion.weights[f], 4) for f in FEATURES},
        "weights_after": {f: round(ranker.weights[f], 4) for f in FEATURES},
    }
    return Candidate(
        model_name=MODEL_NAME,
        eval_name="staffing",
        champion_version=version,
        model=ranker,
        recent_checks=[
            Check(
                "top-choice agreement on recent decisions",
                "recent",
                before.top_choice,
                after.top_choice,
                primary=True,
                note=f"{after.decisions} decisions whose chosen person was shown",
            ),
            Check("pairwise accuracy on recent decisions", "info", before.pairwise, after.pairwise),
        ],
        recent_decisions=after.decisions,
        training=training,
        learned_from=learned_from,
        params={
            "source": "approver preferences",
            "base_version": version,
            "C": fit.c,
            "pairs": len(prefs.pairs),
            "decisions_used": prefs.decisions_used,
            "data_hash": pairs_hash,
            **{f"w_{f}": round(ranker.weights[f], 4) for f in FEATURES},
        },
        metrics={
            f"validation_pairwise_accuracy_c{c:g}": v for c, v in fit.validation_accuracy.items()
        },
        figures={
            "weights.png": weights_figure(
                champion.weights, ranker.weights, f"weights learned from {len(prefs.pairs)} pairs"
            )
        },
        tables={
            "weights.json": {
                "part": list(FEATURES),
                "champion": [champion.weights[f] for f in FEATURES],
                "challenger": [ranker.weights[f] for f in FEATURES],
            }
        },
    )
