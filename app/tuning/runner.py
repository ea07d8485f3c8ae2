"""One tuning run: build each challenger, register it, compare it, propose the better ones.

For each model: its tuner (``classifier``, ``staffing``, ``risk``) trains a challenger on the
older decisions; it is registered as ``challenger``; the ``opscopilot eval`` evaluator scores
it beside the champion on the held-out evaluation set; the verdict weighs that against the
recent decisions; a better challenger becomes a ``promote_model`` proposal in the queue.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.tuning import classifier, report, risk, staffing
from app.tuning.candidate import Candidate, Skipped
from app.tuning.context import LEARNED_FROM, TuneContext
from app.tuning.records import read_decisions
from domain.db import unit_of_work
from evals import harness
from evals.metrics import MetricRow
from governance.schemas import Evidence, ProposalCreate
from governance.types import ProposalType
from models.registry import CHALLENGER, CHAMPION, RegisteredModel
from models.tuning import summaries
from models.tuning.records import DecisionRecord
from models.tuning.verdict import Check, Verdict, judge

Builder = Callable[[TuneContext, Sequence[DecisionRecord]], Candidate | Skipped]
BUILDERS: dict[str, tuple[str, Builder]] = {
    "classifier": ("route_request", classifier.build),
    "staffing": ("assign_staff", staffing.build),
    "risk": ("flag_risk", risk.build),
}
MODELS = tuple(BUILDERS)
# How much worse a held-out number may be before it counts as a regression: about what one
# example moves it by on each evaluation set. 320 test requests: one is 0.003 of accuracy;
# 20 staffing cases: one case moves nDCG@10 by up to 0.05 (docs/evaluation.md, "Staffing");
# a few dozen later projects for risk.
TOLERANCE = {
    "macro_f1": 0.01,
    "answered_precision": 0.01,
    "abstain_precision": 0.05,
    "abstain_rate": 0.03,
    "ece": 0.02,
    "recall_at_5": 0.05,
    "ndcg_at_10": 0.05,
    "roc_auc": 0.01,
    "brier": 0.005,
    "flag_precision": 0.05,
    "flag_recall": 0.05,
}
Status = Literal["skipped", "not_better", "proposed", "better"]


@dataclass
class TuneOutcome:
    model_name: str
    status: Status  # "better": better, but not submitted (--no-submit)
    message: str
    champion_version: str | None = None
    challenger_version: str | None = None
    run_id: str | None = None
    verdict: Verdict | None = None
    training: dict[str, Any] = field(default_factory=dict)
    report_dir: Path | None = None
    proposal_id: int | None = None


def held_out_checks(rows: Sequence[MetricRow]) -> tuple[list[Check], list[str]]:
    """Checks from the evaluator's champion-vs-challenger rows, and problems that block."""
    checks, blocking = [], []
    for r in rows:
        # The challenger's own figure must still clear the bars in thresholds.yaml; a failed
        # evaluator blocks; a figure that could not be computed (no data unseen by both, the
        # harness marks such rows when comparing) is reported, not failed.
        blocking += [f"held-out: {p}" for p in r.problems()]
        against_champion = not r.delta_gated or r.metric.endswith(f"_vs_{CHAMPION}")
        if not against_champion or r.baseline is None:
            continue  # a row against another kind of baseline (TF-IDF, keyword match, ...)
        metric = r.metric.split("_vs_")[0]
        checks.append(
            Check(
                f"{r.model}.{metric}",
                "held_out",
                r.baseline,
                r.ours,
                r.higher_is_better,
                TOLERANCE.get(metric, 0.01),
                note=r.note,
            )
        )
    return checks, blocking


def _register(ctx: TuneContext, c: Candidate) -> RegisteredModel:
    metrics = {k: v for k, v in c.metrics.items() if not math.isnan(v)}
    registered = ctx.store.log_model(
        c.model_name,
        c.model,
        params=c.params,
        metrics=metrics,
        tags={
            "source": "tuning",
            "base_version": c.champion_version,
            LEARNED_FROM: c.learned_from,
        },
        figures=c.figures,
        tables=c.tables,
        alias=CHALLENGER,
        run_name=f"tune-{c.model_name}",
    )
    for name, text in c.texts.items():
        ctx.store.client.log_text(registered.run_id, text, name)
    return registered


def _held_out(ctx: TuneContext, c: Candidate) -> list[MetricRow]:
    needs_encoder = c.eval_name in ("classifier", "staffing")
    ectx = harness.EvalContext(
        encoder=ctx.encoder if needs_encoder else None,
        sessions=ctx.sessions,
        store=ctx.store,
        compare=(CHAMPION, CHALLENGER),
        fast=ctx.fast,
        progress=lambda m: ctx.say(f"  {m}"),
        risk_flag_threshold=ctx.settings.risk.flag_threshold,
    )
    return harness.run(ectx, (c.eval_name,))


