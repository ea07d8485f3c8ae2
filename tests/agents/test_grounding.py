"""A draft may state only numbers and dates its facts contain; anything else is flagged."""

from __future__ import annotations

from collections.abc import Callable

from agents.copilot import Copilot
from agents.facts import Fact
from agents.grounding import check_draft
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink, ScriptedLLM
from tests.agents.firm import Firm

FACTS: list[Fact] = [
    {
        "id": "pj:1",
        "kind": "project",
        "text": "Migration: 45% complete; 520 of 800 budget hours used (65%).",
        "values": {"percent_complete": 45, "hours_burned": 520, "budget_hours": 800},
    },
    {
        "id": "ms:7",
        "kind": "milestone",
        "text": "Milestone 'Phase 2 cutover' due 2026-12-15, pending.",
        "values": {"due_date": "2026-12-15"},
    },
    {"id": "wk:1", "kind": "week", "text": "Week: 42.5 hours by 3 people.", "values": {}},
]


def test_numbers_and_dates_from_the_facts_pass_in_any_common_form() -> None:
    text = (
        "45% complete with 520 of 800 hours used (65.0%) [pj:1]. Phase 2 cutover is due "
        "15 December 2026, i.e. Dec 15 [ms:7]. 42.5 hours by 3 people this week [wk:1]."
    )
    report = check_draft(text, ["pj:1"], FACTS)

    assert report["unsupported_claims"] == []
    assert report["unknown_citations"] == []
    assert report["cited_fact_ids"] == ["pj:1", "ms:7", "wk:1"]


def test_invented_numbers_dates_and_citations_are_listed() -> None:
    text = "About 1,200 hours remain [pj:1]; go-live on 2027-02-01 or 24 December [ms:9]."
    report = check_draft(text, ["xx:1"], FACTS)

    assert report["unsupported_claims"] == [
        "date 2027-02-01",
        "date 24 December",
        "number 1,200",
    ]
    assert report["unknown_citations"] == ["xx:1", "ms:9"]


def test_an_ungrounded_draft_is_never_eligible_for_auto_accept(
    make_copilot: Callable[..., Copilot],
    talk_to: Callable[[Copilot], Conversation],
    sink: RecordingSink,
    firm: Firm,
) -> None:
    llm = ScriptedLLM(
        structured={
            "text": "Northwind is 40% complete and will finish 11 weeks early, on 2027-03-01.",
            "cited_fact_ids": [f"pj:{firm.northwind}"],
        }
    )
    conversation = talk_to(make_copilot(llm=llm, proposals=sink))

    result = conversation.say("draft this week's status for Northwind")

    [summary] = sink.submitted
    assert summary.payload["draft"].startswith("Northwind is 40% complete")
    assert summary.evidence["unsupported_claims"] == ["date 2027-03-01", "number 11"]
    assert summary.evidence["auto_accept_allowed"] is False
    assert "Not supported by the facts: date 2027-03-01, number 11" in result.reply
