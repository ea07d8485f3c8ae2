"""Engine and session factory. Commits happen at the boundary (request, CLI command)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVarTuple

from sqlalchemy import BindParameter, Engine, Result, Select, bindparam, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

WAL_SIZE_LIMIT = 64 * 1024 * 1024  # bytes


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5) -> Engine:
    """An engine for SQLite (file or memory) or PostgreSQL (psycopg 3)."""
    url = normalise_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_size"] = pool_size
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the pysqlite driver, issue BEGIN: the driver's own transaction
    # handling breaks SAVEPOINTs. WAL lets readers proceed during a write; foreign keys are
    # off by default in SQLite.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Once the log restarts, cut the file back: a burst of writes would otherwise leave it
    # at its largest size for good.
    cur.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def end_read(session: Session) -> None:
    """End the transaction ``session`` has only read in, so it holds no snapshot meanwhile.

    A request authenticates first and then may work for a while (a chat turn commits several
    times on other sessions). On SQLite in WAL mode a transaction left open meanwhile keeps a
    reader on the log: with requests back to back there always is one, so the log never
    restarts, grows without bound, every commit tries to checkpoint it (an fsync each time)
    and every read searches a longer log. On PostgreSQL an idle transaction holds back
    vacuum. The session stays usable: its next statement begins a new transaction.
    """
    session.commit()


_Ts = TypeVarTuple("_Ts")
# The ``ids`` list of a statement built once (``.in_(IDS)``), given at each ``read_rows``.
IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


def read_rows(
    session: Session, statement: Select[*_Ts], params: Mapping[str, Any] | None = None
) -> Result[*_Ts]:
    """The rows of a read of plain columns, run on the session's connection as Core.

    ``Session.execute`` hands even a column-only select to the ORM, whose result machinery
    plain columns do not need; on the staffing reads of a chat turn, skipping it (with
    statements built once) took about 30% off the staffing node (docs/benchmarks.md).
    Pending changes are flushed first, as ``Session.execute`` would, so the read sees what
    the session has added.
    """
    session.flush()
    return session.connection().execute(statement, dict(params or {}))
