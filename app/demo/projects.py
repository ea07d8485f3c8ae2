"""The portfolio: which engagements were sold, when, to whom, with what team plan and what
hidden circumstances.

Deals arrive at a steady rate over the history window, so the ones that end before ``as_of``
are the closed history and the ones still running are the live portfolio; one process makes
both, which is what lets a model trained on the first apply to the second.

Each project carries latent drivers that nobody stores: how wrong the estimate was, how loose
the delivery discipline is, how volatile the scope is. They shape what happens (change
requests, churn, late timesheets, effort) and only those consequences reach the database.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace

import numpy as np

from app.demo.catalog import (
    CLIENTS,
    CONTRACT_MIX,
    DURATION_WEEKS,
    ENGAGEMENT_MIX,
    THEMES,
    ClientDef,
    Theme,
)
from app.demo.events import ChangeRequestPlan, Churn, plan_events, stage_trouble
from app.demo.people import quota
from app.demo.teams import Slot, team_plan
from app.demo.timeline import Timeline, stream
from app.demo.vocabulary import PRACTICES
from domain.types import ContractType, EngagementType, ProjectStatus

E = EngagementType
# Deals per week at full scale before the pipeline adjusts to capacity.
ARRIVALS_PER_WEEK = 1.6
DELIVERY_MANAGERS: dict[str, str] = {
    "Data & AI": "dana.dm@opscopilot-demo.com",
    "Cloud & Infrastructure": "ravi.dm@opscopilot-demo.com",
    "Enterprise Applications": "ravi.dm@opscopilot-demo.com",
    "Digital Experience": "helen.dm@opscopilot-demo.com",
    "Strategy & Transformation": "helen.dm@opscopilot-demo.com",
}


@dataclass(frozen=True)
class Drivers:
    """Latent circumstances, each a standard-normal score; higher is worse."""

    estimate: float  # how optimistic the sold estimate was
    discipline: float  # how loose delivery governance is (timesheets, reporting, retention)
    volatility: float  # how much the scope moves
    new_client: bool = False  # first engagement with this client: more unknowns


@dataclass
class ProjectPlan:
    index: int
    external_id: str
    name: str
    client_index: int
    theme: Theme
    contract: ContractType
    start_week: int
    end_week: int  # inclusive
    drivers: Drivers
    delivery_manager: str
    late_rate: float  # share of timesheets submitted late
    optimism: float  # how far ahead of reality the manager reports progress
    cadence: int  # weeks between status notes
    budget_hours: float = 0.0  # as sold: the team plan's hours, before any hold or change
    status: ProjectStatus = ProjectStatus.active
    hold_week: int | None = None  # last worked week of a project put on hold
    slots: list[Slot] = field(default_factory=list)
    change_requests: list[ChangeRequestPlan] = field(default_factory=list)
    churns: list[Churn] = field(default_factory=list)
    featured: Featured | None = None

    @property
    def client(self) -> ClientDef:
        return CLIENTS[self.client_index]

    @property
    def practice(self) -> str:
        return self.theme.practice

    @property
    def engagement(self) -> EngagementType:
        return self.theme.engagement

    @property
    def weeks(self) -> int:
        return self.end_week - self.start_week + 1

    def last_planned_week(self) -> int:
        return self.end_week if self.hold_week is None else self.hold_week


@dataclass(frozen=True)
class Featured:
    """A project the demo story relies on, pinned rather than left to chance."""

    client: str
    theme: str
    contract: ContractType
    weeks_in: int  # how long it has been running at ``as_of``
    weeks: int
    drivers: Drivers
    troubled: bool = False
    # The demo's delivery manager owns all three, so one sign-in shows the whole story.
    delivery_manager: str = "dana.dm@opscopilot-demo.com"


FEATURED: tuple[Featured, ...] = (
    Featured("Fabrikam", "Cloud Migration", ContractType.fixed_fee, 20, 34, Drivers(1.8, 1.7, 1.5), troubled=True),
    Featured("Northwind Traders", "Data Platform", ContractType.time_and_materials, 24, 40, Drivers(-0.5, -0.9, 0.2)),
    Featured("Contoso", "Analytics Modernisation", ContractType.fixed_fee, 11, 28, Drivers(0.4, -0.2, 0.5)),
)  # fmt: skip


class Pipeline:
    """Sales sells what delivery can staff.

    Practices are picked for each new deal in proportion to their size, tilted towards those
    with spare capacity; without it, a practice that happens to win five large deals in a
    month is overbooked while another sits on the bench.
    """

    def __init__(self, capacity: dict[str, float], timeline: Timeline) -> None:
        self.capacity = capacity
        self.first = timeline.first_week
        self.demand = {p: np.zeros(timeline.horizon - self.first) for p in capacity}

    def add(self, plan: ProjectPlan) -> None:
        for s in plan.slots:
            if not s.lead:  # partners' oversight hours do not limit what can be sold
                self.demand[s.practice][
                    s.start_week - self.first : s.end_week + 1 - self.first
                ] += s.hours

    def load(self, week: int) -> float:
        """Booked share of the firm's sellable hours in ``week``."""
        booked = sum(float(d[week - self.first]) for d in self.demand.values())
        return booked / sum(self.capacity.values())

    def pick(self, rng: random.Random, start: int) -> str:
        window = slice(max(0, start - self.first), start - self.first + 12)
        load = {p: float(self.demand[p][window].mean()) / self.capacity[p] for p in self.capacity}
        mean = sum(load.values()) / len(load)
        return _choice(
            rng, {p: PRACTICES[p] * math.exp(-6.0 * (load[p] - mean)) for p in self.capacity}
        )


