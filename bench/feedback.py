"""What decision feedback costs: on the decision, in delivery to MLflow, and in the report.

    .venv/bin/python bench/feedback.py              # SQLite file and PostgreSQL
    .venv/bin/python bench/feedback.py --backend sqlite -n 200

1. A decision at the service level (``Governance.decide`` + commit, one ``flag_risk``
   acceptance), with and without the feedback row, in alternating blocks so host noise hits
   both alike.
2. Delivery: N decisions on traced agent runs, sent by the worker to a SQLite MLflow store
   directly and to an ``mlflow server`` over HTTP (the same store behind it); per-send latency
   is what a decision would have paid had it called MLflow inline.
3. An outage: MLflow on a closed port with N rows due; how long a pass takes to hand them back,
   then the recovery once MLflow is back. Nothing may be lost or sent twice.
4. The report: ``compute_metrics`` over 10k and 100k synthetic decisions, and logging a report
   (metrics, tables, three plots) as an MLflow run.

Figures are printed and written to ``var/bench/feedback.json`` and ``feedback.png``; nothing is
asserted. PostgreSQL runs in a throw-away database on --pg-admin-url.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
# Synchronous trace export: the traces exist before their proposals are decided.
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")

from matplotlib.figure import Figure
from sqlalchemy import Engine, func, select

from app import dbadmin
from app.feedback import mlflow_ui
from app.feedback.publish import log_report
from app.feedback.report import DecisionRow, compute_metrics, override_metrics
from app.feedback.sink import MlflowFeedbackSink
from app.feedback.worker import FeedbackWorker
from bench.scratch import scratch_database
from domain.db import make_engine, make_session_factory, unit_of_work
from governance import feedback
from governance.feedback import FeedbackDelivery, FeedbackItem
from governance.schemas import ProposalCreate
from governance.service import Governance
from governance.types import ProposalType
from tests.governance.factories import APPROVER, DM, decision, make_firm, payload


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50_ms": round(statistics.median(values), 2),
            "p99_ms": round(pct(values, 0.99), 2)}  # fmt: skip


class TimedSink:
    """Wraps a sink and records how long each send took."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.ms: list[float] = []

    def send(self, item: FeedbackItem) -> str:
        start = time.perf_counter()
        try:
            return str(self.inner.send(item))
        finally:
            self.ms.append((time.perf_counter() - start) * 1000)

    def find(self, item: FeedbackItem) -> str | None:
        found: str | None = self.inner.find(item)
        return found


def propose_many(engine: Engine, gov: Governance, traces: list[str | None]) -> list[int]:
    with unit_of_work(make_session_factory(engine)) as s:
        firm = make_firm(s)
        ids = []
        for t in traces:
            data = ProposalCreate(type=ProposalType.flag_risk,
                                  payload=payload(ProposalType.flag_risk, firm),
                                  model_version="risk/3", prompt_version="p-1",
                                  mlflow_trace_id=t, requested_by=DM.email)  # fmt: skip
            ids.append(gov.submit(s, data, submitted_by="agent:bench").proposal.id)
    return ids


