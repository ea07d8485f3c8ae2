"""Answer what people are doing and when they have time: "is Ana Costa free in March?"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from langgraph.runtime import Runtime

from agents.context import Ctx
from agents.facts import Fact
from agents.nodes.answer import REFUSAL, grounded_answer
from agents.people_facts import gather_person_facts
from agents.state import State

# Without dates in the question: the next four weeks.
DEFAULT_WEEKS = 4
MAX_PEOPLE = 3


def answer_people(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """Who the named people are, their assignments and free hours over the window asked
    about; which one is meant when a first name alone fits several."""
    ctx, x = runtime.context, state["extraction"]
    prefix = REFUSAL + "\n\n" if state.get("suspicious") else ""
    people = x.get("people", [])
    if not people:
        names = ", ".join(p["name"] for p in x.get("people_candidates", []))
        return {"reply": f"{prefix}Which one do you mean: {names}?", "clarifying": True}
    start, end = window(x.get("start"), x.get("end"), ctx.clock())
    facts: list[Fact] = []
    with ctx.transaction() as session:
        for person in people[:MAX_PEOPLE]:
            facts += gather_person_facts(session, person["id"], start, end)
    variables = {
        "question": state["message"],
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "facts": facts,
    }
    text, call = grounded_answer(ctx, "people_answer", variables, facts)
    reply = prefix + text
    if len(people) > MAX_PEOPLE:
        reply += f"\n\n(I answered for the first {MAX_PEOPLE} people named.)"
    return {"llm_calls": [call], "reply": reply}


def window(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    """The dates the question is about: as given, from the start for four weeks, or the
    next four weeks."""
    first = date.fromisoformat(start) if start else today
    last = date.fromisoformat(end) if end else first + timedelta(weeks=DEFAULT_WEEKS, days=-1)
    return (first, last) if first <= last else (last, first)
