"""Benchmark the copilot as it is served: a chat turn that proposes staffing, and a risk
re-score from an inbound event, through HTTP, with the trained models and a warm encoder.

    .venv/bin/python bench/copilot.py --data-dir var/bench/copilot   # first run: seed + train
    .venv/bin/python bench/copilot.py --data-dir var/bench/copilot   # reruns reuse them

Without ``--data-dir`` everything happens in a temporary directory that is removed at the
end. The first use of a data directory seeds the demo firm (``seed_demo_cli``) and trains
and registers the models (``ensure_models``, about a minute); later runs reuse both.

The app is the real one, ``create_app(settings)`` under uvicorn on 127.0.0.1 (one worker,
access log off): its lifespan loads the encoder, the request classifier, the staffing
recommender and its profile index, the risk model, the approval queue and the copilot
(offline LLM, MLflow tracing) exactly as ``opscopilot serve`` does. After a warm-up it sends

- N chat turns, each in a fresh chat thread and with its own wording (so the classifier
  really encodes each message: the encoder's cache would otherwise hide the one embedding a
  turn needs), each of which must come back with an ``assign_staff`` proposal;
- N events, alternately ``status.updated`` and ``timesheet.submitted`` for the demo's live
  projects, each of which must start a copilot risk re-score (an ``agent_runs`` row);

and, in blocks alternating with the blocks of turns, as many bare encodes of never-seen
texts with the app's own encoder: the floor of any turn that embeds. Each phase starts once
the traces of the previous one are written (the copilot writes them to MLflow when the
server is quiet; the bench reports what that cost). It prints p50/p99 per request, the
time per graph node (from the runs' own ``timings_ms``), the time outside the nodes, and
the ratio of the chat turn's p50 to the bare encode's. The host is shared and noisy:
compare ratios within one run, not absolute times across runs. ``--no-trace`` runs the
copilot without MLflow tracing, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

PROJECT = "Contoso Analytics Modernisation"
DM_EMAIL = "dana.dm@opscopilot-demo.com"  # delivery manager of the demo's featured projects
ADMIN_EMAIL = "alex.admin@opscopilot-demo.com"
READY = "bench-copilot.ready"  # written once the data directory is seeded and trained
BLOCK = 25  # turns (and bare encodes) per block

# Wordings of the same request. Every turn gets a distinct text (template x hours x start):
# the classifier embeds the message, and a repeated text would be served from the cache.
# Starts are relative to today so that they fall inside the project, which ends a few months
# after the demo firm's date: the copilot refuses a start after a project's end.
TEMPLATES = (
    "I need a senior data engineer with Spark and Azure for {project} {start}, {h}h a week",
    "Can you find a senior data engineer with Spark and Azure for {project} {start}, "
    "{h} hours a week?",
    "We need a senior data engineer (Spark, Azure) on {project} {start}, {h}h per week",
    "Please find a senior data engineer with Spark and Azure skills for {project} {start} "
    "at {h} hours a week",
)
STARTS = (
    "from tomorrow",
    "from next week",
    "from next Monday",
    "from next Tuesday",
    "from next Wednesday",
    "starting next Thursday",
    "in 2 weeks",
)
HOURS = range(16, 41)


def messages() -> Iterator[str]:
    """Distinct staffing requests for the same project and role (700 of them)."""
    for h in HOURS:
        for start in STARTS:
            for t in TEMPLATES:
                yield t.format(project=PROJECT, start=start, h=h)


def check_budget(turns: int) -> None:
    """``messages()`` holds this many distinct texts; more turns would repeat one."""
    budget = len(TEMPLATES) * len(STARTS) * len(HOURS)
    if turns > budget:
        raise SystemExit(f"--warmup + --turns must be at most {budget} (distinct messages)")


def staffing_app(data_dir: Path, turns: int) -> tuple[Any, dict[str, str]]:
    """The served app on ``data_dir`` (seeded and trained on first use) and the demo users'
    API keys, for a bench of ``turns`` staffing turns."""
    from app.main import create_app

    check_budget(turns)
    settings = prepared(data_dir)
    return create_app(settings), demo_keys(settings)


def open_threads(http: Any, n: int, headers: dict[str, str], title: str) -> list[str]:
    """``n`` new chat threads, made outside the timed part: each turn starts a conversation."""
    return [
        http.post("/v1/chat/threads", json={"title": title}, headers=headers).json()["id"]
        for _ in range(n)
    ]


def staffing_reply(r: Any, text: str) -> dict[str, Any]:
    """The turn's JSON reply, which must hold exactly one ``assign_staff`` proposal."""
    if r.status_code != 200:
        raise SystemExit(f"{text!r} -> HTTP {r.status_code}: {r.text[:300]}")
    body: dict[str, Any] = r.json()
    kinds = [p["type"] for p in body["proposals"]]
    if kinds != ["assign_staff"]:
        raise SystemExit(f"{text!r} -> {kinds}: {body['reply'][:300]}")
    return body


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the data directory --------------------------------------------------------------------


