"""Decisions over time, for the metrics page's weekly trends and reason-code breakdown.

``governance.metrics.QueueMetrics`` gives one window's totals; the page also needs the same
decisions bucketed by week and counted by reason code, which it reads here in one query over
the proposals the viewer may see.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from governance.tables import Decision, Proposal


@dataclass(frozen=True)
class DecisionRow:
    type: str
    model_version: str
    action: str
    reason_code: str
    created_at: datetime
    decided_at: datetime


@dataclass(frozen=True)
class Week:
    start: date
    counts: dict[str, int]
    median_hours: float | None

    @property
    def label(self) -> str:
        return self.start.strftime("%d %b")

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def decision_rows(
    session: Session, scope: ColumnElement[bool], since: datetime, until: datetime
) -> list[DecisionRow]:
    rows = session.execute(
        select(
            Proposal.type,
            Proposal.model_version,
            Decision.action,
            Decision.reason_code,
            Proposal.created_at,
            Decision.decided_at,
        )
        .join(Decision, Decision.proposal_id == Proposal.id)
        .where(scope, Decision.decided_at >= since, Decision.decided_at <= until)
        .order_by(Decision.decided_at)
    ).all()
    return [
        DecisionRow(t, mv or "(none)", a, rc, _aware(c), _aware(d)) for t, mv, a, rc, c, d in rows
    ]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(rows: Sequence[DecisionRow], until: datetime, weeks: int) -> list[Week]:
    """One bucket per ISO week (Monday start), oldest first, empty weeks included."""
    last = week_start(until.date())
    starts = [last - timedelta(weeks=n) for n in reversed(range(weeks))]
    counts: dict[date, Counter[str]] = {s: Counter() for s in starts}
    hours: dict[date, list[float]] = defaultdict(list)
    for r in rows:
        wk = week_start(r.decided_at.date())
        if wk in counts:
            counts[wk][r.action] += 1
            if r.action != "expire":
                hours[wk].append((r.decided_at - r.created_at).total_seconds() / 3600)
    return [
        Week(s, dict(counts[s]), round(median(hours[s]), 2) if hours[s] else None) for s in starts
    ]


def reason_counts(rows: Sequence[DecisionRow]) -> list[tuple[str, str, int]]:
    """(reason code, the action it was most often given with, count), most used first."""
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        by_code[r.reason_code][r.action] += 1
    out = [(code, c.most_common(1)[0][0], sum(c.values())) for code, c in by_code.items()]
    return sorted(out, key=lambda x: (-x[2], x[0]))


def filter_rows(
    rows: Sequence[DecisionRow], kind: str = "", model_version: str = ""
) -> list[DecisionRow]:
    return [
        r
        for r in rows
        if (not kind or r.type == kind) and (not model_version or r.model_version == model_version)
    ]
