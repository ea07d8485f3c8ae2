"""Shared fixtures: a migrated database per backend, a rolled-back session per test.

Every test that takes ``session`` (or ``engine``) runs once on SQLite and once on PostgreSQL.
PostgreSQL tests use a fresh database created for this pytest process, so parallel runs never
collide; they skip when no server is configured, unless OPSCOPILOT_REQUIRE_POSTGRES=1 (CI),
where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import dbadmin
from app.runtime import Runtime
from app.settings import get_settings
from domain.db import make_engine
from domain.tables import User

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

POSTGRES_ADMIN_URL = os.environ.get(
    "OPSCOPILOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("OPSCOPILOT_REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a throw-away PostgreSQL database, dropped at the end of the run."""
    if not _postgres_reachable():
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL required but not reachable at {POSTGRES_ADMIN_URL}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    name = f"opscopilot_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    dbadmin.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Code under test may call ``commit()``: it commits a savepoint, not the outer transaction.
    """
    with engine.connect() as conn:
        outer = conn.begin()
        sess = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield sess
        finally:
            sess.close()
            outer.rollback()


@pytest.fixture
def cli_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data directory (``tmp_path / "var"``) for CLI commands run in-process; the
    settings are read anew before and after the test."""
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "var"
    d.mkdir()
    return d


def _truncate_all(eng: Engine) -> None:
    from domain.tables import Base

    tables = [t for t in reversed(Base.metadata.sorted_tables)]
    with eng.begin() as conn:
        if eng.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for t in tables:
                conn.execute(t.delete())


@pytest.fixture
def committed_engine(engine: Engine) -> Iterator[Engine]:
    """The shared engine for tests whose code commits for real (API, threads, processes).

    Every table is emptied afterwards, so such tests stay independent.
    """
    _truncate_all(engine)
    yield engine
    _truncate_all(engine)


@pytest.fixture
def runtime(committed_engine: Engine, data_dir: Path) -> Runtime:
    from app.settings import Settings
    from domain.db import make_session_factory

    settings = Settings(environment="test", data_dir=data_dir)
    return Runtime(
        settings=settings, engine=committed_engine, sessions=make_session_factory(committed_engine)
    )


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    from app.main import create_app

    with TestClient(create_app(runtime=runtime)) as c:
        yield c


@pytest.fixture
def make_user(runtime: Runtime) -> Callable[..., tuple[User, dict[str, str]]]:
    """Create a user with a key; returns the user and the Authorization header to send."""
    from domain import users
    from domain.db import unit_of_work

    def make(
        role: str = "delivery_manager", email: str | None = None, **scope: list[str]
    ) -> tuple[User, dict[str, str]]:
        with unit_of_work(runtime.sessions) as s:
            user = users.create_user(
                s,
                email=email or f"{role}-{uuid.uuid4().hex[:6]}@example.com",
                name=role.title(),
                role=role,
                **scope,
            )
            key = users.issue_key(s, user).key
        return user, {"Authorization": f"Bearer {key}"}

    return make
