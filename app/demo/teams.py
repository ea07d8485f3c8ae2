"""The team plan a project is sold with: which roles, at what level, for how many hours."""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.demo.catalog import Theme
from app.demo.vocabulary import TRACKS_BY_KEY
from domain.types import EngagementType

E = EngagementType
STRATEGY = "Strategy & Transformation"
# Level index ranges (see vocabulary.LEVELS): analyst 0 .. partner 6.
DELIVERY, MANAGERS, LEADERS = (0, 2), (3, 4), (5, 6)


@dataclass
class Slot:
    """A place in the team plan, filled by one person at a time (or two sharing it)."""

    role: str
    practice: str
    tracks: tuple[str, ...]  # preferred specialist tracks; empty means any in the practice
    levels: tuple[int, int]  # inclusive range of level indexes
    hours: float  # per week
    start_week: int
    end_week: int
    billable: bool = True
    lead: bool = False  # engagement lead: oversight, not delivery
    manager: bool = False  # runs the project and writes its status notes


def team_plan(rng: random.Random, theme: Theme, weeks: int) -> list[Slot]:
    """The slots of a new project, with weeks counted from its start."""
    last = weeks - 1
    plans = {
        E.implementation: _implementation,
        E.advisory: _advisory,
        E.managed_service: _managed_service,
        E.support_retainer: _retainer,
    }
    return plans[theme.engagement](rng, theme, last)


def _delivery(
    rng: random.Random, theme: Theme, n: int, hours: tuple[float, ...], last: int
) -> list[Slot]:
    # The theme's tracks first, one each, then more of any of them.
    tracks = [
        theme.tracks[i] if i < len(theme.tracks) else rng.choice(theme.tracks) for i in range(n)
    ]
    return [
        Slot(TRACKS_BY_KEY[t].role, theme.practice, (t,), DELIVERY, rng.choice(hours), 0, last)
        for t in tracks
    ]


def _implementation(rng: random.Random, theme: Theme, last: int) -> list[Slot]:
    p = theme.practice
    n = 2 + sum(rng.random() < 0.33 for _ in range(8))
    pm_hours = 20.0 if n <= 3 else 32.0 if n <= 6 else 40.0
    # Strategy work has a workstream lead where technology work has an architect.
    design_role = "Workstream Lead" if p == STRATEGY else "Solution Architect"
    design_end = round(last * rng.uniform(0.75, 0.95))
    slots = [
        Slot("Engagement Lead", p, (), LEADERS, rng.choice((8.0, 12.0, 16.0)), 0, last,
             billable=rng.random() < 0.6, lead=True),
        _project_manager(rng, p, pm_hours, last),
        Slot(design_role, p, theme.tracks[:1], (2, 4), rng.choice((24.0, 32.0, 40.0)), 0, design_end),
    ]  # fmt: skip
    for k, s in enumerate(_delivery(rng, theme, n, (40.0, 40.0, 40.0, 32.0), last)):
        # Builders join once the design settles and roll off before hypercare ends.
        s.start_week = round(last * rng.uniform(0.05, 0.25))
        s.end_week = last - round(last * rng.uniform(0.0, 0.12))
        if k == 0 and n >= 4:  # bigger teams get a hands-on lead
            s.role, s.levels, s.start_week = f"Lead {s.role}", (2, 3), round(last * 0.05)
        slots.append(s)
    if rng.random() < 0.5:
        own = rng.random() < 0.5
        slots.append(Slot("Business Analyst", p if own else STRATEGY, () if own else ("business_analysis",),
                          (1, 3), rng.choice((24.0, 32.0, 40.0)), 0, round(last * rng.uniform(0.55, 0.8))))  # fmt: skip
    if p in ("Enterprise Applications", STRATEGY) and rng.random() < 0.45:
        slots.append(Slot("Change Manager", STRATEGY, ("change",), (1, 3), rng.choice((16.0, 24.0)),
                          round(last * 0.4), last))  # fmt: skip
    return slots


def _advisory(rng: random.Random, theme: Theme, last: int) -> list[Slot]:
    p = theme.practice
    team = _delivery(rng, theme, rng.choice((1, 2, 2, 3)), (40.0, 40.0, 32.0), last)
    if rng.random() < 0.5:  # a short mobilisation before the analysts arrive
        for s in team:
            s.start_week = 1
    return [
        Slot("Engagement Partner", p, (), LEADERS, rng.choice((8.0, 12.0, 16.0, 20.0)), 0, last,
             billable=rng.random() < 0.8, lead=True),
        Slot("Engagement Manager", p, (), MANAGERS, rng.choice((32.0, 40.0)), 0, last, manager=True),
        *team,
    ]  # fmt: skip


def _managed_service(rng: random.Random, theme: Theme, last: int) -> list[Slot]:
    p = theme.practice
    slots = [
        Slot("Service Delivery Manager", p, (), MANAGERS, rng.choice((8.0, 12.0, 16.0)), 0, last,
             manager=True),
        *_delivery(rng, theme, rng.randint(2, 5), (16.0, 20.0, 24.0, 32.0, 40.0), last),
    ]  # fmt: skip
    if rng.random() < 0.7:
        slots.append(Slot("Account Director", p, (), LEADERS, rng.choice((4.0, 6.0, 8.0)), 0, last,
                          billable=False, lead=True))  # fmt: skip
    return slots


def _retainer(rng: random.Random, theme: Theme, last: int) -> list[Slot]:
    return [
        Slot("Retainer Lead", theme.practice, (), (3, 5), 4.0, 0, last, manager=True),
        *_delivery(rng, theme, rng.choice((1, 1, 2, 3)), (8.0, 12.0, 16.0, 24.0), last),
    ]


def _project_manager(rng: random.Random, practice: str, hours: float, last: int) -> Slot:
    # A quarter of projects borrow a delivery specialist from the PMO track.
    if rng.random() < 0.25 and practice != STRATEGY:
        return Slot(
            "Project Manager", STRATEGY, ("delivery_pmo",), MANAGERS, hours, 0, last, manager=True
        )
    return Slot("Project Manager", practice, (), MANAGERS, hours, 0, last, manager=True)
