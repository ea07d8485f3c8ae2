"""``opscopilot simulate``: the learning loop closed, end to end, on a throw-away demo firm.

1. Seed the demo firm into a temporary database and model store; train champions.
2. *Before*: N proposals of each type (staffing, risk, routing) made by the served models and
   decided by simulated approvers with hidden preferences (``sim_approvers``).
3. Tune every model from those decisions (``runner.tune``, as ``opscopilot tune all``); a data
   scientist accepts each ``promote_model`` proposal, which swaps the served model.
4. *After*: N fresh proposals of each type, decided by the same approvers.

Acceptance rate = proposals accepted as proposed / proposals a person decided (policy
auto-accepts are counted apart). Each assignment an accepted staffing proposal creates is
removed again right after the decision, so every proposal meets the same bench.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from app.tuning import report
from app.tuning.context import TuneContext
from app.tuning.runner import MODELS, TuneOutcome, tune
from app.tuning.sim_approvers import RiskApprover, RoutingApprover, StaffingApprover
from app.tuning.sim_proposals import Drafted, RiskDrafts, RoutingDrafts, StaffingDrafts
from app.tuning.sim_results import Phase, SimulationResult, Tally, acceptance_figure
from app.tuning.sim_workspace import Workspace, open_workspace
from domain.db import unit_of_work
from domain.tables import Assignment
from governance.schemas import DecisionCreate
from models.encoder import Encoder

Say = Callable[[str], None]
DEFAULT_DAY = date(2026, 11, 26)


# -- one phase ------------------------------------------------------------------------------


def _record(ws: Workspace, drafted: Drafted, tally: Tally) -> bool:
    """Submit one proposal as the copilot and decide it as the approver, in one transaction.

    False when a policy rule accepted it on submission (no person decided).
    """
    with unit_of_work(ws.runtime.sessions) as session:
        done = ws.governance.submit(session, drafted.proposal, submitted_by="copilot")
        tally.proposed += 1
        if done.auto_decision is not None:
            tally.auto_accepted += 1
            tally.auto_wrong += drafted.decision.action != "accept"
            return False
        result = ws.governance.decide(session, done.proposal.id, ws.approver, drafted.decision)
        tally.decided += 1
        action = drafted.decision.action
        tally.accepted += action == "accept"
        tally.overridden += action == "override"
        tally.rejected += action == "reject"
        created = result.decision.effect.get("assignment_id")
        if created is not None:
            session.execute(delete(Assignment).where(Assignment.id == created))
        return True


def _progress(say: Say, label: str, kind: str, tally: Tally, n: int) -> None:
    if tally.decided % 100 == 0 or tally.decided == n:
        auto = f", {tally.auto_accepted} auto-accepted by policy" if tally.auto_accepted else ""
        say(f"{label}: {kind} {tally.decided}/{n} decided, {tally.acceptance:.0%} accepted{auto}")


def run_phase(
    ws: Workspace, drafts: dict[str, Any], n: int, rng: random.Random, label: str, say: Say
) -> Phase:
    """``n`` decided proposals of each type, made by the models serving now."""
    started = time.perf_counter()
    phase = Phase(label)
    extras = ws.services.extras
    phase.models = {
        "assign_staff": f"staffing-ranker v{extras['staffing'].ranker.version}",
        "flag_risk": f"overrun-risk v{extras['risk'].version}",
        "route_request": str(extras["classifier"].version).replace("/", " v"),
    }
    tally = phase.tallies["assign_staff"]
    misses = 0
    while tally.decided < n and misses < 10 * n:
        with unit_of_work(ws.runtime.sessions) as session:
            drafted = drafts["staffing"].draft(session, extras["staffing"], rng)
        if drafted is None:
            misses += 1
            continue
        if _record(ws, drafted, tally):
            _progress(say, label, "assign_staff", tally, n)
    tally = phase.tallies["flag_risk"]
    risk: RiskDrafts = drafts["risk"]
    while tally.decided < n and not risk.exhausted:
        with unit_of_work(ws.runtime.sessions) as session:
            batch, scored = risk.batch(session, extras["risk"], limit=n - tally.decided)
        tally.scored += scored
        for drafted in batch:
            if _record(ws, drafted, tally):
                _progress(say, label, "flag_risk", tally, n)
    if tally.decided < n:
        say(f"{label}: flag_risk: the firm's history gave only {tally.decided} flags")
    tally = phase.tallies["route_request"]
    while tally.decided < n:
        for drafted in drafts["routing"].batch(extras["classifier"], rng):
            if tally.decided >= n:
                break
            if _record(ws, drafted, tally):
                _progress(say, label, "route_request", tally, n)
    phase.seconds = time.perf_counter() - started
    return phase


# -- the loop -------------------------------------------------------------------------------


def _accept_promotions(ws: Workspace, outcomes: list[TuneOutcome], say: Say) -> dict[str, str]:
    promoted = {}
    for o in outcomes:
        if o.proposal_id is None:
            continue
        with unit_of_work(ws.runtime.sessions) as session:
            result = ws.governance.decide(
                session,
                o.proposal_id,
                ws.data_scientist,
                DecisionCreate(action="accept", reason_code="challenger_better"),
            )
        registry = result.decision.effect.get("registry", {})
        say(
            f"{o.model_name}: promotion accepted by {ws.data_scientist.email}; {registry.get('note', '')}"
        )
        promoted[o.model_name] = str(o.challenger_version)
    return promoted


def simulate(
    decisions: int,
    *,
    encoder: Encoder,
    reports_dir: Path,
    seed: int = 7,
    today: date = DEFAULT_DAY,
    recent_share: float = 0.2,
    keep: Path | None = None,
    say: Say = print,
) -> SimulationResult:
    """Run the loop (see the module docstring); results are written under ``reports_dir``."""
    started = time.perf_counter()
    root = keep or Path(tempfile.mkdtemp(prefix="opscopilot-sim-"))
    root.mkdir(parents=True, exist_ok=True)
    ws = open_workspace(root, encoder, seed=seed, today=today, say=say)
    try:
        rng = random.Random(seed)
        with unit_of_work(ws.runtime.sessions) as session:
            drafts = {
                "staffing": StaffingDrafts(session, today, StaffingApprover()),
                "risk": RiskDrafts(session, today, RiskApprover(), random.Random(seed + 1)),
                "routing": RoutingDrafts(session, today, RoutingApprover()),
            }
        before = run_phase(ws, drafts, decisions, rng, "before", say)
        say("tuning every model from the decisions (as `opscopilot tune all`)")
        ctx = TuneContext(
            settings=ws.settings,
            sessions=ws.runtime.sessions,
            store=ws.store,
            recent_share=recent_share,
            fast=True,
            governance=ws.governance,
            say=say,
            encoder_factory=lambda: encoder,
        )
        outcomes = tune(ctx, MODELS)
        promoted = _accept_promotions(ws, outcomes, say)
        after = run_phase(ws, drafts, decisions, rng, "after", say)
        out = reports_dir / "simulation" / datetime.now().strftime("%Y%m%d-%H%M%S")
        result = SimulationResult(
            decisions, seed, before, after, outcomes, promoted, out, time.perf_counter() - started
        )
        _write(result, ws)
        return result
    finally:
        ws.close()
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _write(result: SimulationResult, ws: Workspace) -> None:
    """Table, JSON and plot under the reports folder, and a run in the simulation's store."""
    import mlflow

    out = result.out_dir
    out.mkdir(parents=True, exist_ok=True)
    fig = acceptance_figure(result)
    fig.savefig(out / "acceptance.png", dpi=110)
    text = (
        result.table()
        + "\n\nheld-out evaluation, champion vs challenger:\n"
        + result.held_out_table()
    )
    (out / "acceptance.txt").write_text(text + "\n")
    (out / "simulation.json").write_text(json.dumps(report.jsonable(result.as_dict()), indent=2))
    mlflow.set_tracking_uri(ws.store.tracking_uri)
    with mlflow.start_run(experiment_id=ws.store.experiment_id, run_name="simulation"):
        mlflow.log_params({"decisions": result.decisions, "seed": result.seed})
        for phase in (result.before, result.after):
            mlflow.log_metrics(
                {
                    f"{phase.label}.{t}.acceptance": x.acceptance
                    for t, x in phase.tallies.items()
                    if not math.isnan(x.acceptance)
                }
            )
        mlflow.log_figure(fig, "acceptance.png")
        mlflow.log_text(text, "acceptance.txt")
