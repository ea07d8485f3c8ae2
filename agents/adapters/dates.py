"""Read the dates a request names ("from March", "3 February until June", "for 6 weeks").

Relative to a given today, so tests and replays give the same answer: a month without a year
is its next occurrence, a month without a day is its first day (or today, for this month), and
an end month means that month's last day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?({_MONTH_NAMES})\.?"
    rf"(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(\d{{4}}))?\b",
    re.IGNORECASE,
)
_END_WORDS = re.compile(r"\b(?:until|till|to|through|thru|ending|end of|by)\s*$", re.IGNORECASE)
_DURATION = re.compile(r"\bfor\s+(\d+|a|one|two|three|six)\s+(weeks?|months?)\b", re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6}
_SOON = re.compile(r"\b(asap|immediately|right away)\b", re.IGNORECASE)
_NEXT_WEEK = re.compile(r"\bnext week\b", re.IGNORECASE)

Mention = tuple[int, date, bool]  # position in the text, the date, "a month without a day"


def date_range(text: str, today: date) -> tuple[date | None, date | None]:
    """The start and end the text names; either may be None."""
    start: date | None = None
    end: date | None = None
    for pos, d, month_only in sorted(_mentions(text, today)):
        if _END_WORDS.search(text[:pos]):
            end = _month_end(d) if month_only else d
        elif start is None:
            start = d
    if start is None and _NEXT_WEEK.search(text):
        start = today + timedelta(days=7 - today.weekday())
    if start is None and _SOON.search(text):
        start = today
    if start is not None and end is None and (dur := _DURATION.search(text)):
        n = int(dur[1]) if dur[1].isdigit() else _NUMBER_WORDS[dur[1].lower()]
        weeks = dur[2].lower().startswith("week")
        end = start + (timedelta(weeks=n) if weeks else timedelta(days=round(30.44 * n)))
    if start is not None and end is not None and end < start:
        start, end = end, start
    return start, end


def _mentions(text: str, today: date) -> list[Mention]:
    found: list[Mention] = []
    for m in _ISO_DATE.finditer(text):
        try:
            found.append((m.start(), date(int(m[1]), int(m[2]), int(m[3])), False))
        except ValueError:
            continue
    for m in _DAY_MONTH.finditer(text):
        day = m.group(1) or m.group(3)
        if day is None and m.group(2) == "may":
            continue  # the verb ("it may slip"), not the month
        year = int(m.group(4)) if m.group(4) else None
        month = MONTHS[m.group(2).lower()]
        found.append(
            (m.start(), _month_date(month, int(day) if day else None, year, today), day is None)
        )
    return found


def _month_date(month: int, day: int | None, year: int | None, today: date) -> date:
    if year is None:
        # "March" means the next March that has not passed; this month means today on.
        year = today.year if month >= today.month else today.year + 1
    if day is None:
        d = date(year, month, 1)
        return max(d, today) if (d.year, d.month) == (today.year, today.month) else d
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])
