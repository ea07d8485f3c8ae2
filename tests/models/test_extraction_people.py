"""Extraction of the firm's people from a request, and of a month given as a period."""

from __future__ import annotations

from datetime import date

import pytest

from models.extraction import FirmIndex, extract

TODAY = date(2026, 11, 26)

INDEX = FirmIndex.build(
    clients=[(1, "Contoso"), (2, "Grace Foods")],
    projects=[(10, "Contoso Data Platform", 1, "active")],
    skills=["Python"],
    people=[
        (1, "Ana Costa"),
        (2, "Ana Moreau"),
        (3, "Dora Ivanova"),
        (4, "Will Turner"),
        (5, "May Lin"),
    ],
)


def people(text: str) -> tuple[list[str], list[str]]:
    found = extract(text, INDEX, TODAY).people
    return [p.name for p in found.people], [p.name for p in found.candidates]


@pytest.mark.parametrize(
    ("text", "named", "ask_which"),
    [
        ("Is Dora Ivanova free in March?", ["Dora Ivanova"], []),
        ("is dora ivanova free?", ["Dora Ivanova"], []),  # a full name in any case
        ("what is Dora working on?", ["Dora Ivanova"], []),  # a first name one person has
        ("what is dora working on?", [], []),  # but not in lowercase: could be any word
        ("Is Ana free next week?", [], ["Ana Costa", "Ana Moreau"]),  # shared: ask which
        ("Are Ana Costa and Dora free?", ["Ana Costa", "Dora Ivanova"], []),
        ("Will Dora be free?", ["Dora Ivanova"], []),  # "Will" opens the question
        ("Is Will free?", ["Will Turner"], []),
        ("Who is free in May?", [], []),  # a month, not May Lin
        ("Is May Lin free?", ["May Lin"], []),
        ("Status for Contoso please", [], []),
    ],
)
def test_people_named_in_a_request(text: str, named: list[str], ask_which: list[str]) -> None:
    assert people(text) == (named, ask_which)


def test_a_person_is_no_unknown_client() -> None:
    e = extract("how is Dora Ivanova doing?", INDEX, TODAY).entities
    assert e.unknown_mentions == []


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Is Dora free in March?", date(2027, 3, 1), date(2027, 3, 31)),
        ("a data engineer during June", date(2027, 6, 1), date(2027, 6, 30)),
        ("from March", date(2027, 3, 1), None),  # a start only, as before
        ("a data engineer in may", None, None),  # "may" in lowercase is not a month
    ],
)
def test_in_a_month_is_the_whole_month(text: str, start: date | None, end: date | None) -> None:
    x = extract(text, INDEX, TODAY)
    assert (x.start_date, x.end_date) == (start, end)
