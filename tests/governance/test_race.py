"""Many approvers deciding the same proposals at once: exactly one decision each, none lost."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, func, select

from domain.db import make_engine, make_session_factory, unit_of_work
from governance import audit
from governance.actor import Actor
from governance.errors import ProposalAlreadyDecided, StoreBusy
from governance.schemas import ProposalCreate
from governance.service import Governance
from governance.tables import AuditEvent, Decision, Proposal, RiskFlag
from governance.types import ProposalType
from tests.governance.factories import APPROVER, APPROVER_2, DIRECTOR, decision, make_firm, payload

N_PROPOSALS = 200
DECIDERS = [APPROVER, APPROVER_2, DIRECTOR, Actor("cy@firm.test", "approver", ("Data & AI",))]


@dataclass
class Tally:
    won: list[int] = field(default_factory=list)
    lost: int = 0
    busy_retries: int = 0
    errors: list[str] = field(default_factory=list)


def _seed(engine: Engine) -> list[int]:
    gov = Governance.load()
    with unit_of_work(make_session_factory(engine)) as s:
        firm = make_firm(s)
        data = ProposalCreate(type=ProposalType.flag_risk,
                              payload=payload(ProposalType.flag_risk, firm))  # fmt: skip
        return [gov.submit(s, data, submitted_by="agent").proposal.id for _ in range(N_PROPOSALS)]


def _decide_all(url: str, actor: Actor, ids: list[int], index: int) -> Tally:
    """One approver working through the queue (in a thread or a separate process)."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    gov = Governance.load()
    tally = Tally()
    action = ("accept", "risk_confirmed") if index % 2 == 0 else ("reject", "false_positive")
    try:
        for pid in ids:
            while True:
                try:
                    with unit_of_work(sessions) as s:
                        gov.decide(s, pid, actor, decision(*action))
                    tally.won.append(pid)
                except ProposalAlreadyDecided:
                    tally.lost += 1
                except StoreBusy:
                    tally.busy_retries += 1
                    continue
                except Exception as exc:  # anything else fails the test, with its name
                    tally.errors.append(f"{pid}: {type(exc).__name__}: {exc}")
                break
    finally:
        engine.dispose()
    return tally


def _process_worker(args: tuple[str, Actor, list[int], int]) -> Tally:
    return _decide_all(*args)


def _check(engine: Engine, ids: list[int], tallies: list[Tally]) -> None:
    assert not [e for t in tallies for e in t.errors]
    won = Counter(pid for t in tallies for pid in t.won)
    assert sorted(won) == sorted(ids) and set(won.values()) == {1}
    assert sum(t.lost for t in tallies) == len(ids) * (len(tallies) - 1)
    with unit_of_work(make_session_factory(engine)) as s:
        per_proposal = s.execute(
            select(Decision.proposal_id, func.count()).group_by(Decision.proposal_id)
        ).all()
        assert len(per_proposal) == len(ids) and {n for _, n in per_proposal} == {1}
        assert not s.scalar(select(func.count()).where(Proposal.status == "pending"))
        accepted = s.scalar(select(func.count()).where(Proposal.status == "accepted"))
        assert s.scalar(select(func.count()).select_from(RiskFlag)) == accepted
        decided_events = s.scalar(
            select(func.count()).where(
                AuditEvent.action.in_(["proposal.accepted", "proposal.rejected"])
            )
        )
        assert decided_events == len(ids)
        result = audit.verify(s)
        assert result.ok, result.report()
        assert result.events == 2 * len(ids)


def test_threads_deciding_the_same_proposals(committed_engine: Engine, db_url: str) -> None:
    ids = _seed(committed_engine)
    tallies = [Tally() for _ in DECIDERS]

    def run(i: int) -> None:
        tallies[i] = _decide_all(db_url, DECIDERS[i], ids, i)

    # Everyone walks the queue in the same order: each proposal is contested at the same time.
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(DECIDERS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _check(committed_engine, ids, tallies)


def test_processes_deciding_the_same_proposals(committed_engine: Engine, db_url: str) -> None:
    ids = _seed(committed_engine)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(len(DECIDERS)) as pool:
        tallies = pool.map(_process_worker, [(db_url, a, ids, i) for i, a in enumerate(DECIDERS)])
    _check(committed_engine, ids, tallies)


def test_the_same_retry_from_two_threads_is_one_decision(
    committed_engine: Engine, db_url: str
) -> None:
    ids = _seed(committed_engine)[:20]
    sessions = make_session_factory(committed_engine)
    gov = Governance.load()
    results: list[list[int]] = [[], []]

    def run(slot: int) -> None:
        for pid in ids:
            with unit_of_work(sessions) as s:
                out = gov.decide(s, pid, APPROVER, decision("accept", "risk_confirmed"),
                                 idempotency_key=f"retry-{pid}")  # fmt: skip
            results[slot].append(out.decision.id)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] and len(set(results[0])) == len(ids)


pytestmark = pytest.mark.timeout(240)