def sqlite_log_mb(url: str) -> float | None:
    """Size of the SQLite database's write-ahead log; None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    wal = Path(url.removeprefix("sqlite:///") + "-wal")
    return wal.stat().st_size / 1e6 if wal.exists() else 0.0


def prepared(data_dir: Path, say: Callable[[str], None] = print) -> Any:
    """Settings for a bench on ``data_dir``, its demo firm seeded and its models trained (on
    first use only), the process environment set as the entry points set it."""
    from app.settings import Settings, configure_process_environment

    configure_process_environment()
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(environment="development", data_dir=data_dir.resolve())
    prepare(settings, say)
    return settings


def prepare(settings: Any, say: Callable[[str], None]) -> None:
    """Seed the demo firm and train/register the models, once per data directory."""
    from app.bootstrap_models import ensure_models
    from app.demo.seed import seed_demo_cli

    if (settings.data_dir / READY).exists():
        say(f"reusing the seeded and trained data in {settings.data_dir}")
        return
    from domain.errors import Conflict

    started = time.perf_counter()
    try:
        seed_demo_cli(settings, echo=lambda line: None)
        say(f"seeded the demo firm in {time.perf_counter() - started:.0f} s; training the models")
    except Conflict:  # seeded by an earlier run that stopped before the models were trained
        say("the database already holds the firm; training the models")
    started = time.perf_counter()
    ensure_models(settings)
    (settings.data_dir / READY).write_text("seeded and trained\n")
    say(f"models trained and registered in {time.perf_counter() - started:.0f} s")


def demo_keys(settings: Any) -> dict[str, str]:
    from app.demo.report import KEYS_FILE

    users = json.loads((settings.data_dir / KEYS_FILE).read_text())["users"]
    return {u["email"]: u["key"] for u in users}


@dataclass(frozen=True)
class EventTarget:
    """A live project with someone assigned to it, for timesheets and status notes."""

    project: str  # external id
    consultant: str  # external id


def event_targets(sessions: Any) -> list[EventTarget]:
    from sqlalchemy import select

    from domain.db import unit_of_work
    from domain.tables import Assignment, Consultant, Project

    with unit_of_work(sessions) as s:
        rows = s.execute(
            select(Project.external_id, Consultant.external_id)
            .join(Assignment, Assignment.project_id == Project.id)
            .join(Consultant, Consultant.id == Assignment.consultant_id)
            .where(Project.status == "active")
            .order_by(Project.id, Consultant.id)
        ).all()
    seen: dict[str, EventTarget] = {}
    for project, consultant in rows:
        seen.setdefault(project, EventTarget(project, consultant))
    return list(seen.values())[:20]


def event_body(i: int, target: EventTarget, today: date) -> dict[str, Any]:
    day = today - timedelta(days=1 + i % 5)
    if i % 2:
        data: dict[str, Any] = {
            "project_external_id": target.project,
            "consultant_external_id": target.consultant,
            "submitted_on": today.isoformat(),
            "entries": [{"work_date": day.isoformat(), "hours": 6.5, "description": "Build"}],
        }
        kind = "timesheet.submitted"
    else:
        data = {
            "project_external_id": target.project,
            "author": "Dana Whitfield",
            "note_date": day.isoformat(),
            "rag": ("green", "amber")[i % 4 // 2],
            "text": "Sprint review done; next increment in progress.",
        }
        kind = "status.updated"
    return {"id": f"bench-{uuid.uuid4().hex}", "type": kind, "data": data}


# --- the server ----------------------------------------------------------------------------


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app under uvicorn on a free local port, in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 600
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("the server did not start; see the log above")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def check_wiring(services: Any) -> list[str]:
    """The copilot's ports, which must be the trained models, not the database-only defaults."""
    from agents.adapters.models import (
        ModelClassifier,
        ModelExtractor,
        ModelRecommender,
        ModelRiskScorer,
    )
    from agents.llm.offline import OfflineLLM

    ctx = services.require("copilot").context
    wanted = {
        "classifier": ModelClassifier,
        "extractor": ModelExtractor,
        "recommender": ModelRecommender,
        "risk": ModelRiskScorer,
    }
    wrong = [f"{port}={type(getattr(ctx, port)).__name__}" for port, cls in wanted.items()
             if not isinstance(getattr(ctx, port), cls)]  # fmt: skip
    if wrong:
        raise SystemExit(f"the copilot is not wired to the trained models: {', '.join(wrong)}")
    if not isinstance(ctx.llm, OfflineLLM):
        raise SystemExit(f"expected the offline LLM, got {type(ctx.llm).__name__}")
    return [f"{port}={type(getattr(ctx, port)).__name__}" for port in (*wanted, "tracer")]


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Sample:
    ms: float
    key: str  # the chat run's key, or the event's id


