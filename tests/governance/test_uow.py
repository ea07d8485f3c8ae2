"""The writer lock and after-commit hooks that every governance write relies on."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from domain.db import make_session_factory, unit_of_work
from domain.tables import User
from domain.types import utcnow
from governance import audit
from governance.uow import begin_write, on_commit


def test_a_stale_read_snapshot_does_not_fail_the_write(committed_engine: Engine) -> None:
    # A request reads (the API-key lookup) before it writes. On SQLite, if someone else commits
    # in between, the upgrade to a write fails at once; begin_write must recover from that.
    sessions = make_session_factory(committed_engine)
    request = sessions()
    try:
        request.execute(select(func.count()).select_from(User)).scalar()  # read snapshot
        with unit_of_work(sessions) as other:
            audit.append(other, actor="other", action="test.first", at=utcnow(), data={})
        begin_write(request)
        audit.append(request, actor="request", action="test.second", at=utcnow(), data={})
        request.commit()
    finally:
        request.close()
    with unit_of_work(sessions) as s:
        result = audit.verify(s)
        assert result.ok and result.events == 2


def test_callbacks_run_after_commit_only(committed_engine: Engine) -> None:
    sessions = make_session_factory(committed_engine)
    ran: list[str] = []
    with unit_of_work(sessions) as s:
        s.execute(text("SELECT 1"))
        on_commit(s, lambda: ran.append("kept"))
        nested = s.begin_nested()
        on_commit(s, lambda: ran.append("rolled back"))
        nested.rollback()
        on_commit(s, lambda: 1 / 0)  # a failing callback is logged, the others still run
        on_commit(s, lambda: ran.append("after the failure"))
        assert ran == []
    assert ran == ["kept", "after the failure"]
    s2: Session = sessions()
    try:
        s2.execute(text("SELECT 1"))
        on_commit(s2, lambda: ran.append("never"))
        s2.rollback()
        s2.commit()
    finally:
        s2.close()
    assert "never" not in ran


def test_readers_turning_writers_under_contention_never_fail(committed_engine: Engine) -> None:
    # What every API request does: read (auth), then write. No attempt may fail as "busy".
    sessions = make_session_factory(committed_engine)
    failures: list[str] = []

    def work() -> None:
        for _ in range(40):
            s = sessions()
            try:
                s.execute(select(func.count()).select_from(User)).scalar()
                begin_write(s)
                audit.append(s, actor="t", action="test.contended", at=utcnow(), data={})
                s.commit()
            except Exception as exc:
                failures.append(repr(exc))
                s.rollback()
            finally:
                s.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with unit_of_work(sessions) as s:
        assert audit.verify(s).events == 160
