"""Filling team plans with people, the way a resource manager would.

Projects are staffed in the order they start, against a calendar of hours already booked per
person and week. A candidate is scored on their specialist track, region, and how loaded they
would be; a little noise stands in for everything else (the client liked them last time, they
asked for this work). When the firm is short, someone gets overbooked, as happens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.demo.people import Person
from app.demo.projects import ProjectPlan
from app.demo.teams import Slot
from app.demo.vocabulary import PRACTICES, TRACKS

PRACTICE_INDEX = {p: i for i, p in enumerate(PRACTICES)}
TRACK_INDEX = {t.key: i for i, t in enumerate(TRACKS)}
REGION_INDEX = {r: i for i, r in enumerate(("North America", "EMEA", "APAC", "LATAM"))}
OFFSHORE = (REGION_INDEX["APAC"], REGION_INDEX["LATAM"])


@dataclass
class Stint:
    """One person in one slot for a stretch of weeks: an assignment row."""

    slot: Slot
    person: int
    start_week: int
    end_week: int
    hours: float
    decided_week: int
    kind: str = "plan"  # plan | replacement (churn) | augmentation (recovery) | change (new scope)

    def active(self, week: int) -> bool:
        return self.start_week <= week <= self.end_week


class Calendar:
    """Hours booked per person and week, and the choice of who fills a slot next."""

    def __init__(
        self, people: list[Person], first_week: int, horizon: int, rng: np.random.Generator
    ) -> None:
        self.rng = rng
        self.first_week = first_week
        self.weeks = horizon - first_week
        self.booked = np.zeros((len(people), self.weeks), dtype=np.float32)
        self.capacity = np.array([p.capacity for p in people], dtype=np.float32)
        self.target = np.array([p.utilization_target for p in people], dtype=np.float32)
        self.level = np.array([p.level_index for p in people])
        self.practice = np.array([PRACTICE_INDEX[p.practice] for p in people])
        self.track = np.array([TRACK_INDEX[p.track.key] for p in people])
        self.region = np.array([REGION_INDEX[p.region] for p in people])
        self.leaves = np.array([horizon if p.leave_week is None else p.leave_week for p in people])

    def _span(self, start: int, end: int) -> slice:
        return slice(max(0, start - self.first_week), min(self.weeks, end + 1 - self.first_week))

    def best(
        self,
        slot: Slot,
        start: int,
        end: int,
        region: str,
        exclude: set[int],
        hours: float | None = None,
    ) -> tuple[int, float]:
        """The best candidate for ``hours`` a week of ``slot`` and how loaded they would be (1.0 = full)."""
        hours = slot.hours if hours is None else hours
        window = self.booked[:, self._span(start, end)]
        # Resource managers look at the busiest stretch and at the average over the window.
        load = 0.7 * window.max(axis=1) + 0.3 * window.mean(axis=1)
        # Part-timers take a slot at their own capacity.
        after = (load + np.minimum(hours, self.capacity)) / self.capacity
        own = self.practice == PRACTICE_INDEX[slot.practice]
        in_range = (self.level >= slot.levels[0]) & (self.level <= slot.levels[1])
        eligible = own & in_range & (self.leaves > end)
        if exclude:
            eligible[list(exclude)] = False
        if not eligible.any() or after[eligible].min() > 1.05:
            # Everyone suitable is full: stretch a level either way, and let generalist roles
            # (managers, analysts) come from another practice, as resource managers do.
            near = (self.level >= slot.levels[0] - 1) & (self.level <= slot.levels[1] + 1)
            pool = own | (not slot.tracks) | (slot.practice == "Strategy & Transformation")
            eligible = pool & near & (self.leaves > end)
            if exclude:
                eligible[list(exclude)] = False
        track_fit = (
            np.isin(self.track, [TRACK_INDEX[t] for t in slot.tracks]) if slot.tracks else own * 1.0
        )
        region_fit = self.region == REGION_INDEX[region]
        offshore_ok = np.isin(self.region, OFFSHORE) & (slot.levels[1] <= 2)
        # Resource managers push people on the bench first: they cost money doing nothing.
        idle = self.booked[:, self._span(start, start)].sum(axis=1) == 0
        score = (
            1.4 * track_fit
            + 0.8 * idle
            + 0.8 * region_fit
            + 0.35 * offshore_ok
            + 0.6 * in_range
            - 10.0 * np.maximum(0.0, after - 1.05)
            - 2.5 * np.maximum(0.0, after - self.target)
            + self.rng.gumbel(0.0, 0.45, size=len(after))
        )
        score = np.where(eligible, score, -np.inf)
        person = int(np.argmax(score))
        return person, float(after[person])

    def free_hours(self, person: int, start: int, end: int) -> float:
        """Hours a week ``person`` has free throughout ``start``..``end``, in whole days."""
        peak = float(self.booked[person, self._span(start, end)].max(initial=0.0))
        return 8.0 * max(0, int((float(self.capacity[person]) - peak) // 8))

    def book(self, person: int, start: int, end: int, hours: float) -> None:
        self.booked[person, self._span(start, end)] += hours


def staff(plan: ProjectPlan, calendar: Calendar) -> list[Stint]:
    """Fill every slot, then play out churn: someone leaves and a replacement takes over."""
    stints: list[Stint] = []
    on_team: set[int] = set()
    for slot in plan.slots:
        stints += _fill(
            calendar,
            plan,
            slot,
            (slot.start_week, slot.end_week),
            slot.hours,
            on_team,
            plan.start_week - 2,
            "plan",
        )
    for churn in plan.churns:
        slot = plan.slots[churn.slot_index]
        leaving = next(s for s in stints if s.slot is slot and s.active(churn.week))
        calendar.book(leaving.person, churn.week, leaving.end_week, -leaving.hours)
        window = (churn.week, leaving.end_week)
        leaving.end_week = churn.week - 1
        stints += _fill(
            calendar, plan, slot, window, leaving.hours, on_team, churn.week - 1, "replacement"
        )
    return stints


def _fill(
    calendar: Calendar,
    plan: ProjectPlan,
    slot: Slot,
    weeks: tuple[int, int],
    hours: float,
    on_team: set[int],
    decided: int,
    kind: str,
) -> list[Stint]:
    """One person for ``hours`` a week of ``slot``, or two when the best one is only partly free."""
    start, end = weeks
    stints: list[Stint] = []
    remaining = hours
    # Managers and leads are one person; so is anything smaller than three days a week.
    splittable = not (slot.lead or slot.manager) and hours >= 32
    while remaining > 0:
        person, _ = calendar.best(slot, start, end, plan.client.region, on_team, remaining)
        free = calendar.free_hours(person, start, end)
        last_try = not splittable or len(stints) == 1 or free < 16 or remaining - free < 16
        share = remaining if last_try or free >= remaining else free
        calendar.book(person, start, end, share)
        on_team.add(person)
        stints.append(Stint(slot, person, start, end, share, decided, kind))
        remaining -= share
    return stints


def augment(
    plan: ProjectPlan,
    stints: list[Stint],
    calendar: Calendar,
    weeks: tuple[int, int],
    hours: float,
    kind: str = "augmentation",
) -> Stint | None:
    """Add a delivery person for ``weeks``: to recover a plan, or to deliver approved new scope.

    Nobody is added when everyone suitable is already full; the team works longer hours instead.
    """
    template = next(
        (
            s.slot
            for s in stints
            if not s.slot.lead and not s.slot.manager and s.slot.levels[1] <= 2
        ),
        stints[-1].slot,
    )
    start, end = weeks
    slot = Slot(template.role, template.practice, template.tracks, (0, 2), hours, start, end)
    person, load = calendar.best(slot, start, end, plan.client.region, {s.person for s in stints})
    if load > 1.0:
        return None
    hours = float(min(hours, calendar.capacity[person]))
    calendar.book(person, start, end, hours)
    stint = Stint(slot, person, start, end, hours, start - 1, kind)
    stints.append(stint)
    return stint
