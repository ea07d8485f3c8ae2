"""A throwaway database for a benchmark run: SQLite in a temporary folder, or a new
PostgreSQL database created beside ``admin_url`` and dropped afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg


@contextmanager
def scratch_database(backend: str, admin_url: str) -> Iterator[str]:
    """Yield the URL of an empty database on ``backend`` ("sqlite" or "postgres")."""
    if backend == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp(prefix='opscopilot-bench-')}/bench.db"
        return
    name = f"opscopilot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
