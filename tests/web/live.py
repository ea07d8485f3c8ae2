"""The whole app served by uvicorn on a free local port, on a fresh SQLite file, with the
copilot wired to the approval queue the way the server wires it. For browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from agents.adapters.governance import CopilotDecisionListener, GovernanceSink
from agents.context import build_context
from agents.copilot import Copilot
from app.main import create_app
from app.runtime import Runtime, open_runtime
from app.services import Services
from app.settings import Settings
from domain import users
from domain.db import unit_of_work
from domain.types import utcnow
from governance.service import Governance
from tests.agents.firm import DM_EMAIL, TODAY, Firm, seed_firm
from tests.web.registry import register_models
from tests.web.seed import APPROVER_EMAIL, Queue, seed_queue

DS_EMAIL = "dee.scientist@example.com"


@dataclass(frozen=True)
class LiveApp:
    base_url: str
    runtime: Runtime
    firm: Firm
    queue: Queue
    keys: dict[str, str]  # role -> API key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(runtime: Runtime, gov: Governance) -> tuple[Firm, Queue, dict[str, str]]:
    keys = {}
    with unit_of_work(runtime.sessions) as s:
        firm = seed_firm(s)
        for role, email, name in (
            ("delivery_manager", DM_EMAIL, "Dana Manager"),
            ("approver", APPROVER_EMAIL, "Rita Approver"),
            ("data_scientist", DS_EMAIL, "Dee Scientist"),
        ):
            user = users.create_user(s, email=email, name=name, role=role)
            keys[role] = users.issue_key(s, user).key
    with unit_of_work(runtime.sessions) as s:
        queue = seed_queue(s, gov, firm, requested_by=DM_EMAIL, now=utcnow())
    return firm, queue, keys


@contextmanager
def live_app(data_dir: Path) -> Iterator[LiveApp]:
    settings = Settings(environment="test", data_dir=data_dir)
    register_models(settings)  # a champion and a challenger for the metrics page
    runtime = open_runtime(settings)
    gov = Governance.load()
    context = build_context(runtime.sessions, proposals=GovernanceSink(gov), clock=lambda: TODAY)
    copilot = Copilot.open(context, database_url=settings.db_url, data_dir=data_dir)
    gov.add_decision_listener(CopilotDecisionListener(copilot))
    firm, queue, keys = _seed(runtime, gov)

    app = create_app(
        runtime=runtime, services=Services(extras={"copilot": copilot, "governance": gov})
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="live-app", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.1)
    try:
        yield LiveApp(base_url, runtime, firm, queue, keys)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        copilot.close()
        runtime.engine.dispose()