@dataclass
class Drain:
    traces: int
    seconds: float
    cpu_seconds: float
    left: int  # still queued when the wait gave up


def drain_traces(tracer: Any, timeout: float = 60.0) -> Drain:
    """Wait, idle, until the tracer has written its queued traces (as it does when quiet)."""
    pending = getattr(tracer, "pending", 0)
    t0, c0 = time.perf_counter(), time.process_time()
    deadline = time.monotonic() + timeout
    while getattr(tracer, "pending", 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = getattr(tracer, "pending", 0)
    return Drain(pending, time.perf_counter() - t0, time.process_time() - c0, left)


def run(args: argparse.Namespace, data_dir: Path) -> None:
    import httpx
    from sqlalchemy import select

    from agents.ports import NullTracer
    from agents.tables import AgentRun
    from app.main import create_app
    from domain.db import unit_of_work

    say = print
    settings = prepared(data_dir, say)
    keys = demo_keys(settings)

    app = create_app(settings)
    started = time.perf_counter()
    with serving(app) as base:
        say(
            f"app started in {time.perf_counter() - started:.1f} s (lifespan: models, index, graph)"
        )
        services = app.state.services
        copilot = services.require("copilot")
        if not args.trace:
            copilot.context = replace(copilot.context, tracer=NullTracer())
        tracer = copilot.context.tracer
        wiring = check_wiring(services)
        encoder = services.require("encoder")
        sessions = app.state.runtime.sessions
        targets = event_targets(sessions)
        if not targets:
            raise SystemExit("no active project with assignments in the demo firm")
        today = date.today()

        dm = {"Authorization": f"Bearer {keys[DM_EMAIL]}", "Accept": "application/json"}
        admin = {"Authorization": f"Bearer {keys[ADMIN_EMAIL]}"}
        texts = messages()
        check_budget(args.warmup + args.turns)
        fresh = (
            f"{t.format(project=PROJECT, start='from October', h=h)} ({uuid.uuid4().hex[:8]})"
            for _ in range(1_000)
            for h in HOURS
            for t in TEMPLATES
        )

        with httpx.Client(base_url=base, timeout=60) as http:
            threads = open_threads(http, args.warmup + args.turns, dm, "bench")

            def turn(thread_id: str) -> Sample:
                text = next(texts)
                t0 = time.perf_counter()
                r = http.post(
                    f"/v1/chat/threads/{thread_id}/messages", json={"content": text}, headers=dm
                )
                ms = (time.perf_counter() - t0) * 1000
                return Sample(ms, staffing_reply(r, text)["run_key"])

            def event(i: int) -> Sample:
                body = event_body(i, targets[i % len(targets)], today)
                t0 = time.perf_counter()
                r = http.post("/v1/events", json=body, headers=admin)
                ms = (time.perf_counter() - t0) * 1000
                assert r.status_code == 201, r.text
                return Sample(ms, body["id"])

            def floor() -> float:
                t0 = time.perf_counter()
                assert http.get("/v1/me", headers=dm).status_code == 200
                return (time.perf_counter() - t0) * 1000

            def bare_encode() -> float:
                text = next(fresh)
                t0 = time.perf_counter()
                encoder.encode([text])
                return (time.perf_counter() - t0) * 1000

            for t in threads[: args.warmup]:
                turn(t)
            for i in range(args.warmup):
                event(10_000 + i)
                bare_encode()
                floor()
            drains = [drain_traces(tracer)]
            floor_ms = [floor() for _ in range(args.turns)]
            chat: list[Sample] = []
            encode_ms: list[float] = []
            # Alternating blocks, so that load changes on the host hit both. Turns run back
            # to back within a block: an encode right before every turn would evict the
            # caches the turn's own code runs from, and add that to the turn.
            measured = threads[args.warmup :]
            for start in range(0, len(measured), BLOCK):
                encode_ms += [bare_encode() for _ in measured[start : start + BLOCK]]
                chat += [turn(t) for t in measured[start : start + BLOCK]]
            drains.append(drain_traces(tracer))
            events = [event(i) for i in range(args.events)]
            drains.append(drain_traces(tracer))
            log_mb = sqlite_log_mb(settings.db_url)

        with unit_of_work(sessions) as s:
            chat_runs: dict[str, dict[str, float]] = dict(
                s.execute(
                    select(AgentRun.run_key, AgentRun.timings_ms).where(
                        AgentRun.run_key.in_([c.key for c in chat])
                    )
                ).all()
            )
            event_runs: dict[str | None, dict[str, float]] = dict(
                s.execute(
                    select(AgentRun.event_id, AgentRun.timings_ms).where(
                        AgentRun.event_id.in_([e.key for e in events])
                    )
                ).all()
            )

    load = os.getloadavg()
    print(
        f"\nllm=offline  tracing={'mlflow' if args.trace else 'off'}  db=sqlite  "
        f"durability={copilot.durability}  load average {load[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print("ports: " + ", ".join(wiring))
    enc50 = percentile(encode_ms, 50)
    print(
        f"\nbare encode (the app's MiniLM encoder, a never-seen text each time): "
        f"n={len(encode_ms)}  p50={enc50:.1f} ms  p99={percentile(encode_ms, 99):.1f} ms"
    )
    print(
        f"floor (GET /v1/me: HTTP and the API-key check): p50={percentile(floor_ms, 50):.1f} ms  "
        f"p99={percentile(floor_ms, 99):.1f} ms"
    )
    report(
        "chat turn -> assign_staff proposal (POST /v1/chat/threads/{id}/messages, JSON)",
        [c.ms for c in chat],
        [chat_runs[c.key] for c in chat],
        enc50,
    )
    missing = sum(1 for e in events if e.key not in event_runs)
    if missing:
        raise SystemExit(f"{missing} events started no copilot run")
    report(
        "risk re-score from an event (POST /v1/events, status.updated / timesheet.submitted)",
        [e.ms for e in events],
        [event_runs[e.key] for e in events],
        enc50,
    )
    if log_mb is not None:
        # Checkpointed and restarted every ~1,000 pages unless a transaction left open pins it.
        print(f"\ndatabase log (SQLite WAL) after the run, server still up: {log_mb:.1f} MB")
    written = [d for d in drains[1:] if d.traces]
    if written:
        n = sum(d.traces - d.left for d in written)
        cpu = sum(d.cpu_seconds for d in written)
        wall = sum(d.seconds for d in written)
        left = sum(d.left for d in written)
        print(
            f"\ntrace export, after each phase, idle: {n} traces written to MLflow in "
            f"{wall:.1f} s, {cpu * 1000 / max(n, 1):.1f} ms of CPU per trace (process, all threads)"
            + (f"; {left} still queued after the wait" if left else "")
        )


def report(
    name: str, values: list[float], timings: list[dict[str, float]], encode_p50: float
) -> None:
    p50 = percentile(values, 50)
    print(
        f"\n{name}\n  n={len(values)}  p50={p50:.1f} ms  p99={percentile(values, 99):.1f} ms  "
        f"mean={statistics.fmean(values):.1f} ms  p50 / bare encode p50 = {p50 / encode_p50:.2f}"
    )
    per_node: dict[str, list[float]] = defaultdict(list)
    for t in timings:
        for node, ms in t.items():
            per_node[node].append(ms)
    in_graph = [sum(t.values()) for t in timings]
    outside = [v - g for v, g in zip(values, in_graph, strict=True)]
    print(f"  median per part (of {len(timings)} runs; medians do not add up exactly):")
    for node, v in sorted(per_node.items(), key=lambda kv: -statistics.median(kv[1])):
        runs = f"  (in {len(v)} runs)" if len(v) < len(timings) else ""
        print(f"    {node:<22} {statistics.median(v):7.2f} ms{runs}")
    print(f"    {'graph nodes, total':<22} {statistics.median(in_graph):7.2f} ms")
    print(
        f"    {'outside the nodes':<22} {statistics.median(outside):7.2f} ms  (HTTP, API key, "
        "storing the message and the run, LangGraph, checkpoint)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="seeded/trained data to (re)use")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--no-trace",
        dest="trace",
        action="store_false",
        help="run the copilot without MLflow tracing (it traces as served by default)",
    )
    args = parser.parse_args()
    if args.data_dir is not None:
        run(args, args.data_dir)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-copilot-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
