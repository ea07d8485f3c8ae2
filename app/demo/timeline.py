"""Weeks, dates and random streams shared by the demo generators.

The simulation thinks in whole weeks: a project starts on a Monday, a time entry is dated the
Friday of its week, and week 0 is the first Monday of the history window.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

# How far back the history reaches: the oldest closures fall about two and a half years
# before ``as_of``. Projects already start during a lead-in before week 0, so that the firm is
# as busy at the start of the history as at its end.
HISTORY_WEEKS = 128
LEAD_IN_WEEKS = 26
# How far ahead the staffing calendar looks (long managed services run well past ``as_of``).
FUTURE_WEEKS = 110


@dataclass(frozen=True)
class Timeline:
    origin: date  # a Monday: week 0
    as_of: date

    @classmethod
    def ending(cls, as_of: date) -> Timeline:
        monday = as_of - timedelta(days=as_of.weekday())
        return cls(origin=monday - timedelta(weeks=HISTORY_WEEKS), as_of=as_of)

    @property
    def as_of_week(self) -> int:
        return self.week_of(self.as_of)

    @property
    def last_worked_week(self) -> int:
        """The latest week whose Friday is on or before ``as_of`` (its timesheets can exist)."""
        week = self.as_of_week
        return week if self.friday(week) <= self.as_of else week - 1

    @property
    def first_week(self) -> int:
        return -LEAD_IN_WEEKS

    @property
    def horizon(self) -> int:
        """Last week (exclusive) the staffing calendar covers."""
        return self.as_of_week + FUTURE_WEEKS

    def week_of(self, day: date) -> int:
        return (day - self.origin).days // 7

    def monday(self, week: int) -> date:
        return self.origin + timedelta(weeks=week)

    def friday(self, week: int) -> date:
        return self.origin + timedelta(weeks=week, days=4)


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream per generator stage.

    Stages draw from their own stream so that a change in one stage does not reshuffle every
    stage after it. String seeds are hashed with SHA-512 by ``random``, not with ``hash()``,
    so the result does not depend on PYTHONHASHSEED.
    """
    return random.Random(f"opscopilot-demo:{seed}:{name}")


def np_stream(seed: int, name: str) -> np.random.Generator:
    key = [seed, *(ord(ch) for ch in name)]
    return np.random.default_rng(key)
