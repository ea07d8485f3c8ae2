"""What a project leaves behind: assignments, timesheets, change requests, milestones, closure.

Rows are plain dicts named after the table columns, except that foreign keys are carried as
the parent's external id (``project_key``, ``consultant_key``, ``client_key``) until the rows
are inserted. Nothing dated after ``as_of`` reaches the rows: a timesheet not yet submitted,
a decision not yet taken and a milestone not yet accepted do not exist yet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from app.demo.catalog import IMPLEMENTATION_PAYMENTS, INDUSTRY_DATA, MILESTONES
from app.demo.changes import change_wording
from app.demo.effort import planned_hours
from app.demo.people import Person
from app.demo.projects import ProjectPlan
from app.demo.staffing import Stint
from app.demo.timeline import Timeline
from app.demo.worklog import describe
from domain.types import ContractType, EngagementType, ProjectStatus

Row = dict[str, Any]
RUN_TYPES = (EngagementType.managed_service, EngagementType.support_retainer)


@dataclass
class ProjectHistory:
    project: Row
    assignments: list[Row] = field(default_factory=list)
    time_entries: list[Row] = field(default_factory=list)
    change_requests: list[Row] = field(default_factory=list)
    milestones: list[Row] = field(default_factory=list)
    status_notes: list[Row] = field(default_factory=list)


@dataclass
class Context:
    """Everything the history and reporting steps share about one project."""

    plan: ProjectPlan
    stints: list[Stint]
    effort: np.ndarray
    people: list[Person]
    timeline: Timeline
    rng: random.Random
    bill_rate: float = 0.0
    last_week: int = 0  # last week with timesheets
    weekly_hours: np.ndarray = field(default_factory=lambda: np.zeros(0))
    accepted: dict[int, date] = field(default_factory=dict)  # milestone index -> accepted_on
    due: list[tuple[str, date]] = field(default_factory=list)

    @property
    def data(self) -> tuple[str, ...]:
        return INDUSTRY_DATA[self.plan.client.industry]

    def visible(self, day: date) -> bool:
        return day <= self.timeline.as_of

    def baseline(self, week: int) -> float:
        """Budget hours plus change requests approved by ``week``."""
        extra = sum(
            c.hours
            for c in self.plan.change_requests
            if c.status == "approved"
            and c.decided_week <= week
            and self.visible(self.timeline.friday(c.decided_week))
        )
        return self.plan.budget_hours + extra

    def tally(self, entries: list[Row]) -> None:
        """Hours booked per week of the project, from its (final) time entries."""
        self.weekly_hours = np.zeros(self.plan.weeks)
        for r in entries:
            week = self.timeline.week_of(r["work_date"])
            self.weekly_hours[week - self.plan.start_week] += r["hours"]

    def overran(self) -> bool:
        end = min(self.last_week, self.plan.end_week)
        return float(self.weekly_hours.sum()) > 1.1 * self.baseline(end)

    def phase(self, week: int) -> str:
        if self.plan.engagement in RUN_TYPES:
            return "run"
        share = (week - self.plan.start_week) / self.plan.weeks
        return "design" if share < 0.25 else "build" if share < 0.75 else "close"


def blended_rate(ctx: Context) -> float:
    billable = [s for s in ctx.stints if s.slot.billable and s.kind == "plan"] or ctx.stints
    weights = [s.hours * (s.end_week - s.start_week + 1) for s in billable]
    raw = sum(
        ctx.people[s.person].bill_rate * w for s, w in zip(billable, weights, strict=True)
    ) / sum(weights)
    # The blended rate is negotiated down from list rates.
    return float(5 * round(raw * ctx.rng.uniform(0.85, 0.97) / 5))


def assignments(ctx: Context) -> list[Row]:
    rows = []
    for s in ctx.stints:
        if ctx.timeline.monday(s.decided_week) > ctx.timeline.as_of:
            continue
        rows.append(
            {
                "project_key": ctx.plan.external_id,
                "consultant_key": ctx.people[s.person].external_id,
                "role": s.slot.role,
                "hours_per_week": s.hours,
                "start_date": ctx.timeline.monday(s.start_week),
                "end_date": ctx.timeline.friday(s.end_week),
                "billable": s.slot.billable,
            }
        )
    return rows


def time_entries(ctx: Context, lateness: list[float]) -> list[Row]:
    plan, rng, tl = ctx.plan, ctx.rng, ctx.timeline
    rows: list[Row] = []
    cum_effort = np.cumsum(ctx.effort)
    cum_plan = np.cumsum(planned_hours(plan, ctx.stints)) + 1e-6
    advisory = plan.engagement is EngagementType.advisory
    for week in range(plan.start_week, ctx.last_week + 1):
        i = week - plan.start_week
        active = [s for s in ctx.stints if s.active(week)]
        if not active or ctx.effort[i] <= 0:
            continue
        # Holidays and sick days move hours between people from week to week.
        weights = [
            s.hours
            * (rng.uniform(0.0, 0.5) if rng.random() < 0.04 else 1.0)
            * rng.lognormvariate(0, 0.12)
            for s in active
        ]
        total = sum(weights) or 1.0
        troubled = cum_effort[i] > 1.1 * cum_plan[i]
        friday = tl.friday(week)
        for s, w in zip(active, weights, strict=True):
            hours = round(ctx.effort[i] * w / total * 2) / 2
            if hours < 0.5:
                continue
            person = ctx.people[s.person]
            late = rng.random() < min(0.85, plan.late_rate * lateness[s.person])
            submitted = friday + timedelta(
                days=4 + int(rng.expovariate(1 / 6)) if late else rng.choice((0, 0, 1, 1, 1, 2, 2))
            )
            if submitted > tl.as_of:
                continue  # not in yet
            handover = s.kind == "replacement" and week - s.start_week < 2
            rows.append(
                {
                    "project_key": plan.external_id,
                    "consultant_key": person.external_id,
                    "work_date": friday,
                    "hours": hours,
                    "billable": s.slot.billable and not (handover and rng.random() < 0.5),
                    "description": describe(
                        rng,
                        track=s.slot.tracks[0] if s.slot.tracks else person.track.key,
                        role=s.slot.role,
                        lead=s.slot.lead,
                        manager=s.slot.manager,
                        phase=ctx.phase(week),
                        advisory=advisory,
                        data=ctx.data,
                        sprint=i // 2 + 1,
                        handover=handover,
                        troubled=bool(troubled),
                    ),
                    "submitted_on": submitted,
                }
            )
    return rows


def change_requests(ctx: Context) -> list[Row]:
    plan, tl = ctx.plan, ctx.timeline
    rows = []
    for cr in plan.change_requests:
        raised = tl.monday(cr.raised_week) + timedelta(days=ctx.rng.randint(0, 4))
        if raised > tl.as_of:
            continue
        decided = tl.friday(cr.decided_week) - timedelta(days=ctx.rng.randint(0, 3))
        decided = max(decided, raised + timedelta(days=2))
        title, ask = change_wording(plan.practice, cr.wording, ctx.rng.choice(ctx.data))
        impact = f" Estimated impact: {cr.hours:.0f} hours."
        rows.append(
            {
                "project_key": plan.external_id,
                "title": f"CR-{cr.number:02d} {title}",
                "description": ask + impact,
                "hours": cr.hours,
                "amount": float(round(cr.hours * ctx.bill_rate, -2)),
                "status": cr.status if ctx.visible(decided) else "proposed",
                "raised_on": raised,
                "decided_on": decided if ctx.visible(decided) else None,
            }
        )
    return rows


def milestones(ctx: Context, budget_amount: float) -> list[Row]:
    plan, tl, rng = ctx.plan, ctx.timeline, ctx.rng
    defs = MILESTONES[plan.engagement]
    if plan.engagement is EngagementType.implementation:
        shares = IMPLEMENTATION_PAYMENTS
    else:
        shares = tuple(1 / len(defs) for _ in defs)
    cum = np.cumsum(ctx.weekly_hours)
    rows = []
    for k, ((name, frac), share) in enumerate(zip(defs, shares, strict=True)):
        week = plan.start_week + round(frac * (plan.weeks - 1))
        due = tl.friday(week)
        ctx.due.append((name, due))
        accepted_on = None
        if week <= ctx.last_week:
            # Milestones on a project that is burning ahead of its baseline get signed off late.
            ratio = cum[min(week, ctx.last_week) - plan.start_week] / max(
                1.0, ctx.baseline(week) * (frac or 0.01)
            )
            delay = max(0, round(rng.gauss(0.2, 0.8) + 6 * max(0.0, ratio - 1.05)))
            candidate = due + timedelta(days=7 * delay + rng.randint(0, 3))
            if ctx.visible(candidate) and (plan.hold_week is None or week <= plan.hold_week):
                accepted_on = candidate
                ctx.accepted[k] = candidate
        rows.append(
            {
                "project_key": plan.external_id,
                "name": name,
                "due_date": due,
                "amount": float(round(budget_amount * share, -2))
                if plan.contract is ContractType.fixed_fee
                else 0.0,
                "status": "accepted" if accepted_on else "pending",
                "accepted_on": accepted_on,
            }
        )
    return rows


def closure(ctx: Context, history: ProjectHistory) -> None:
    """Close a finished project once its timesheets are in and its milestones are signed off."""
    plan, tl = ctx.plan, ctx.timeline
    project = history.project
    if plan.status is not ProjectStatus.closed:
        return
    latest = [tl.friday(plan.end_week) + timedelta(days=ctx.rng.randint(3, 21))]
    latest += [r["submitted_on"] for r in history.time_entries]
    latest += [r["accepted_on"] for r in history.milestones if r["accepted_on"]]
    closed_on = max(latest)
    if len(history.milestones) != len(ctx.accepted) or not ctx.visible(closed_on):
        project["status"] = ProjectStatus.active.value  # finished, still being closed out
        return
    project["closed_on"] = closed_on
    project["actual_hours"] = float(sum(r["hours"] for r in history.time_entries))
    project["percent_complete"] = 100.0
