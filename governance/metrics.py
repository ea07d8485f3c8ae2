"""Queue metrics for operations leads and data scientists.

Backlog now; over a window: cycle time (created -> decided), SLA adherence (decided before due,
out of everything that left the queue) and the share of each outcome by type, practice,
approver and model version. Overrides and edits by model version are what retraining reads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from statistics import quantiles

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from governance.tables import Decision, Proposal
from governance.types import DecisionAction

ACTIONS = tuple(a.value for a in DecisionAction)


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
    """Counts and shares of one group of decisions, one entry per outcome key.

    Keys here are the actions (accept, accept_with_edits, override, reject, expire); the
    override report (``app.feedback.report``) keys the same model by outcome name.
    """

    decided: int
    counts: dict[str, int]
    rates: dict[str, float]  # share of ``decided`` (0 when nothing was decided)

    def rate(self, key: str) -> float:
        return self.rates.get(key, 0.0)


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


def percentiles(values: Sequence[float]) -> Percentiles:
    """Median and 90th percentile (inclusive method), rounded to 3 places; None when empty."""
    if not values:
        return Percentiles(n=0, p50=None, p90=None)
    if len(values) == 1:
        return Percentiles(n=1, p50=round(values[0], 3), p90=round(values[0], 3))
    cuts = quantiles(values, n=10, method="inclusive")
    return Percentiles(n=len(values), p50=round(cuts[4], 3), p90=round(cuts[8], 3))


def shares(labels: Iterable[str], keys: Sequence[str] = ACTIONS) -> Outcomes:
    """How many of ``labels`` are each of ``keys``, and each one's share of them all."""
    counts = Counter(labels)
    total = sum(counts.values())
    return Outcomes(
        decided=total,
        counts={k: counts.get(k, 0) for k in keys},
        rates={k: round(counts.get(k, 0) / total, 4) if total else 0.0 for k in keys},
    )


def grouped_shares(
    groups: Mapping[str, Iterable[str]], keys: Sequence[str] = ACTIONS
) -> dict[str, Outcomes]:
    """``shares`` per group, groups in key order."""
    return {k: shares(v, keys) for k, v in sorted(groups.items())}


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
            oldest_age_hours=round((now - oldest).total_seconds() / hours, 2)
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
        cycle_time_hours={k: percentiles(v) for k, v in sorted(cycle.items())}
        or {"all": percentiles([])},
        sla_adherence={k: round(sum(v) / len(v), 4) for k, v in sorted(in_time.items())}
        or {"all": None},
        by_type=grouped_shares(groups["type"]),
        by_practice=grouped_shares(groups["practice"]),
        by_approver=grouped_shares(groups["approver"]),
        by_model_version=grouped_shares(groups["model"]),
    )
