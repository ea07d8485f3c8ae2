"""What happens to a project along the way: change requests and people leaving the team.

Both are driven by the project's latent drivers, so they are the visible traces of the same
causes that drive overruns, not causes added on the side.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.types import ContractType, EngagementType

if TYPE_CHECKING:
    from app.demo.projects import ProjectPlan

CHANGE_RATE = {  # change requests per 12 weeks, for average scope volatility
    EngagementType.implementation: 0.75,
    EngagementType.advisory: 0.35,
    EngagementType.managed_service: 0.22,
    EngagementType.support_retainer: 0.15,
}
APPROVAL_RATE = {  # fixed-fee clients push back on paying for change
    ContractType.time_and_materials: 0.85,
    ContractType.retainer: 0.8,
    ContractType.fixed_fee: 0.6,
}
CHURN_REASONS = (
    "has rolled off to another engagement",
    "has left the firm",
    "has moved to a pre-sales pursuit",
    "has gone on parental leave",
    "was replaced at the client's request",
    "has moved to an internal role",
)


@dataclass
class ChangeRequestPlan:
    number: int
    raised_week: int
    decided_week: int
    hours: float  # as estimated in the change request
    status: str  # approved | rejected
    real_work: float  # the effort it actually causes, approved or not
    wording: int  # which change-request wording to use


@dataclass
class Churn:
    week: int  # first week of the replacement
    slot_index: int
    reason: str


def poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: the means here are small.
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def plan_events(rng: random.Random, plan: ProjectPlan) -> None:
    """Change requests follow scope volatility; churn follows loose delivery discipline."""
    d, weeks, budget = plan.drivers, plan.weeks, plan.budget_hours
    rate = CHANGE_RATE[plan.engagement] * weeks / 12 * math.exp(0.55 * d.volatility)
    raised = sorted(
        plan.start_week + round(weeks * rng.uniform(0.15, 0.85)) for _ in range(poisson(rng, rate))
    )
    for number, week in enumerate(raised, start=1):
        size = budget * rng.uniform(0.025, 0.11) * (1 + 0.25 * max(0.0, d.volatility))
        hours = 8.0 * max(2, round(size / 8))
        approved = rng.random() < APPROVAL_RATE[plan.contract]
        if approved:
            # Change requests are estimated as hastily as the original scope.
            real = hours * rng.lognormvariate(0.18 + 0.08 * d.estimate, 0.25)
        else:
            # Rejected scope still leaks into the work, most of all on a fixed fee.
            leak = (0.2, 0.65) if plan.contract is ContractType.fixed_fee else (0.05, 0.25)
            real = hours * rng.uniform(*leak)
        decided = min(plan.end_week, week + rng.randint(1, 4))
        status = "approved" if approved else "rejected"
        plan.change_requests.append(
            ChangeRequestPlan(number, week, decided, hours, status, real, rng.randrange(1000))
        )
    for _ in range(poisson(rng, weeks / 45 * math.exp(0.45 * d.discipline))):
        week = plan.start_week + round(weeks * rng.uniform(0.2, 0.8))
        taken = {c.slot_index for c in plan.churns}
        candidates = [
            i
            for i, s in enumerate(plan.slots)
            if not s.lead and i not in taken and s.start_week + 2 <= week <= s.end_week - 3
        ]
        if candidates:
            plan.churns.append(Churn(week, rng.choice(candidates), rng.choice(CHURN_REASONS)))
    plan.churns.sort(key=lambda c: c.week)


def stage_trouble(plan: ProjectPlan, as_of_week: int) -> None:
    """The troubled showcase: its architect left, scope keeps moving, a change is pending."""
    design = next(
        i for i, s in enumerate(plan.slots) if s.role in ("Solution Architect", "Workstream Lead")
    )
    plan.churns = [Churn(plan.start_week + 8, design, "has left the firm")]
    b, start = plan.budget_hours, plan.start_week

    def hours(share: float) -> float:
        return 8.0 * round(b * share / 8)

    plan.change_requests = [
        ChangeRequestPlan(1, start + 6, start + 9, hours(0.06), "approved", b * 0.06 * 1.5, 2),
        ChangeRequestPlan(2, start + 12, start + 14, hours(0.08), "rejected", b * 0.08 * 0.6, 5),
        ChangeRequestPlan(
            3, as_of_week - 1, as_of_week + 3, hours(0.1), "approved", b * 0.1 * 1.3, 7
        ),
    ]
    plan.late_rate = 0.32
    plan.optimism = 0.08  # a candid manager: the trouble shows in the notes