def decision_cost(engine: Engine, n: int, block: int = 25) -> dict[str, dict[str, float]]:
    """Decide ``n`` proposals with the feedback row and ``n`` without, in alternating blocks."""
    gov = Governance.load()
    sessions = make_session_factory(engine)
    # No trace ids: the rows are written all the same, and the delivery runs below do not
    # trip over traces that are not in the store.
    ids = propose_many(engine, gov, [None] * (2 * n))
    timings: dict[str, list[float]] = {"with feedback row": [], "without": []}
    real = feedback.record_feedback
    request = decision("accept", "risk_confirmed")
    for start in range(0, 2 * n, block):
        mode = "with feedback row" if (start // block) % 2 == 0 else "without"
        feedback.record_feedback = real if mode != "without" else (lambda *a, **k: None)  # type: ignore[assignment]
        try:
            for pid in ids[start : start + block]:
                t0 = time.perf_counter()
                with unit_of_work(sessions) as s:
                    gov.decide(s, pid, APPROVER, request)
                timings[mode].append((time.perf_counter() - t0) * 1000)
        finally:
            feedback.record_feedback = real
    return {mode: summary(v) for mode, v in timings.items()}


def traces(n: int) -> list[str]:
    import mlflow

    ids = []
    for i in range(n):
        with mlflow.start_span(name="copilot-run", span_type="AGENT") as span:
            span.set_inputs({"message": f"risk check {i}"})
            ids.append(span.trace_id)
    return ids


def decide_all(engine: Engine, trace_ids: list[str | None]) -> None:
    gov = Governance.load()
    ids = propose_many(engine, gov, trace_ids)
    with unit_of_work(make_session_factory(engine)) as s:
        for pid in ids:
            gov.decide(s, pid, APPROVER, decision("reject", "false_positive"))


def deliver(engine: Engine, sink: Any, label: str) -> dict[str, Any]:
    timed = TimedSink(sink)
    worker = FeedbackWorker(make_session_factory(engine), timed, batch=50)
    start = time.perf_counter()
    report = worker.drain()
    seconds = time.perf_counter() - start
    return {"target": label, "delivered": report.delivered, "seconds": round(seconds, 2),
            "rows_per_s": round(report.delivered / seconds, 1), **summary(timed.ms)}  # fmt: skip


def statuses(engine: Engine) -> dict[str, int]:
    with unit_of_work(make_session_factory(engine)) as s:
        rows = s.execute(
            select(FeedbackDelivery.status, func.count()).group_by(FeedbackDelivery.status)
        ).all()
    return {k: int(v) for k, v in rows}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def synthetic_rows(n: int, seed: int = 7) -> list[DecisionRow]:
    """Decisions over 26 weeks with drifting override rates, as a busy firm might make."""
    rng = random.Random(seed)
    start = datetime(2026, 6, 1, tzinfo=UTC)
    kinds = {"assign_staff": ["good_fit", "client_preference", "cost", "skill_gap"],
             "flag_risk": ["risk_confirmed", "false_positive", "severity_overstated"],
             "send_status_summary": ["ready_to_send", "tone", "too_long"],
             "route_request": ["correct_category", "wrong_category"]}  # fmt: skip
    actions = ["accept", "accept_with_edits", "override", "reject", "expire"]
    out = []
    for i in range(n):
        kind = rng.choice(list(kinds))
        created = start + timedelta(hours=rng.uniform(0, 26 * 7 * 24))
        drift = (created - start).days / (26 * 7)  # the model improves over the half year
        w = [0.45 + 0.2 * drift, 0.15, 0.2 - 0.1 * drift, 0.12 - 0.05 * drift, 0.05]
        action = rng.choices(actions, weights=w)[0]
        if kind in ("send_status_summary",) and action == "override":
            action = "accept_with_edits"
        by = "policy:sla" if action == "expire" else f"approver{rng.randrange(12)}@firm.test"
        out.append(DecisionRow(
            proposal_id=i, type=kind, action=action, reason_code=rng.choice(kinds[kind]),
            decided_by=by, decider_role="policy" if action == "expire" else "approver",
            created_at=created, decided_at=created + timedelta(hours=rng.expovariate(1 / 9)),
            practice=rng.choice(["Data & AI", "Cloud", "ERP"]),
            model_version=f"v{1 + int(drift * 3)}", prompt_version="p-2",
            edit_ratio=rng.uniform(0, 0.4) if action == "accept_with_edits" else None,
            feedback_status=rng.choice(["delivered"] * 9 + ["no_trace"]),
        ))  # fmt: skip
    return out


def figure(results: dict[str, Any]) -> Figure:
    fig = Figure(figsize=(11, 4))
    left, right = fig.subplots(1, 2)
    labels, p50, p99 = [], [], []
    for backend, modes in results["decision"].items():
        for mode, s in modes.items():
            labels.append(f"{backend}\n{mode}")
            p50.append(s["p50_ms"])
            p99.append(s["p99_ms"])
    x = range(len(labels))
    left.bar([i - 0.2 for i in x], p50, width=0.4, label="p50")
    left.bar([i + 0.2 for i in x], p99, width=0.4, label="p99", color="tab:grey")
    left.set_xticks(list(x), labels, fontsize=8)
    left.set_ylabel("ms per decision (service level, with commit)")
    left.set_title("A decision with and without its feedback row")
    left.legend()
    rows = results["delivery"]
    right.barh([f"{r['target']}\n(app database: {r['backend']})" for r in rows],
               [r["rows_per_s"] for r in rows], color="tab:green")  # fmt: skip
    right.set_xlabel("feedback rows delivered per second")
    right.set_title("Delivery to MLflow (one worker, one commit per row)")
    fig.tight_layout()
    return fig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("-n", type=int, default=300, help="decisions per measurement")
    parser.add_argument("--out", type=Path, default=Path("var/bench"))
    parser.add_argument("--pg-admin-url", default=os.environ.get(
        "OPSCOPILOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    args = parser.parse_args()
    import mlflow

    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    work = Path(tempfile.mkdtemp(prefix="opscopilot-bench-feedback-"))
    store = f"sqlite:///{work / 'mlflow.db'}"
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; n={args.n}; store {store}")
    print("creating the MLflow store ...", flush=True)
    mlflow.set_tracking_uri(store)
    mlflow.set_experiment("bench")
    results: dict[str, Any] = {"n": args.n, "decision": {}, "delivery": [], "outage": []}
    port = free_port()
    ui = mlflow_ui.start_mlflow_ui(store, work / "mlartifacts", port=port)
    try:
        for backend in backends:
            with scratch_database(backend, args.pg_admin_url) as url:
                engine = make_engine(url)
                dbadmin.upgrade(engine)
                print(f"[{backend}] decision cost, {args.n} + {args.n} decisions ...", flush=True)
                results["decision"][backend] = decision_cost(engine, args.n)
                for mode, s in results["decision"][backend].items():
                    print(f"  {mode:<18} p50 {s['p50_ms']:6.2f} ms   p99 {s['p99_ms']:6.2f} ms")

                print(f"[{backend}] delivery: {args.n} traced decisions ...", flush=True)
                decide_all(engine, list(traces(args.n)))
                r = deliver(engine, MlflowFeedbackSink(store), "SQLite store, in process")
                results["delivery"].append({"backend": backend, **r})
                if not mlflow_ui.wait_until_ready(ui, f"http://127.0.0.1:{port}", timeout=120):
                    raise RuntimeError("mlflow server did not start")
                decide_all(engine, list(traces(args.n)))
                r = deliver(engine, MlflowFeedbackSink(f"http://127.0.0.1:{port}"),
                            "mlflow server over HTTP")  # fmt: skip
                results["delivery"].append({"backend": backend, **r})
                for row in results["delivery"][-2:]:
                    print(f"  {row['target']:<26} {row['rows_per_s']:7.1f} rows/s   send p50 "
                          f"{row['p50_ms']:6.2f} ms   p99 {row['p99_ms']:6.2f} ms")  # fmt: skip

                print(f"[{backend}] outage: {args.n} due, MLflow on a closed port ...", flush=True)
                os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
                decide_all(engine, list(traces(args.n)))
                worker = FeedbackWorker(
                    make_session_factory(engine),
                    MlflowFeedbackSink(f"http://127.0.0.1:{free_port()}"), batch=50,
                )  # fmt: skip
                t0 = time.perf_counter()
                one = worker.run_once()
                handed_back = time.perf_counter() - t0
                os.environ.pop("MLFLOW_HTTP_REQUEST_MAX_RETRIES")
                recovered = deliver(engine, MlflowFeedbackSink(store), "after the outage")
                outage = {"backend": backend, "pass_seconds": round(handed_back, 3),
                          "tried": one.retrying + one.failed, "handed_back": one.released,
                          "recovered": recovered["delivered"], "statuses": statuses(engine)}  # fmt: skip
                results["outage"].append(outage)
                print(f"  a pass gave up after {outage['tried']} tries in {handed_back:.2f} s; "
                      f"{one.released} handed back untried; statuses {outage['statuses']}")  # fmt: skip
                with unit_of_work(make_session_factory(engine)) as s:
                    t0 = time.perf_counter()
                    m = override_metrics(s)
                    results.setdefault("override_metrics_db", {})[backend] = {
                        "decisions": m.overall.decided,
                        "ms": round((time.perf_counter() - t0) * 1000, 1),
                    }
                engine.dispose()
    finally:
        mlflow_ui.stop_mlflow_ui(ui)

    print("report: compute_metrics over synthetic decisions ...", flush=True)
    results["report"] = {}
    for n in (10_000, 100_000):
        rows = synthetic_rows(n)
        t0 = time.perf_counter()
        m = compute_metrics(rows)
        results["report"][f"compute_{n}"] = round(time.perf_counter() - t0, 3)
        print(f"  {n:>7} decisions: {results['report'][f'compute_{n}']:.3f} s")
    t0 = time.perf_counter()
    run_id = log_report(m, tracking_uri=store, experiment="bench",
                        artifacts_dir=work / "mlartifacts", reports_dir=args.out / "feedback")  # fmt: skip
    results["report"]["log_report_s"] = round(time.perf_counter() - t0, 2)
    print(f"  logging the 100k report (metrics, tables, 3 plots): "
          f"{results['report']['log_report_s']:.2f} s; plots in {args.out / 'feedback' / run_id}")  # fmt: skip

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "feedback.json").write_text(json.dumps(results, indent=2))
    figure(results).savefig(args.out / "feedback.png", dpi=110)
    print(f"wrote {args.out / 'feedback.json'} and {args.out / 'feedback.png'}")


if __name__ == "__main__":
    main()
