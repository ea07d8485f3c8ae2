"""The audit chain: every kind of tampering is found, at the first broken link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from domain.db import unit_of_work
from domain.types import utcnow
from governance import audit
from governance.tables import AuditEvent, AuditHead
from governance.uow import GENESIS


def _chain(session: Session, n: int = 6) -> list[AuditEvent]:
    start = utcnow()
    return [
        audit.append(session, actor=f"user{i}@firm.test", action="test.step",
                     at=start + timedelta(seconds=i), proposal_id=i,
                     data={"i": i, "amount": 1e16 + i, "ratio": 0.1, "name": "Zoë"})
        for i in range(n)
    ]  # fmt: skip


def _set(session: Session, at_seq: int, **values: object) -> None:
    session.execute(update(AuditEvent).where(AuditEvent.seq == at_seq).values(**values))
    session.expire_all()


def test_an_untouched_chain_verifies(session: Session) -> None:
    rows = _chain(session)
    session.flush()
    result = audit.verify(session)
    assert result.ok and result.events == 6
    assert result.head_hash == rows[-1].hash
    assert rows[0].prev_hash == GENESIS and rows[1].prev_hash == rows[0].hash
    assert result.report() == f"chain intact: 6 events (head {rows[-1].hash})"


def test_a_changed_event_is_found(session: Session) -> None:
    _chain(session)
    session.flush()
    _set(session, 3, data={"i": 3, "amount": 0, "ratio": 0.1, "name": "Zoë"})
    result = audit.verify(session)
    assert not result.ok and result.broken_at == 3
    assert "was changed" in result.problem
    assert result.report().startswith("chain broken at event 3:")


def test_a_changed_actor_or_time_is_found(session: Session) -> None:
    rows = _chain(session)
    session.flush()
    _set(session, 2, actor="someone.else@firm.test")
    assert audit.verify(session).broken_at == 2
    _set(session, 2, actor="user1@firm.test")  # put it back: the chain heals
    assert audit.verify(session).ok
    _set(session, 5, at=rows[4].at + timedelta(hours=1))
    assert audit.verify(session).broken_at == 5


def test_a_rehashed_event_breaks_the_next_link(session: Session) -> None:
    # A careful forger recomputes the changed event's own hash: the next link still breaks.
    _chain(session)
    session.flush()
    row = session.get(AuditEvent, 3)
    assert row is not None
    forged = {**row.data, "amount": 0}
    content = audit._content(row.seq, row.at, row.actor, row.action, row.proposal_id, forged)
    _set(session, 3, data=forged, hash=audit.link_hash(row.prev_hash, content))
    result = audit.verify(session)
    assert result.broken_at == 4 and "does not follow event 3" in result.problem


def test_a_deleted_event_is_found(session: Session) -> None:
    _chain(session)
    session.flush()
    session.execute(delete(AuditEvent).where(AuditEvent.seq == 4))
    result = audit.verify(session)
    assert result.broken_at == 4 and "missing" in result.problem


def test_events_cut_off_the_end_are_found(session: Session) -> None:
    _chain(session)
    session.flush()
    session.execute(delete(AuditEvent).where(AuditEvent.seq >= 5))
    result = audit.verify(session)
    assert not result.ok and result.broken_at == 5
    assert "head records 6 events but 4 are stored" in result.problem


def test_reordered_events_are_found(session: Session) -> None:
    _chain(session)
    session.flush()
    _set(session, 2, seq=-2)
    _set(session, 3, seq=2)
    _set(session, -2, seq=3)
    result = audit.verify(session)
    assert result.broken_at == 2 and "does not follow event 1" in result.problem


def test_appends_continue_the_chain_across_transactions(session: Session) -> None:
    _chain(session, 2)
    session.commit()  # a savepoint in this fixture; the head moves with it
    _chain(session, 2)
    session.flush()
    assert audit.verify(session).events == 4
    head = session.scalar(select(AuditHead))
    assert head is not None and head.seq == 4


@pytest.fixture
def cli_env(
    committed_engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    from app.settings import get_settings

    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", db_url)
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_cli_reports_intact_and_broken_chains(committed_engine: Engine, cli_env: None) -> None:
    from app.cli.main import cli
    from domain.db import make_session_factory

    with unit_of_work(make_session_factory(committed_engine)) as s:
        _chain(s, 5)
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("chain intact: 5 events")
    with committed_engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="mallory"))
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1
    assert broken.output.startswith("chain broken at event 2:")
