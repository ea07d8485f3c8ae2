"""The LangGraph checkpointer: SQLite next to the app's data, or the app's PostgreSQL.

A run that waits for a decision lives in the checkpointer until the decision resumes it, so
the checkpointer must outlive the process: a file under the data directory by default, and
the application's own PostgreSQL database when the app runs on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver

SQLITE_FILE = "checkpoints.sqlite"


@dataclass
class CheckpointStore:
    saver: BaseCheckpointSaver[str]
    close: Callable[[], None]
    backend: str


def plain_postgres_url(url: str) -> str:
    """``postgresql+psycopg://`` (SQLAlchemy's form) as the ``postgresql://`` psycopg wants."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.startswith("postgres") else url


def open_checkpointer(database_url: str, data_dir: Path, *, pool_size: int = 5) -> CheckpointStore:
    """A checkpointer matching the app's database; call ``close`` at shutdown."""
    if database_url.startswith("postgres"):
        return _postgres(plain_postgres_url(database_url), pool_size)
    return _sqlite(data_dir / SQLITE_FILE)


def _sqlite(path: Path) -> CheckpointStore:
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    # One connection shared by the saver's lock; WAL lets the app read while a run writes.
    # synchronous=NORMAL, as for the app's database: in WAL mode a commit then survives a
    # crash of the process without an fsync of its own (a power cut may lose the last ones).
    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    saver = SqliteSaver(conn)
    saver.setup()
    return CheckpointStore(saver=saver, close=conn.close, backend="sqlite")


def _postgres(url: str, pool_size: int) -> CheckpointStore:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    # The saver needs autocommit and dict rows; prepared statements break behind poolers.
    pool: ConnectionPool = ConnectionPool(
        url,
        min_size=1,
        max_size=pool_size,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=True,
    )
    saver = PostgresSaver(pool)  # type: ignore[arg-type]
    saver.setup()
    return CheckpointStore(saver=saver, close=pool.close, backend="postgres")
