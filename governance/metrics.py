"""Queue metrics for operations leads and data scientists.

Backlog now; over a window: cycle time (created -> decided), SLA adherence (decided before due,
out of everything that left the queue) and the share of each outcome by type, practice,
approver and model version. Overrides and edits by model version are what retraining reads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from statistics import quantiles
from typing import Any

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from governance.tables import Decision, Proposal
from governance.types import DecisionAction

ACTIONS = [a.value for a in DecisionAction]


class Backlog(BaseModel):
    type: str
    pending: int
    overdue: int
    escalated: int
    oldest_age_hours: float | None


class Percentiles(BaseModel):
    n: int
    p50: float | None
    p90: float | None


class Outcomes(BaseModel):
    decided: int
    counts: dict[str, int]
    rates: dict[str, float]  # accept, accept_with_edits, override, reject, expire: share of decided


class QueueMetrics(BaseModel):
    since: datetime
    until: datetime
    backlog: list[Backlog]
    cycle_time_hours: dict[str, Percentiles]  # "all" and per type
    sla_adherence: dict[str, float | None]  # "all" and per type
    by_type: dict[str, Outcomes]
    by_practice: dict[str, Outcomes]
    by_approver: dict[str, Outcomes]
    by_model_version: dict[str, Outcomes]


def _percentiles(values: list[float]) -> Percentiles:
    if not values:
        return Percentiles(n=0, p50=None, p90=None)
    if len(values) == 1:
        return Percentiles(n=1, p50=round(values[0], 3), p90=round(values[0], 3))
    cuts = quantiles(values, n=10, method="inclusive")
    return Percentiles(n=len(values), p50=round(cuts[4], 3), p90=round(cuts[8], 3))


def _outcomes(actions: Iterable[str]) -> Outcomes:
    counts = Counter(actions)
    total = sum(counts.values())
    return Outcomes(
        decided=total,
        counts={a: counts.get(a, 0) for a in ACTIONS},
        rates={a: round(counts.get(a, 0) / total, 4) if total else 0.0 for a in ACTIONS},
    )


def queue_metrics(
    session: Session, *, scope: ColumnElement[bool], since: datetime, now: datetime
) -> QueueMetrics:
    """Metrics over the proposals matching ``scope`` (what the viewer may see)."""
    hours = 3600.0
    backlog_rows = session.execute(
        select(
            Proposal.type,
            func.count(),
            func.sum(case((Proposal.due_at < now, 1), else_=0)),
            func.sum(case((Proposal.escalation_level > 0, 1), else_=0)),
            func.min(Proposal.created_at),
        )
        .where(scope, Proposal.status == "pending")
        .group_by(Proposal.type)
        .order_by(Proposal.type)
    ).all()
    backlog = [
        Backlog(
            type=t, pending=n, overdue=int(overdue or 0), escalated=int(escalated or 0),
            oldest_age_hours=round((now - _aware(oldest)).total_seconds() / hours, 2)
            if oldest else None,
        )
        for t, n, overdue, escalated, oldest in backlog_rows
    ]  # fmt: skip
    decided = session.execute(
        select(
            Proposal.type, Proposal.practice, Proposal.model_version, Proposal.created_at,
            Proposal.due_at, Decision.action, Decision.decided_by, Decision.decided_at,
        )
        .join(Decision, Decision.proposal_id == Proposal.id)
        .where(scope, Decision.decided_at >= since)
    ).all()  # fmt: skip
    cycle: dict[str, list[float]] = defaultdict(list)
    in_time: dict[str, list[bool]] = defaultdict(list)
    groups: dict[str, dict[str, list[str]]] = {
        k: defaultdict(list) for k in ("type", "practice", "approver", "model")
    }
    for kind, practice, model, created, due, action, by, at in decided:
        in_time["all"].append(action != "expire" and at <= due)
        in_time[kind].append(action != "expire" and at <= due)
        if action != "expire":
            took = (at - created).total_seconds() / hours
            cycle["all"].append(took)
            cycle[kind].append(took)
            groups["approver"][by].append(action)
        groups["type"][kind].append(action)
        groups["practice"][practice or "(firm-wide)"].append(action)
        groups["model"][model or "(none)"].append(action)
    return QueueMetrics(
        since=since,
        until=now,
        backlog=backlog,
        cycle_time_hours={k: _percentiles(v) for k, v in sorted(cycle.items())}
        or {"all": _percentiles([])},
        sla_adherence={k: round(sum(v) / len(v), 4) for k, v in sorted(in_time.items())}
        or {"all": None},
        by_type=_by(groups["type"]),
        by_practice=_by(groups["practice"]),
        by_approver=_by(groups["approver"]),
        by_model_version=_by(groups["model"]),
    )


def _by(groups: dict[str, list[str]]) -> dict[str, Outcomes]:
    return {k: _outcomes(v) for k, v in sorted(groups.items())}


def _aware(value: Any) -> datetime:
    # min() over a UTCDateTime column comes back without the type's conversion on SQLite.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
