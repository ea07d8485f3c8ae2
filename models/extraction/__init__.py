"""What a request refers to, matched against the firm's data.

``extract(text, index, today)`` is pure: everything it matches against was precomputed in a
``FirmIndex`` (built once from the database, see ``FirmIndexCache``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from models.extraction.dates import DateMention, find_dates, find_duration_weeks
from models.extraction.entities import EntityMatch, match_entities
from models.extraction.index import ClientRef, FirmIndex, FirmIndexCache, ProjectRef
from models.extraction.people import PersonMatch, PersonRef
from models.extraction.quantities import Money, estimated_hours, hours_per_week, money
from models.extraction.vocab import RoleMention

__all__ = [
    "ClientRef",
    "Extraction",
    "FirmIndex",
    "FirmIndexCache",
    "PersonMatch",
    "PersonRef",
    "ProjectRef",
    "extract",
]


@dataclass(frozen=True)
class Extraction:
    entities: EntityMatch
    roles: list[RoleMention] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    hours_per_week: float | None = None
    estimated_hours: float | None = None
    dates: list[DateMention] = field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    duration_weeks: float | None = None
    money: list[Money] = field(default_factory=list)
    people: PersonMatch = field(default_factory=PersonMatch)

    @property
    def budget(self) -> Money | None:
        return next((m for m in self.money if m.kind == "amount"), None)

    @property
    def rate(self) -> Money | None:
        return next((m for m in self.money if m.kind == "rate"), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entities.to_dict(),
            "roles": [r.to_dict() for r in self.roles],
            "skills": self.skills,
            "hours_per_week": self.hours_per_week,
            "estimated_hours": self.estimated_hours,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "duration_weeks": self.duration_weeks,
            "dates": [d.to_dict() for d in self.dates],
            "budget": self.budget.to_dict() if self.budget else None,
            "rate": self.rate.to_dict() if self.rate else None,
            "money": [m.to_dict() for m in self.money],
            "people": [p.to_dict() for p in self.people.people],
            "people_candidates": [p.to_dict() for p in self.people.candidates],
        }


def extract(
    text: str, index: FirmIndex, today: date, *, full_time_hours: float = 40.0
) -> Extraction:
    """Project/client, people, roles, skills, hours, dates and money mentioned in ``text``.

    Dates without a year are resolved relative to ``today``; "half time" is half of
    ``full_time_hours``.
    """
    dates = find_dates(text, today)
    start = next((d.value for d in dates if d.role == "start"), None)
    end = next((d.value for d in dates if d.role == "end"), None)
    if start is None:
        start = next((d.value for d in dates if d.role == "date"), None)
    duration = find_duration_weeks(text)
    if end is None and start is not None and duration is not None:
        end = start + timedelta(weeks=duration) - timedelta(days=1)
    return Extraction(
        entities=match_entities(text, index),
        roles=index.role_matcher.find(text),
        skills=index.skill_matcher.find(text),
        hours_per_week=hours_per_week(text, full_time_hours),
        estimated_hours=estimated_hours(text),
        dates=dates,
        start_date=start,
        end_date=end,
        duration_weeks=duration,
        money=money(text),
        people=index.people_index.find(text),
    )
