"""Check that a draft says nothing its facts do not: every number and date must be in them.

A language model can write a plausible "120 hours" or "due 24 December" that no fact supports.
Such claims are listed as ``unsupported_claims``; a proposal carrying any is never eligible
for auto-accept, and the approver sees exactly which words to check.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypedDict

from agents.facts import Fact

_CITATION = re.compile(r"\[([^\]]*)\]")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RX})\.?|({_MONTH_RX})\.?\s+(\d{{1,2}})"
    rf"(?:st|nd|rd|th)?)(?:,?\s+(\d{{4}}))?\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.:])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w:])")


class GroundingReport(TypedDict):
    unsupported_claims: list[str]
    unknown_citations: list[str]
    cited_fact_ids: list[str]


def check_draft(text: str, cited: Sequence[str], facts: Sequence[Fact]) -> GroundingReport:
    """Numbers and dates in ``text`` that no fact contains, and citations of unknown facts."""
    in_text = [i.strip() for group in _CITATION.findall(text) for i in group.split(",")]
    all_cited = list(dict.fromkeys([*cited, *(i for i in in_text if i)]))
    known_ids = {f["id"] for f in facts}
    allowed_numbers, allowed_dates = _allowed(facts)
    body = _CITATION.sub(" ", text)
    claims: list[str] = []
    for found, day in _dates(body):
        if not _date_supported(day, allowed_dates):
            claims.append(f"date {found}")
    for found, value in _numbers(_strip_dates(body)):
        if not _number_supported(value, allowed_numbers):
            claims.append(f"number {found}")
    return {
        "unsupported_claims": list(dict.fromkeys(claims)),
        "unknown_citations": [i for i in all_cited if i not in known_ids],
        "cited_fact_ids": all_cited,
    }


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield repr(value)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _allowed(facts: Sequence[Fact]) -> tuple[set[float], set[tuple[int | None, int, int]]]:
    numbers: set[float] = set()
    dates: set[tuple[int | None, int, int]] = set()
    for fact in facts:
        for s in _strings([fact["text"], fact["values"]]):
            for _, d in _dates(s):
                dates.add(d)
            numbers |= {v for _, v in _numbers(_strip_dates(s))}
    return numbers, dates


def _dates(text: str) -> Iterable[tuple[str, tuple[int | None, int, int]]]:
    for m in _ISO.finditer(text):
        yield m.group(0), (int(m[1]), int(m[2]), int(m[3]))
    for m in _TEXT_DATE.finditer(text):
        day = int(m[1] or m[4])
        month = _MONTHS[(m[2] or m[3]).lower()]
        year = int(m[5]) if m[5] else None
        yield m.group(0), (year, month, day)


def _strip_dates(text: str) -> str:
    return _TEXT_DATE.sub(" ", _ISO.sub(" ", text))


def _numbers(text: str) -> Iterable[tuple[str, float]]:
    for m in _NUMBER.finditer(text):
        raw = m.group(0)
        yield raw, float(raw.replace(",", ""))


def _date_supported(
    day: tuple[int | None, int, int], allowed: set[tuple[int | None, int, int]]
) -> bool:
    year, month, dom = day
    if year is not None:
        try:
            date(year, month, dom)
        except ValueError:
            return False
    return any(
        (month, dom) == (m, d) and (year is None or y is None or year == y) for y, m, d in allowed
    )


def _number_supported(value: float, allowed: set[float]) -> bool:
    # A model may round 65.3 to 65 or 65.0; that is the same claim, not a new one.
    return any(abs(value - a) < 1e-9 or value == round(a) or value == round(a, 1) for a in allowed)
