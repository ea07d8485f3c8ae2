"""Benchmark the copilot through HTTP: a chat turn that proposes staffing, and a risk re-score
from an inbound event.

    .venv/bin/python bench/copilot.py [--turns 200] [--events 200] [--durability exit]
                                      [--trace] [--postgres postgresql://...]

Runs a real server (uvicorn on 127.0.0.1, a free port) over a fresh database seeded with the
test firm, the offline LLM and the database-only adapters, with proposals going into the real
approval queue. Prints p50/p99 per request and where the time goes, node by node (from the
runs' own timings). Numbers on a shared 2-core machine vary by 30-40 % between runs: compare
ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

STAFFING = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(args: argparse.Namespace, data_dir: Path) -> tuple[Any, Any, Any, dict[str, str], Any]:
    """The app, the copilot, the session factory, auth headers and the event to send."""
    from agents.adapters.governance import (
        CopilotDecisionListener,
        CopilotEventSubscriber,
        GovernanceSink,
    )
    from agents.context import build_context
    from agents.copilot import Copilot
    from app import dbadmin
    from app.main import create_app
    from app.runtime import Runtime
    from app.services import Services
    from app.settings import Settings
    from domain import users
    from domain.db import make_engine, make_session_factory, unit_of_work
    from domain.tables import Project
    from governance.service import Governance
    from tests.agents.firm import DM_EMAIL, TODAY, seed_firm

    url = args.postgres or f"sqlite:///{data_dir / 'bench.db'}"
    engine = make_engine(url)
    dbadmin.upgrade(engine)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as s:
        firm = seed_firm(s)
        dm = users.create_user(s, email=DM_EMAIL, name="Dana", role="delivery_manager")
        admin = users.create_user(s, email="ops@example.com", name="Ops", role="admin")
        keys = {"dm": users.issue_key(s, dm).key, "admin": users.issue_key(s, admin).key}
        external_id = s.get(Project, firm.fabrikam_migration).external_id  # type: ignore[union-attr]

    tracer = None
    if args.trace:
        from agents.adapters.mlflow_tracer import MlflowTracer

        tracer = MlflowTracer(f"sqlite:///{data_dir / 'mlflow.db'}", "bench")
    governance = Governance.load()
    ctx = build_context(
        sessions, proposals=GovernanceSink(governance), clock=lambda: TODAY, tracer=tracer
    )
    copilot = Copilot.open(ctx, database_url=url, data_dir=data_dir, durability=args.durability)
    governance.add_decision_listener(CopilotDecisionListener(copilot))
    governance.add_event_subscriber(CopilotEventSubscriber(copilot))

    settings = Settings(environment="test", data_dir=data_dir)
    runtime = Runtime(settings=settings, engine=engine, sessions=sessions)
    app = create_app(runtime=runtime, services=Services(extras={"copilot": copilot}))
    app.state.governance = governance
    headers = {k: f"Bearer {v}" for k, v in keys.items()}
    event = {
        "type": "status.updated",
        "data": {
            "project_external_id": external_id,
            "author": "Dana",
            "note_date": (TODAY - timedelta(days=1)).isoformat(),
            "rag": "amber",
            "text": "Cutover plan under review.",
        },
    }
    return app, copilot, sessions, headers, event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--durability", choices=["exit", "async", "sync"], default="exit")
    parser.add_argument("--trace", action="store_true", help="trace runs in MLflow (async)")
    parser.add_argument("--postgres", help="a PostgreSQL URL to use instead of SQLite")
    args = parser.parse_args()

    import httpx
    import uvicorn
    from sqlalchemy import select

    from agents.tables import AgentRun
    from domain.db import unit_of_work

    with tempfile.TemporaryDirectory() as tmp:
        app, copilot, sessions, headers, event = build(args, Path(tmp))
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        dm = {"Authorization": headers["dm"], "Accept": "application/json"}
        admin = {"Authorization": headers["admin"]}
        try:
            with httpx.Client(base_url=base, timeout=30) as http:
                threads = [
                    http.post("/v1/chat/threads", json={}, headers=dm).json()["id"]
                    for _ in range(args.warmup + args.turns)
                ]

                def turn(thread_id: str) -> float:
                    started = time.perf_counter()
                    r = http.post(
                        f"/v1/chat/threads/{thread_id}/messages",
                        json={"content": STAFFING},
                        headers=dm,
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    assert r.status_code == 200, r.text
                    assert r.json()["proposals"][0]["type"] == "assign_staff", r.text
                    return elapsed

                def rescore() -> float:
                    started = time.perf_counter()
                    r = http.post(
                        "/v1/events", json={**event, "id": uuid.uuid4().hex}, headers=admin
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    assert r.status_code == 201, r.text
                    return elapsed

                def floor() -> float:
                    started = time.perf_counter()
                    assert http.get("/v1/me", headers=dm).status_code == 200
                    return (time.perf_counter() - started) * 1000

                for t in threads[: args.warmup]:
                    turn(t)
                for _ in range(args.warmup):
                    rescore()
                    floor()
                floor_ms = [floor() for _ in range(args.turns)]
                chat_ms = [turn(t) for t in threads[args.warmup :]]
                event_ms = [rescore() for _ in range(args.events)]
        finally:
            server.should_exit = True
            thread.join(timeout=10)

        with unit_of_work(sessions) as s:
            rows = s.execute(select(AgentRun.kind, AgentRun.timings_ms)).all()
        copilot.close()

    def report(name: str, values: list[float], kind: str) -> None:
        print(
            f"\n{name}: n={len(values)}  p50={percentile(values, 50):.1f} ms  "
            f"p99={percentile(values, 99):.1f} ms  mean={statistics.fmean(values):.1f} ms"
        )
        per_node: dict[str, list[float]] = defaultdict(list)
        runs = [t for k, t in rows if k == kind]
        for timings in runs:
            for node, ms in timings.items():
                per_node[node].append(ms)
        total = sum(statistics.fmean(v) * len(v) / len(runs) for v in per_node.values())
        print(
            f"  time in graph nodes per run: {total:.1f} ms "
            f"({total / statistics.fmean(values):.0%} of the request)"
        )
        for node, v in sorted(per_node.items(), key=lambda kv: -sum(kv[1])):
            share = sum(v) / len(runs)
            print(f"    {node:<22} {share:6.2f} ms  {share / total:5.1%}")

    print(
        f"durability={args.durability}  trace={'mlflow' if args.trace else 'off'}  "
        f"db={'postgres' if args.postgres else 'sqlite'}  llm=offline"
    )
    print(
        f"\nfloor: GET /v1/me (HTTP + API-key check) p50={percentile(floor_ms, 50):.1f} ms  "
        f"p99={percentile(floor_ms, 99):.1f} ms"
    )
    report("chat turn -> assign_staff proposal (POST /v1/chat/.../messages, JSON)", chat_ms, "chat")
    report("risk re-score from an event (POST /v1/events status.updated)", event_ms, "event")


if __name__ == "__main__":
    main()
