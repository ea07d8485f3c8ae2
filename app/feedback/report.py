"""Override metrics: how approvers answered the copilot, broken down the ways retraining reads.

``compute_metrics`` is a pure function over decision rows, so its rates can be checked exactly;
``override_metrics`` reads the rows from the database and calls it (the metrics page and
``opscopilot feedback report`` both use that).

Each decision counts once, under its outcome: accepted, edited (accept_with_edits), overridden,
rejected or expired. An edited or overridden proposal is never counted as accepted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.types import utcnow
from governance.feedback import VALUE_OF, VALUES, FeedbackDelivery
from governance.metrics import Outcomes, grouped_shares, percentiles, shares
from governance.tables import Decision, Proposal
from governance.types import DecisionAction

OUTCOMES = VALUES  # accepted, edited, overridden, rejected, expired
RATE_NAMES = {
    "accepted": "acceptance_rate",
    "edited": "edit_rate",
    "overridden": "override_rate",
    "rejected": "reject_rate",
    "expired": "expiry_rate",
}
NONE_KEY = "(none)"
POLICY_ROLE = "policy"


@dataclass(frozen=True)
class DecisionRow:
    """One decided proposal, as the metrics need it."""

    proposal_id: int
    type: str
    action: str  # accept, accept_with_edits, override, reject, expire
    reason_code: str
    decided_by: str
    decider_role: str
    created_at: datetime
    decided_at: datetime
    practice: str | None = None
    model_version: str | None = None
    prompt_version: str | None = None
    edit_ratio: float | None = None
    feedback_status: str | None = None  # None: decided before feedback rows existed

    @property
    def outcome(self) -> str:
        return VALUE_OF[DecisionAction(self.action)]

    @property
    def by_person(self) -> bool:
        return self.decider_role != POLICY_ROLE


# Outcome counts and shares of one group of decisions: the queue metrics' model, keyed by
# outcome (``OUTCOMES``) instead of by action.
Rates = Outcomes


class TimeToDecision(BaseModel):
    """Hours from proposal to a person's decision (expiries and auto-accepts left out)."""

    n: int
    p50_hours: float | None
    p90_hours: float | None


class WeekRates(Outcomes):
    week_start: date  # a Monday


class OverrideMetrics(BaseModel):
    since: datetime | None
    until: datetime
    overall: Rates
    by_type: dict[str, Rates]
    by_model_version: dict[str, Rates]
    by_prompt_version: dict[str, Rates]
    by_practice: dict[str, Rates]
    by_approver: dict[str, Rates]  # people only: expiries and policy auto-accepts left out
    by_reason_code: dict[str, Rates]
    time_to_decision: dict[str, TimeToDecision]  # "all" and per type
    mean_edit_ratio: dict[str, float]  # "all" and per type, over edited decisions
    weekly: list[WeekRates]  # every week from the first decision's to the last's
    feedback_status: dict[str, int]  # delivered, pending, failed, no_trace, ...


def _rates(outcomes: Iterable[str]) -> Rates:
    return shares(outcomes, OUTCOMES)


def _group(
    rows: Iterable[DecisionRow], key: Callable[[DecisionRow], str | None]
) -> dict[str, Rates]:
    groups: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        groups[key(r) or NONE_KEY].append(r.outcome)
    return grouped_shares(groups, OUTCOMES)


def _time_to_decision(hours: Sequence[float]) -> TimeToDecision:
    p = percentiles(hours)
    return TimeToDecision(n=p.n, p50_hours=p.p50, p90_hours=p.p90)


def week_start(moment: datetime) -> date:
    """The Monday of ``moment``'s (UTC) week."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _weekly(rows: Sequence[DecisionRow]) -> list[WeekRates]:
    if not rows:
        return []
    by_week: dict[date, list[str]] = defaultdict(list)
    for r in rows:
        by_week[week_start(r.decided_at)].append(r.outcome)
    # Weeks without decisions are kept (all zero), so a plot's x axis is real time.
    first, last = min(by_week), max(by_week)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return [WeekRates(week_start=w, **_rates(by_week.get(w, [])).model_dump()) for w in weeks]


def compute_metrics(
    rows: Sequence[DecisionRow], *, since: datetime | None = None, until: datetime | None = None
) -> OverrideMetrics:
    """Override metrics over ``rows`` (already limited to the window ``since``..``until``)."""
    people = [r for r in rows if r.by_person and r.action != DecisionAction.expire]
    hours: dict[str, list[float]] = defaultdict(list)
    for r in people:
        took = (r.decided_at - r.created_at).total_seconds() / 3600
        hours["all"].append(took)
        hours[r.type].append(took)
    edits: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r.outcome == "edited" and r.edit_ratio is not None:
            edits["all"].append(r.edit_ratio)
            edits[r.type].append(r.edit_ratio)
    return OverrideMetrics(
        since=since,
        until=until or utcnow(),
        overall=_rates(r.outcome for r in rows),
        by_type=_group(rows, lambda r: r.type),
        by_model_version=_group(rows, lambda r: r.model_version),
        by_prompt_version=_group(rows, lambda r: r.prompt_version),
        by_practice=_group(rows, lambda r: r.practice),
        by_approver=_group(people, lambda r: r.decided_by),
        by_reason_code=_group(rows, lambda r: r.reason_code),
        time_to_decision={"all": _time_to_decision(hours["all"])}
        | {k: _time_to_decision(v) for k, v in sorted(hours.items()) if k != "all"},
        mean_edit_ratio={k: round(fmean(v), 4) for k, v in sorted(edits.items())},
        weekly=_weekly(rows),
        feedback_status=dict(sorted(Counter(r.feedback_status or NONE_KEY for r in rows).items())),
    )


def decision_rows(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    scope: ColumnElement[bool] | None = None,
) -> list[DecisionRow]:
    """Decided proposals in the window; ``scope`` limits them (e.g. what a viewer may see)."""
    query = (
        select(
            Proposal.id, Proposal.type, Proposal.practice, Proposal.model_version,
            Proposal.prompt_version, Proposal.created_at, Decision.action, Decision.reason_code,
            Decision.decided_by, Decision.decider_role, Decision.decided_at,
            FeedbackDelivery.status, FeedbackDelivery.details,
        )
        .join(Decision, Decision.proposal_id == Proposal.id)
        .outerjoin(FeedbackDelivery, FeedbackDelivery.decision_id == Decision.id)
        .order_by(Decision.decided_at, Decision.id)
    )  # fmt: skip
    if since is not None:
        query = query.where(Decision.decided_at >= since)
    if until is not None:
        query = query.where(Decision.decided_at < until)
    if scope is not None:
        query = query.where(scope)
    return [
        DecisionRow(
            proposal_id=pid, type=kind, practice=practice, model_version=model,
            prompt_version=prompt, created_at=created, action=action, reason_code=reason,
            decided_by=by, decider_role=role, decided_at=decided, feedback_status=status,
            edit_ratio=(details or {}).get("edit_ratio"),
        )
        for (pid, kind, practice, model, prompt, created, action, reason, by, role, decided,
             status, details) in session.execute(query).all()
    ]  # fmt: skip


def override_metrics(
    session: Session,
    since: datetime | None = None,
    *,
    until: datetime | None = None,
    scope: ColumnElement[bool] | None = None,
) -> OverrideMetrics:
    """Override metrics over every decision since ``since`` (all time when None)."""
    rows = decision_rows(session, since=since, until=until, scope=scope)
    return compute_metrics(rows, since=since, until=until)
