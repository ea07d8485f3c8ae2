"""Dates in a request, resolved against a given ``today``.

A date without a year is its next occurrence ("30 Sept" in November is next September); a
month or quarter alone is its first day ("from March" -> the coming March 1st), or its last
day after "until", "by", "through". Inside the month or quarter being named, a start is
today. Each date is tagged ``start``, ``end`` or ``date`` from the word before it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

MONTHS = {
    name: i
    for i in range(1, 13)
    for name in {calendar.month_name[i].lower(), calendar.month_abbr[i].lower()}
} | {"sept": 9}
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

DateRole = Literal["start", "end", "date"]
START_CUES = frozenset(
    (
        "from", "starting", "start", "starts", "beginning", "begin", "commencing", "effective",
        "kickoff", "kick", "onboard", "since",
    )
)  # fmt: skip
END_CUES = frozenset(
    (
        "until", "till", "til", "through", "thru", "to", "by", "ending", "end", "ends",
        "deadline", "due", "before", "extend", "extended",
    )
)  # fmt: skip

_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_NUM = r"(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")"
_I = re.IGNORECASE
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    ("edge", re.compile(rf"\b(?P<edge>end|beginning|start|mid|middle|early|late)[- ](?:of\s+)?{_MON}{_YEAR}\b", _I)),
    ("day_mon", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}{_YEAR}\b", _I)),
    ("mon_day", re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:){_YEAR}", _I)),
    ("mon", re.compile(rf"\b{_MON}(?:\s+(?P<year>\d{{4}}))?\b", _I)),
    ("quarter", re.compile(r"\b(?:the\s+)?Q(?P<q>[1-4])(?:\s*(?:FY)?\s*'?(?P<year>\d{4}|\d{2}))?\b", _I)),
    ("weekday", re.compile(r"\b(?:(?P<rel>next|this|coming)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", _I)),
    ("relative", re.compile(r"\b(?P<rel>today|tomorrow|next week|next month|end of (?:the )?week|end of (?:the )?month|eow|eom|asap|as soon as possible|immediately|right away)\b", _I)),
    ("in_n", re.compile(rf"\bin\s+{_NUM}\s+(?P<unit>days?|weeks?|months?)\b", _I)),
]  # fmt: skip
# "a week" is left out: in "30h a week" it is a rate, not a length.
_DURATION = re.compile(
    r"(?<!\bin )\b(?P<n>\d+|" + "|".join(w for w in NUMBER_WORDS if w not in ("a", "an")) + r")"
    r"[\s-](?P<unit>weeks?|wks?|months?)\b(?!\s+(?:ago|notice|late|behind))",
    _I,
)


@dataclass(frozen=True)
class DateMention:
    text: str
    value: date
    role: DateRole

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "date": self.value.isoformat(), "role": self.role}


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, min(d.day, calendar.monthrange(d.year + y, m + 1)[1]))


def _role(text: str, start: int) -> DateRole:
    before = re.findall(r"[a-z]+", text[max(0, start - 30) : start].lower())[-3:]
    for word in reversed(before):
        if word in START_CUES:
            return "start"
        if word in END_CUES:
            return "end"
    return "date"


def _period(first: date, last: date, today: date, role: DateRole) -> date:
    """A month or quarter of this year (or next year, once it is over): its first day, its
    last day for an end, and today for a start that falls inside it."""
    if last < today:
        first, last = first.replace(year=first.year + 1), _month_end(last.year + 1, last.month)
    return last if role == "end" else max(first, today)


def _resolve(kind: str, m: re.Match[str], today: date, role: DateRole) -> date | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        return date(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind in ("day_mon", "mon_day") or (
        kind == "edge" and g["edge"].lower() in ("mid", "middle")
    ):
        month, day = MONTHS[g["mon"].lower()], int(g.get("d") or 15)
        if year:
            return date(year, month, day)
        d = date(today.year, month, day)
        return d if d >= today else date(today.year + 1, month, day)
    if kind in ("edge", "mon"):
        mon = g["mon"]
        # A bare month needs a cue ("from March") or a year; "may" also needs its capital.
        if kind == "mon" and (
            (year is None and role == "date") or (mon.lower() == "may" and not mon[0].isupper())
        ):
            return None
        month = MONTHS[mon.lower()]
        first, last = date(year or today.year, month, 1), _month_end(year or today.year, month)
        if kind == "edge" and g["edge"].lower() in ("end", "late"):
            role = "end"  # "from end of June" still means June 30th
        if year:
            return last if role == "end" else first
        return _period(first, last, today, role)
    if kind == "quarter":
        q = int(g["q"])
        first = date(today.year, 3 * q - 2, 1)
        last = _month_end(today.year, 3 * q)
        if year:
            y = year + (2000 if year < 100 else 0)
            return _month_end(y, 3 * q) if role == "end" else first.replace(year=y)
        return _period(first, last, today, role)
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        ahead = (wd - today.weekday()) % 7
        if ahead == 0 and (g.get("rel") or "").lower() != "this":
            ahead = 7
        return today + timedelta(days=ahead)
    if kind == "relative":
        rel = " ".join(g["rel"].lower().split()).replace("the ", "")
        return {
            "today": today,
            "asap": today,
            "as soon as possible": today,
            "immediately": today,
            "right away": today,
            "tomorrow": today + timedelta(days=1),
            "next week": today + timedelta(days=7 - today.weekday()),
            "next month": _add_months(today.replace(day=1), 1),
            "end of week": today + timedelta(days=(4 - today.weekday()) % 7),
            "eow": today + timedelta(days=(4 - today.weekday()) % 7),
            "end of month": _month_end(today.year, today.month),
            "eom": _month_end(today.year, today.month),
        }[rel]
    if kind == "in_n":
        n, unit = _number(g["n"]), g["unit"].lower()
        if unit.startswith("day"):
            return today + timedelta(days=n)
        if unit.startswith("week"):
            return today + timedelta(weeks=n)
        return _add_months(today, n)
    return None


def find_dates(text: str, today: date) -> list[DateMention]:
    """Every date in ``text``, in reading order; overlapping phrases count once."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, DateMention]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            role = _role(text, m.start())
            if kind == "edge" and role == "date" and m.group("edge").lower() in ("end", "late"):
                role = "end"
            try:
                value = _resolve(kind, m, today, role)
            except ValueError:  # "31 June", "2027-13-01": not a date, and not "June" either
                taken.append((m.start(), m.end()))
                continue
            if value is None and kind == "mon" and _IN_MONTH.search(text[: m.start()]):
                # "in March", "during June": the whole month, its first and its last day.
                for edge in _EDGES:
                    if (day := _resolve(kind, m, today, edge)) is not None:
                        found.append((m.start(), DateMention(m.group(0).strip(), day, edge)))
                taken.append((m.start(), m.end()))
                continue
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), DateMention(m.group(0).strip(), value, role)))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


_EDGES: tuple[DateRole, DateRole] = ("start", "end")
_IN_MONTH = re.compile(r"\b(?:in|during|for|throughout)\s+(?:the\s+month\s+of\s+)?$", re.I)


def find_duration_weeks(text: str) -> float | None:
    """A length of time such as "for 6 weeks" or "3-month", in weeks (a month is 52/12)."""
    m = _DURATION.search(text)
    if not m:
        return None
    n = _number(m.group("n"))
    return float(n) if m.group("unit").lower().startswith("w") else round(n * 52 / 12, 1)
