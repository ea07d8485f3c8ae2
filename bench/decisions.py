"""Decisions per second and latency through the HTTP API, on SQLite and PostgreSQL.

Serves the real app with uvicorn on 127.0.0.1 (in-process, one worker), seeds a small firm and
N pending ``assign_staff`` proposals, then has C client threads (httpx) accept them through
``POST /v1/proposals/{id}/decision``. Each decision is the full use case: auth, policy check,
guarded update, assignment created, audit append, outbox event, commit before the response.

    .venv/bin/python bench/decisions.py                       # both backends, C = 1 and 4
    .venv/bin/python bench/decisions.py --backend sqlite -n 1000 -c 1 -c 8

PostgreSQL: a throw-away database is created on the server named by --pg-admin-url (default
postgresql://postgres@127.0.0.1:5432/postgres) and dropped afterwards. The loop is bounded by
N; nothing is asserted; figures are printed.
"""

from __future__ import annotations

import argparse
import os
import queue
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import httpx
import uvicorn
from sqlalchemy import Engine, func, select

from app import dbadmin
from app.main import create_app
from app.runtime import Runtime
from app.services import Services
from app.settings import Settings
from bench.scratch import scratch_database
from domain import users
from domain.db import make_engine, make_session_factory, unit_of_work
from domain.tables import Client, Consultant, Project
from governance import audit
from governance.schemas import ProposalCreate
from governance.service import Governance
from governance.tables import Decision
from governance.types import ProposalType


@dataclass
class Figures:
    backend: str
    concurrency: int
    n: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    busy: int

    def line(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = statistics.median(lat)
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
        return (
            f"{self.backend:<10} C={self.concurrency:<3} n={self.n:<5} "
            f"{self.n / self.seconds:8.1f} decisions/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
            f"errors {self.errors}  503s {self.busy}"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(engine: Engine, n: int) -> tuple[list[int], str]:
    """A project, a consultant, an approver with a key and ``n`` pending proposals."""
    gov = Governance.load()
    with unit_of_work(make_session_factory(engine)) as s:
        client = Client(external_id=f"CL-{uuid.uuid4().hex[:6]}", name=f"Bench {uuid.uuid4()}")
        s.add(client)
        s.flush()
        project = Project(
            external_id=f"P-{uuid.uuid4().hex[:6]}", client_id=client.id, name="Bench project",
            engagement_type="implementation", contract_type="time_and_materials",
            practice="Data & AI", region="EMEA", budget_hours=5000, budget_amount=500_000,
            bill_rate=200, start_date=date(2027, 1, 4), end_date=date(2027, 12, 31),
            status="active", delivery_manager_email="dm@bench.test",
        )  # fmt: skip
        person = Consultant(
            external_id=f"C-{uuid.uuid4().hex[:6]}", name="Bench Person",
            email=f"{uuid.uuid4().hex[:8]}@bench.test", role_level="consultant",
            practice="Data & AI", region="EMEA", timezone="Europe/Berlin", languages=["en"],
            cost_rate=100, bill_rate=200,
        )  # fmt: skip
        s.add_all([project, person])
        s.flush()
        approver = users.create_user(
            s, email=f"approver-{uuid.uuid4().hex[:6]}@bench.test", name="Approver",
            role="approver", practices=["Data & AI"],
        )  # fmt: skip
        key = users.issue_key(s, approver).key
        candidate = {"consultant_id": person.id, "name": person.name, "score": 0.9,
                     "score_parts": {"skills": 0.9}, "reasons": ["bench"]}  # fmt: skip
        ids = []
        for i in range(n):
            payload = {"project_id": project.id, "role": f"Engineer {i}", "hours_per_week": 1,
                       "start_date": "2027-01-04", "end_date": "2027-02-26",
                       "candidates": [candidate]}  # fmt: skip
            data = ProposalCreate(type=ProposalType.assign_staff, payload=payload,
                                  requested_by="dm@bench.test", model_version="bench")  # fmt: skip
            ids.append(gov.submit(s, data, submitted_by="agent:bench").proposal.id)
    return ids, key


@contextmanager
def _serve(engine: Engine) -> Iterator[str]:
    data_dir = Path(tempfile.mkdtemp(prefix="opscopilot-bench-"))
    runtime = Runtime(
        settings=Settings(environment="test", data_dir=data_dir),
        engine=engine,
        sessions=make_session_factory(engine),
    )
    app = create_app(runtime=runtime, services=Services())
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _run(base: str, key: str, ids: list[int], concurrency: int, backend: str) -> Figures:
    todo: queue.Queue[int] = queue.Queue()
    for pid in ids:
        todo.put(pid)
    latencies: list[float] = []
    errors = busy = 0
    lock = threading.Lock()
    body = {"action": "accept", "reason_code": "good_fit", "note": "bench"}

    def worker() -> None:
        nonlocal errors, busy
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"},
                          timeout=30) as http:  # fmt: skip
            while True:
                try:
                    pid = todo.get_nowait()
                except queue.Empty:
                    return
                while True:
                    start = time.perf_counter()
                    r = http.post(f"/v1/proposals/{pid}/decision", json=body,
                                  headers={"Idempotency-Key": f"bench-{pid}"})  # fmt: skip
                    took = (time.perf_counter() - start) * 1000
                    with lock:
                        if r.status_code == 503:  # busy store: retry, as a client should
                            busy += 1
                            continue
                        latencies.append(took)
                        errors += r.status_code != 200
                    break

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Figures(backend, concurrency, len(ids), time.perf_counter() - start, latencies,
                   errors, busy)  # fmt: skip


def _check(engine: Engine, expected: int) -> str:
    with unit_of_work(make_session_factory(engine)) as s:
        decided = s.scalar(select(func.count()).select_from(Decision))
        chain = audit.verify(s)
    return f"{decided} decisions stored (expected {expected}); {chain.report()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("-n", type=int, default=400, help="decisions per run")
    parser.add_argument("-c", "--concurrency", type=int, action="append",
                        help="client threads (repeat; default 1 and 4)")  # fmt: skip
    parser.add_argument("--pg-admin-url", default=os.environ.get(
        "OPSCOPILOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    levels = args.concurrency or [1, 4]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; n={args.n} per run")
    for backend in backends:
        with scratch_database(backend, args.pg_admin_url) as url:
            engine = make_engine(url, pool_size=max(levels) + 2)
            dbadmin.upgrade(engine)
            with _serve(engine) as base:
                total = 0
                for c in levels:
                    ids, key = _seed(engine, args.n)
                    warm = httpx.get(f"{base}/healthz")  # first request pays imports
                    warm.raise_for_status()
                    print(_run(base, key, ids, c, backend).line(), flush=True)
                    total += len(ids)
            print(f"{'':<10} {_check(engine, total)}")
            engine.dispose()


if __name__ == "__main__":
    main()