def generate_portfolio(
    seed: int, timeline: Timeline, scale: float, capacity: dict[str, float]
) -> list[ProjectPlan]:
    """Every engagement sold from the start of the history to just after ``as_of``.

    ``capacity`` is each practice's sellable weekly hours (capacity times utilization target
    of everyone below director), which steers what gets sold.
    """
    rng = stream(seed, "portfolio")
    pipeline = Pipeline(capacity, timeline)
    first, last = timeline.first_week, timeline.as_of_week + 2
    count = max(12, round(ARRIVALS_PER_WEEK * (last - first) * scale))
    # Evenly spread arrivals with jitter keep the firm's load steady over the years.
    spacing = (last - first) / count
    starts = [first + int((k + rng.random()) * spacing) for k in range(count)]

    plans = [_featured(rng, f, timeline) for f in FEATURED]
    for plan in plans:
        pipeline.add(plan)
    engagements = _blocks(rng, count, {e.value: w for e, w in ENGAGEMENT_MIX.items()})
    for start, engagement in zip(starts, engagements, strict=True):
        # Deals are lost when the firm is full and chased harder when people sit idle.
        load = pipeline.load(start)
        if load > 0.93 and rng.random() < 0.7:
            continue
        for _ in range(2 if load < 0.8 and start > first + 8 else 1):
            plan = _sell(rng, start, E(engagement), pipeline.pick(rng, start))
            pipeline.add(plan)
            plans.append(plan)

    plans.sort(key=lambda p: (p.start_week, p.client_index, p.theme.name))
    seen_clients: set[int] = set()
    names: dict[str, int] = {}
    for i, plan in enumerate(plans):
        plan.index, plan.external_id = i, f"P{1001 + i}"
        if plan.client_index not in seen_clients:
            seen_clients.add(plan.client_index)
            plan.drivers = replace(plan.drivers, new_client=True)
        plan.name = _unique_name(plan, timeline, names)
        _classify(rng, plan, timeline)
        plan_events(rng, plan)
        if plan.featured is not None and plan.featured.troubled:
            stage_trouble(plan, timeline.as_of_week)
        _forget_the_future(plan, timeline)
    return plans


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _choice(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _blocks(rng: random.Random, count: int, shares: dict[str, float], size: int = 24) -> list[str]:
    """Labels in shuffled blocks that each hold the whole mix, so the mix holds in every season."""
    labels: list[str] = []
    while len(labels) < count:
        block = quota(size, shares)
        rng.shuffle(block)
        labels += block
    return labels[:count]


def _featured(rng: random.Random, f: Featured, timeline: Timeline) -> ProjectPlan:
    theme = next(t for t in THEMES if t.name == f.theme)
    client = next(i for i, c in enumerate(CLIENTS) if c.name == f.client)
    start = timeline.as_of_week - f.weeks_in
    plan = _make_plan(rng, theme, client, f.contract, start, f.weeks, f.drivers, f.delivery_manager)
    plan.featured = f
    return plan


def _sell(rng: random.Random, start: int, engagement: EngagementType, practice: str) -> ProjectPlan:
    theme = rng.choice([t for t in THEMES if t.practice == practice and t.engagement is engagement])
    weeks = rng.randint(*DURATION_WEEKS[engagement])
    # The featured projects' names stay unique: nobody else sells that theme to that client.
    reserved = {(f.client, f.theme) for f in FEATURED}
    weights = [0.0 if (c.name, theme.name) in reserved else c.weight for c in CLIENTS]
    client = rng.choices(range(len(CLIENTS)), weights)[0]
    contract = ContractType(_choice(rng, {c.value: w for c, w in CONTRACT_MIX[engagement].items()}))
    drivers = Drivers(rng.gauss(0, 1), rng.gauss(0, 1), rng.gauss(0, 1))
    return _make_plan(
        rng, theme, client, contract, start, weeks, drivers, DELIVERY_MANAGERS[practice]
    )


def _make_plan(
    rng: random.Random,
    theme: Theme,
    client_index: int,
    contract: ContractType,
    start: int,
    weeks: int,
    drivers: Drivers,
    manager: str,
) -> ProjectPlan:
    plan = ProjectPlan(
        index=0,
        external_id="",
        name="",
        client_index=client_index,
        theme=theme,
        contract=contract,
        start_week=start,
        end_week=start + weeks - 1,
        drivers=drivers,
        delivery_manager=manager,
        late_rate=_sigmoid(-2.5 + 1.0 * drivers.discipline + rng.gauss(0, 0.35)),
        optimism=0.05 + 0.3 * _sigmoid(0.8 * drivers.discipline + rng.gauss(0, 0.6)),
        cadence=1 if theme.engagement is E.implementation or rng.random() < 0.3 else 2,
    )
    plan.slots = team_plan(rng, theme, weeks)
    for slot in plan.slots:
        slot.start_week += start
        slot.end_week += start
    raw = sum(s.hours * (s.end_week - s.start_week + 1) for s in plan.slots)
    plan.budget_hours = float(round(raw / 10) * 10)
    return plan


def _unique_name(plan: ProjectPlan, timeline: Timeline, names: dict[str, int]) -> str:
    base = f"{plan.client.name} {plan.theme.name}"
    seen = names.get(base, 0)
    names[base] = seen + 1
    if seen == 0:
        return base
    if plan.engagement in (E.managed_service, E.support_retainer):
        # Run contracts are renewed, not phased: name them by the year they started.
        year = timeline.monday(plan.start_week).year
        taken = f"{base} {year}" in names
        names[f"{base} {year}"] = 1
        return f"{base} {year}" + (f" ({seen + 1})" if taken else "")
    return f"{base} Phase {seen + 1}"


def _classify(rng: random.Random, plan: ProjectPlan, timeline: Timeline) -> None:
    as_of_week = timeline.as_of_week
    if plan.start_week > as_of_week:
        plan.status = ProjectStatus.planned
    elif plan.end_week < as_of_week - 1:
        plan.status = ProjectStatus.closed  # provisional: the history decides when it closed
    else:
        plan.status = ProjectStatus.active
        if plan.featured is None and plan.start_week < as_of_week - 6 and rng.random() < 0.06:
            plan.status = ProjectStatus.on_hold
            plan.hold_week = hold = as_of_week - rng.randint(2, 5)
            for slot in plan.slots:
                slot.end_week = min(slot.end_week, hold)
            plan.slots = [s for s in plan.slots if s.start_week <= hold]


def _forget_the_future(plan: ProjectPlan, timeline: Timeline) -> None:
    """Drop churn that has not happened yet and everything after a hold.

    Future change requests stay: they are part of the work the manager cannot yet see, and the
    history hides them (and decisions not yet taken) from the database.
    """
    last = min(timeline.as_of_week, plan.last_planned_week())
    plan.churns = [c for c in plan.churns if c.week <= last]
    if plan.hold_week is not None:
        plan.change_requests = [c for c in plan.change_requests if c.raised_week <= plan.hold_week]
