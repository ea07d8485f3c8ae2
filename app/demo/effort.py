"""How many hours a project really takes, week by week.

The plan says one thing; the work takes what the latent drivers make it take:

* a poor estimate inflates every week, more in the back half (build and test are where an
  optimistic estimate is found out);
* fixed fees are sold tighter than time-and-materials; big projects and new clients carry more
  unknowns; loose delivery discipline costs a little everywhere;
* change requests cause more work than they were approved for, and rejected ones still leak in;
* a departing team member costs a handover;
* and every week has noise of its own.

Whether a project overruns is never decided here: it falls out of these hours.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from app.demo.projects import ProjectPlan
from app.demo.staffing import Calendar, Stint, augment
from app.demo.timeline import Timeline
from domain.types import ContractType, EngagementType

ENGAGEMENT_BIAS = {
    EngagementType.implementation: 0.06,
    EngagementType.advisory: 0.0,
    EngagementType.managed_service: 0.02,
    EngagementType.support_retainer: 0.02,
}
CONTRACT_BIAS = {
    ContractType.fixed_fee: 0.09,
    ContractType.time_and_materials: 0.02,
    ContractType.retainer: 0.0,
}


def planned_hours(plan: ProjectPlan, stints: list[Stint]) -> np.ndarray:
    planned = np.zeros(plan.weeks)
    for s in stints:
        planned[s.start_week - plan.start_week : s.end_week - plan.start_week + 1] += s.hours
    return planned


def holiday_factor(timeline: Timeline, week: int) -> float:
    monday = timeline.monday(week)
    days = {date.fromordinal(monday.toordinal() + i) for i in range(5)}
    if any((d.month, d.day) in ((12, 25), (1, 1)) for d in days):
        return 0.35
    return 1.0


def simulate_effort(
    plan: ProjectPlan,
    stints: list[Stint],
    calendar: Calendar,
    timeline: Timeline,
    rng: np.random.Generator,
) -> np.ndarray:
    """Hours the whole team books in each week of the project (index 0 = its first week).

    May add stints to ``stints``: people to deliver approved new scope, and people to recover
    the plan when the team falls visibly behind.
    """
    weeks, start, d = plan.weeks, plan.start_week, plan.drivers
    planned = planned_hours(plan, stints)
    run = plan.engagement in (EngagementType.managed_service, EngagementType.support_retainer)
    # Run contracts repeat known work month after month, so they are far easier to estimate.
    spread = 0.45 if run else 1.0
    bias = (
        ENGAGEMENT_BIAS[plan.engagement]
        + CONTRACT_BIAS[plan.contract]
        # Volatile scope creeps in below the change-request radar too.
        + spread * (0.11 * d.estimate + 0.05 * d.discipline + 0.06 * d.volatility)
        + (0.05 if d.new_client else 0.0)
        + 0.03 * math.log(max(plan.budget_hours, 200.0) / 3000.0)
        + rng.normal(0.0, 0.07)
    )
    progress = (np.arange(weeks) + 0.5) / weeks
    shape = np.ones(weeks) if run else 0.55 + 0.9 * progress
    effort = planned * np.exp(bias * shape)

    for cr in plan.change_requests:
        begin = (cr.decided_week if cr.status == "approved" else cr.raised_week) - start + 1
        span = min(10, max(3, round(cr.hours / 32)))
        staffed = (
            cr.status == "approved"
            and cr.hours >= 80
            and cr.decided_week < timeline.as_of_week
            and start + begin + span - 1 <= plan.last_planned_week()
        )
        if staffed:
            # Approved scope of any size comes with people to deliver it.
            hours = float(min(40, max(8, 8 * round(cr.hours / span / 8))))
            window = (start + begin, start + begin + span - 1)
            if augment(plan, stints, calendar, window, hours, "change") is not None:
                effort[begin : begin + span] += cr.real_work / span
                continue
        # Late changes still need a few weeks of the delivery team, not the last week alone.
        begin = min(max(begin, 0), max(0, weeks - 6))
        stop = min(weeks, begin + max(4, round((weeks - begin) * 0.6)))
        weights = planned[begin:stop] + 1e-6
        effort[begin:stop] += cr.real_work * weights / weights.sum()
    for churn in plan.churns:
        w = churn.week - start
        handover = plan.slots[churn.slot_index].hours * rng.uniform(0.8, 2.0)
        effort[w : w + 2] += handover / len(effort[w : w + 2])

    effort *= rng.lognormal(0.0, 0.07, size=weeks)
    effort *= np.array([holiday_factor(timeline, start + w) for w in range(weeks)])
    planned = planned_hours(plan, stints)  # now with the people added for new scope
    if plan.hold_week is not None:
        effort[plan.hold_week - start + 1 :] = 0.0
        planned[plan.hold_week - start + 1 :] = 0.0
    _level(effort, planned)
    _maybe_augment(plan, stints, calendar, timeline, planned, effort)
    return effort


def _level(effort: np.ndarray, planned: np.ndarray, ceiling: float = 1.35) -> None:
    """Spread weeks far above plan over the rest: people cannot book 80 hours, work slides."""
    cap = planned * ceiling + 4.0
    excess = float(np.maximum(effort - cap, 0.0).sum())
    if excess > 0:
        np.minimum(effort, cap, out=effort)
        effort += excess * planned / max(float(planned.sum()), 1e-6)


def _maybe_augment(
    plan: ProjectPlan,
    stints: list[Stint],
    calendar: Calendar,
    timeline: Timeline,
    planned: np.ndarray,
    effort: np.ndarray,
) -> None:
    weeks, start = plan.weeks, plan.start_week
    cum_effort, cum_plan = np.cumsum(effort), np.cumsum(planned) + 1e-6
    last_decision = min(timeline.as_of_week, plan.last_planned_week() - 4) - start
    for w in range(4, max(4, last_decision - 1)):
        if cum_effort[w] > 1.12 * cum_plan[w]:
            decide = w + 2  # a fortnight to notice, agree and find someone
            extra = (effort[decide:].sum() - planned[decide:].sum()) / (weeks - decide)
            while extra >= 12:
                hours = float(min(40, max(16, 8 * round(extra / 8))))
                added = augment(
                    plan, stints, calendar, (start + decide, plan.last_planned_week()), hours
                )
                if added is None:
                    break
                effort[decide] += 0.5 * added.hours  # onboarding the newcomer costs the team too
                extra -= added.hours
            return
