"""Transaction helpers for governance writes: one writer lock, and work to run after commit.

Every governance write (submit, decide, escalate, expire, ingest an event) starts with
``begin_write``. It locks the audit chain's head row, which the audit append needs anyway, so
taking it first gives every write path one lock order (no deadlocks) and a consistent view.

On SQLite the lock must be the transaction's first write for another reason: in WAL mode a
transaction that has read (for example the API-key lookup) and then writes fails at once with
SQLITE_BUSY while another connection writes, or SQLITE_BUSY_SNAPSHOT if one committed since
the read; the busy timeout does not apply to either. Such a transaction has written nothing,
so ``begin_write`` rolls the read-only prefix back and starts again with the lock as the first
statement, which then waits its turn like any writer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, SessionTransaction

from governance.errors import StoreBusy
from governance.tables import AuditHead

log = logging.getLogger(__name__)

GENESIS = "0" * 64
HEAD_ID = 1
_LOCKED = "governance.writer_locked"
_CALLBACKS = "governance.after_commit"
_INSTALLED = "governance.hooks_installed"
SQLITE_BUSY = 5


def _install(session: Session) -> None:
    if session.info.get(_INSTALLED):
        return
    session.info[_INSTALLED] = True

    def after_commit(s: Session) -> None:
        s.info.pop(_LOCKED, None)
        callbacks = s.info.pop(_CALLBACKS, [])
        for _, fn in callbacks:
            try:
                fn()
            except Exception:  # after commit nothing may undo the transaction; log and go on
                log.exception("after-commit callback %r failed", fn)

    def after_soft_rollback(s: Session, previous: SessionTransaction) -> None:
        # A rolled-back savepoint releases the row locks taken inside it, and whatever it
        # registered never happened: forget both.
        s.info.pop(_LOCKED, None)
        s.info[_CALLBACKS] = [
            (txn, fn) for txn, fn in s.info.get(_CALLBACKS, []) if not _within(txn, previous)
        ]

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_soft_rollback", after_soft_rollback)


def _within(txn: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while txn is not None:
        if txn is ancestor:
            return True
        txn = txn.parent
    return False


def on_commit(session: Session, fn: Callable[[], Any]) -> None:
    """Run ``fn`` once the session's transaction commits; drop it if that part rolls back."""
    _install(session)
    txn = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_CALLBACKS, []).append((txn, fn))


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _lock_head(session: Session) -> None:
    if _is_sqlite(session):
        # A write statement takes SQLite's single writer lock (waiting out the busy timeout);
        # it also creates the head row the first time.
        session.execute(
            sqlite_insert(AuditHead)
            .values(id=HEAD_ID, seq=0, hash=GENESIS)
            .on_conflict_do_nothing()
        )
        return
    locked = select(AuditHead.id).where(AuditHead.id == HEAD_ID).with_for_update()
    if session.scalar(locked) is None:
        session.execute(
            pg_insert(AuditHead).values(id=HEAD_ID, seq=0, hash=GENESIS).on_conflict_do_nothing()
        )
        session.scalar(locked)


def _busy(exc: OperationalError) -> bool:
    # SQLITE_BUSY (5) and its extended codes, e.g. SQLITE_BUSY_SNAPSHOT (517).
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == SQLITE_BUSY


def begin_write(session: Session, *, attempts: int = 3) -> None:
    """Take the governance writer lock for this transaction (idempotent within it)."""
    if session.info.get(_LOCKED):
        return
    _install(session)
    for attempt in range(attempts):
        clean = not (session.new or session.dirty or session.deleted)
        try:
            _lock_head(session)
        except OperationalError as exc:
            if not (_is_sqlite(session) and _busy(exc)):
                raise
            # SQLite refuses at once, without waiting, to turn a transaction that has read into
            # a writer while another connection writes (or has written since the read). Such a
            # transaction has written nothing, so start it again with the lock as its first
            # statement, which then waits its turn. Unflushed objects would be lost: no retry.
            if not clean or attempt + 1 == attempts:
                raise StoreBusy("The database is busy; nothing was changed, try again") from exc
            session.rollback()
            continue
        session.info[_LOCKED] = True
        return