def submit_promotion(
    ctx: TuneContext, c: Candidate, version: str, eval_report: dict[str, Any]
) -> int:
    """File the ``promote_model`` proposal; the same challenger is never proposed twice."""
    data = ProposalCreate(
        type=ProposalType.promote_model,
        payload={
            "model_name": c.model_name,
            "challenger_version": version,
            "champion_version": c.champion_version,
            "eval_report": report.jsonable(eval_report),
        },
        evidence=Evidence(
            summary=f"{c.model_name} v{version} beats v{c.champion_version} on recent decisions "
            "and holds up on the held-out evaluation",
            inputs={"recent_share": ctx.recent_share, "min_gain": ctx.min_gain},
            sources=[f"mlflow-run:{eval_report['run_id']}"],
        ),
        model_version=version,
        requested_by=ctx.requested_by,
        dedupe_key=f"promote:{c.model_name}:v{version}",
    )
    with unit_of_work(ctx.sessions) as session:
        done = ctx.queue().submit(session, data, submitted_by=ctx.submitted_by)
        return done.proposal.id


def tune_one(ctx: TuneContext, built: Candidate) -> TuneOutcome:
    """Register ``built``, compare it, and propose it if it is better."""
    name = built.model_name
    ctx.say(f"{name}: registering the challenger in MLflow")
    registered = _register(ctx, built)
    ctx.say(
        f"{name}: scoring champion v{built.champion_version} and challenger "
        f"v{registered.version} on the held-out evaluation set"
    )
    rows = _held_out(ctx, built)
    held, blocking = held_out_checks(rows)
    verdict = judge(
        [*built.recent_checks, *held],
        recent_decisions=built.recent_decisions,
        min_recent=ctx.min_recent,
        min_gain=ctx.min_gain,
    )
    if blocking:
        verdict = Verdict(False, [*verdict.reasons, *blocking], verdict.checks)
    out = ctx.reports_dir / name / f"v{registered.version}"
    eval_report = {
        "run_id": registered.run_id,
        "report_dir": str(out),
        "recent_share": ctx.recent_share,
        "training": built.training,
        **verdict.as_dict(),
    }
    title = f"{name}: champion v{built.champion_version} vs challenger v{registered.version}"
    fig = report.checks_figure(verdict.checks, title)
    report.write(out, verdict, eval_report, {"comparison.png": fig, **built.figures})
    client = ctx.store.client
    client.log_figure(registered.run_id, fig, "comparison.png")
    client.log_text(registered.run_id, report.checks_table(verdict.checks), "comparison.txt")
    client.log_dict(registered.run_id, report.jsonable(eval_report), "eval_report.json")
    for chk in verdict.checks:
        if chk.known:
            key = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in chk.name)
            client.log_metric(registered.run_id, f"vs_champion.{key}", chk.gain)
    ctx.say(report.checks_table(verdict.checks))
    base = TuneOutcome(
        name, "not_better", "; ".join(verdict.reasons), built.champion_version,
        registered.version, registered.run_id, verdict, built.training, out,
    )  # fmt: skip
    if not verdict.promote:
        return base
    if not ctx.submit:
        base.status = "better"
        return base
    base.proposal_id = submit_promotion(ctx, built, registered.version, eval_report)
    base.status = "proposed"
    return base


def tune(ctx: TuneContext, models: Sequence[str]) -> list[TuneOutcome]:
    """Tune each of ``models`` (names in ``MODELS``) from the queue's decisions."""
    if not models:
        return []
    kinds = [BUILDERS[m][0] for m in models]
    with unit_of_work(ctx.sessions) as session:
        records = read_decisions(session, kinds)
    ctx.say(f"read {len(records)} decisions ({', '.join(kinds)})")
    outcomes = []
    for m in models:
        ctx.say(f"== {m}")
        built = BUILDERS[m][1](ctx, records)
        if isinstance(built, Skipped):
            ctx.say(f"{built.model_name}: skipped: {built.reason}")
            outcomes.append(TuneOutcome(built.model_name, "skipped", built.reason))
            continue
        outcomes.append(tune_one(ctx, built))
    return outcomes


def summary_report(ctx: TuneContext) -> list[summaries.PromptStats]:
    """Edit sizes and reason codes per prompt version of status summaries."""
    with unit_of_work(ctx.sessions) as session:
        records = read_decisions(session, [summaries.KIND])
    return summaries.by_prompt_version(records)
