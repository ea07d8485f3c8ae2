"""Numbers a request carries: hours per week, estimated effort, money (budgets and rates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

_I = re.IGNORECASE
_N = r"(?P<n>\d+(?:[.,]\d+)?)"
_HOURS = r"(?:h|hrs?|hours?)"
_PER_WEEK = r"(?:/\s*|\s*(?:per|a|an|each|every)\s+|\s*)(?:w|wk|wks|week)\b|\s*(?:weekly|pw|p/w)\b"

# Per-week phrases, each with how to turn the match into hours.
_WEEKLY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_N}\s*{_HOURS}\s*(?:{_PER_WEEK})", _I), "hours"),
    (re.compile(rf"\b{_N}\s*days?\s*(?:/\s*|\s+(?:per|a|an|each)\s+)(?:wk|week)\b", _I), "days"),
    (re.compile(rf"\b{_N}\s*(?:FTE)\b|\b(?P<pct>\d{{1,3}})\s*%\s*(?:FTE|allocation|allocated|of (?:their|his|her) time)", _I), "fte"),
    (re.compile(r"\b(?P<word>half|full)[\s-]?time\b", _I), "word"),
]  # fmt: skip
_EFFORT = re.compile(
    rf"(?:(?P<approx>about|around|approx\.?|approximately|roughly|estimated(?:\s+at)?|~|c\.)\s*)?"
    rf"\b{_N}\s*(?P<unit>{_HOURS}|person[- ]days?|man[- ]days?|days of (?:effort|work))\b"
    rf"(?!\s*(?:{_PER_WEEK}|/\s*d|per day|a day))",
    _I,
)
_CURRENCY = {
    "$": "USD", "usd": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP", "chf": "CHF", "cad": "CAD", "aud": "AUD",
}  # fmt: skip
_CUR = r"(?P<cur>\$|€|£|usd|eur|gbp|chf|cad|aud)"
_CUR_AFTER = r"(?P<cur2>usd|eur|gbp|chf|cad|aud|dollars|euros|pounds)"
_AMOUNT = (
    r"(?P<amt>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?P<mult>k|m|mm|million|thousand)?\b"
)
# "$150", "1,200 EUR", "budget of 50k" (Python's re forbids one group name twice in a
# pattern, hence three patterns).
_MONEY = [
    re.compile(rf"{_CUR}\s?{_AMOUNT}", _I),
    re.compile(rf"{_AMOUNT}\s?{_CUR_AFTER}", _I),
    re.compile(rf"(?P<cue>budget|rate|cap|fee|price)\s*(?:of|is|at|:)?\s*{_AMOUNT}", _I),
]
_PER = re.compile(
    r"^\s*(?:/\s*(?P<u1>h|hr|hour|d|day)\b|(?:per|an?|each)\s+(?P<u2>hour|day)\b|(?P<u3>hourly|daily))",
    _I,
)
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6}


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str | None
    kind: Literal["rate", "amount"]
    per: Literal["hour", "day"] | None  # the unit of a rate, when written
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "amount": self.amount,
            "currency": self.currency,
            "kind": self.kind,
            "per": self.per,
            "text": self.text,
        }


def _num(text: str) -> float:
    # "1,200" is twelve hundred; "7,5" (European decimal) is seven and a half.
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def hours_per_week(text: str, full_time: float = 40.0) -> float | None:
    """Weekly hours asked for: "30h a week", "20 hrs/wk", "3 days a week", "half time"."""
    for pattern, kind in _WEEKLY:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "hours":
            return _num(m.group("n"))
        if kind == "days":
            return _num(m.group("n")) * full_time / 5
        if kind == "fte":
            share = _num(m.group("n")) if m.group("n") else int(m.group("pct")) / 100
            return round(share * full_time, 1)
        return full_time / 2 if m.group("word").lower() == "half" else full_time
    return None


def estimated_hours(text: str, hours_per_day: float = 8.0) -> float | None:
    """Effort as a total ("about 80 hours", "~120h", "15 person-days"), not per week."""
    for m in _EFFORT.finditer(text):
        value = _num(m.group("n"))
        unit = m.group("unit").lower()
        return value if unit[0] == "h" else value * hours_per_day
    return None


def money(text: str) -> list[Money]:
    """Amounts with a currency or a budget/rate cue; "/h" or "per day" after one makes it a rate."""
    matches: list[re.Match[str]] = []
    for pattern in _MONEY:
        for m in pattern.finditer(text):
            if not any(m.start() < o.end() and o.start() < m.end() for o in matches):
                matches.append(m)
    out = []
    for m in sorted(matches, key=lambda m: m.start()):
        g = m.groupdict()
        amount = _num(g["amt"]) * _MULT.get((g["mult"] or "").lower(), 1.0)
        cur = g.get("cur") or g.get("cur2")
        unit = _PER.match(text[m.end() :])
        per: Literal["hour", "day"] | None = None
        if unit:
            u = (unit.group("u1") or unit.group("u2") or unit.group("u3")).lower()
            per = "hour" if u.startswith("h") else "day"
        out.append(
            Money(
                amount=amount,
                currency=_CURRENCY.get(cur.lower()) if cur else None,
                kind="rate" if per or (g.get("cue") or "").lower() == "rate" else "amount",
                per=per,
                text=(m.group(0) + (unit.group(0) if unit else "")).strip(),
            )
        )
    return out
