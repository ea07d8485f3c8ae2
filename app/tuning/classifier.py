"""Tuning the request classifier: the corpus plus the categories approvers corrected."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure

from app.tuning.candidate import Candidate, Skipped
from app.tuning.context import TuneContext
from evals.classifier import TEST_CSV, TRAIN_CSV
from models.classifier import MODEL_NAME, RequestClassifier, TrainingConfig, read_labeled_csv
from models.classifier.training import fit_classifier
from models.registry import CHAMPION, data_hash
from models.tuning import classifier as learn
from models.tuning.records import DecisionRecord, of_type, split_recent
from models.tuning.verdict import Check


def corrections_figure(fixes: Sequence[learn.Correction], title: str) -> Figure:
    """How many requests approvers moved from each predicted category to another."""
    moves = Counter(f"{f.predicted} -> {f.label}" for f in fixes).most_common(12)
    fig = Figure(figsize=(7, 0.35 * max(len(moves), 1) + 1.3))
    ax = fig.subplots()
    ax.barh([m for m, _ in moves][::-1], [n for _, n in moves][::-1], color="tab:blue")
    ax.set_xlabel("requests re-routed by approvers")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def build(ctx: TuneContext, records: Sequence[DecisionRecord]) -> Candidate | Skipped:
    """A challenger trained on the corpus plus the older decisions' corrections."""
    version = ctx.store.alias_version(MODEL_NAME, CHAMPION)
    if version is None:
        return Skipped(MODEL_NAME, "no champion registered; run `opscopilot train classifier`")
    decided = of_type(records, learn.KIND)
    older, recent = split_recent(decided, ctx.recent_share)
    fixes = learn.corrections(older)
    if not fixes:
        return Skipped(
            MODEL_NAME,
            f"no corrected categories among {len(older)} route_request decisions to learn from",
        )
    train, test = read_labeled_csv(TRAIN_CSV), read_labeled_csv(TEST_CSV)
    update = learn.with_corrections(train, test, fixes)
    ctx.say(
        f"{MODEL_NAME}: {len(fixes)} corrections in {len(older)} older decisions: {update.added} "
        f"new rows, {update.relabelled} relabelled, {update.dropped_in_test} dropped (in the "
        f"test split), {update.unknown_label} with a label the corpus lacks"
    )
    if update.used == 0:
        return Skipped(MODEL_NAME, "no correction could be added to the training corpus")
    trained_on = data_hash([*update.data.rows(), "--holdout--", *test.rows()])
    learned_from = ctx.fingerprint(version, decided, [trained_on])
    if (unchanged := ctx.nothing_new(MODEL_NAME, learned_from)) is not None:
        return unchanged
    encoder = ctx.encoder
    champion: RequestClassifier = ctx.load_version(MODEL_NAME, version)
    champion.attach(encoder)
    config = TrainingConfig.fast() if ctx.fast else TrainingConfig()
    ctx.say(
        f"{MODEL_NAME}: training on {len(update.data)} rows ({'fast' if ctx.fast else 'full'} recipe)"
    )
    model, summary = fit_classifier(
        update.data, encoder, config=config, progress=lambda m: ctx.say(f"{MODEL_NAME}: {m}")
    )
    before, after = learn.agreement(champion, recent), learn.agreement(model, recent)
    training = {
        "older_decisions": len(older),
        "recent_decisions": len(recent),
        "corrections": len(fixes),
        "rows_added": update.added,
        "rows_relabelled": update.relabelled,
        "dropped_in_test_split": update.dropped_in_test,
        "unknown_label": update.unknown_label,
        "train_rows": len(update.data),
        "test_rows": len(test),
    }
    return Candidate(
        model_name=MODEL_NAME,
        eval_name="classifier",
        champion_version=version,
        model=model,
        recent_checks=[
            Check(
                "routing accuracy on recent decisions",
                "recent",
                before.accuracy,
                after.accuracy,
                primary=True,
                note=f"{after.decisions} decisions the challenger never trained on",
            )
        ],
        recent_decisions=after.decisions,
        training=training,
        learned_from=learned_from,
        params={
            "source": "approver corrections",
            "base_version": version,
            "C": summary.C,
            "features": "+".join(model.blocks),
            "recipe": "fast" if ctx.fast else "full",
            "data_hash": trained_on,
            **{k: v for k, v in training.items() if isinstance(v, int)},
        },
        metrics={
            "cv_macro_f1": summary.cv_macro_f1[summary.C],
            "abstain_threshold": summary.threshold,
            "temperature": summary.temperature,
        },
        figures={
            "corrections.png": corrections_figure(fixes, f"{len(fixes)} corrections learned from")
        },
        tables={
            "corrections.json": {
                "proposal_id": [f.proposal_id for f in fixes],
                "predicted": [f.predicted for f in fixes],
                "corrected_to": [f.label for f in fixes],
                "text": [f.text for f in fixes],
            }
        },
    )
