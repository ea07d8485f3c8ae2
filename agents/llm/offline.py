"""The offline provider: deterministic, needs no key, grounded in the facts it is given.

It does not imitate a language model. It fills fixed templates from the facts (the same
variables a real model receives), cites every fact it uses, and never invents a figure; it is
the default, and the fallback whenever a real provider fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from agents.facts import Fact
from agents.ports import LLMError
from agents.safety import find_instructions
from prompts import Prompt

T = TypeVar("T", bound=BaseModel)


class OfflineLLM:
    """Implements ``agents.ports.LLM`` with templates for the prompts it knows."""

    provider = "offline"
    model = "offline-templates-1"

    def generate(self, prompt: Prompt, variables: Mapping[str, Any], schema: type[T]) -> T:
        """A status draft for ``status_summary``; other prompts have no offline template."""
        if prompt.id == "status_summary":
            return schema.model_validate(draft_status(variables))
        raise LLMError(f"the offline provider has no template for prompt {prompt.id!r}")

    def complete(self, prompt: Prompt, variables: Mapping[str, Any]) -> str:
        """An answer for ``project_answer`` or ``people_answer``; other prompts have no
        offline template."""
        if prompt.id == "project_answer":
            return answer_project(variables)
        if prompt.id == "people_answer":
            return answer_people(variables)
        raise LLMError(f"the offline provider has no template for prompt {prompt.id!r}")


def _cite(*facts: Fact) -> str:
    return "[" + ", ".join(f["id"] for f in facts) + "]"


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _by_kind(facts: Sequence[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f["kind"] == kind]


def _clean_notes(facts: Sequence[Fact]) -> list[Fact]:
    # A note that carries instructions is not quoted; the caller records it as suspicious.
    return [f for f in _by_kind(facts, "status_note") if not find_instructions(f["text"])]


def draft_status(variables: Mapping[str, Any]) -> dict[str, Any]:
    """A weekly status draft from the facts, every line citing what it states."""
    facts: list[Fact] = list(variables["facts"])
    lines = [
        f"{variables['project_name']}: status for {variables['week_start']} to "
        f"{variables['week_end']}"
    ]
    cited: list[Fact] = []
    notes = _clean_notes(facts)
    if notes:
        n = notes[0]
        lines.append(f"Overall: {n['values']['rag']} as of {n['values']['date']} {_cite(n)}.")
        cited.append(n)
    for p in _by_kind(facts, "project"):
        v = p["values"]
        lines.append(
            f"Progress: {v['percent_complete']}% complete; {v['hours_burned']} of "
            f"{v['budget_hours']} budget hours used ({v['burn_percent']}%) {_cite(p)}."
        )
        cited.append(p)
    for w in _by_kind(facts, "week"):
        entries = _by_kind(facts, "time_entry")
        if entries:
            lines.append(
                f"This week: {w['values']['hours']} hours logged by {w['values']['people']} "
                f"people {_cite(*entries)}."
            )
            cited += entries
        else:
            lines.append(f"This week: no time logged yet {_cite(w)}.")
            cited.append(w)
    for m in _by_kind(facts, "milestone"):
        lines.append(f"{m['text']} {_cite(m)}")
        cited.append(m)
    for c in _by_kind(facts, "change_request"):
        lines.append(f"{c['text']} {_cite(c)}")
        cited.append(c)
    if notes:
        lines.append(
            f'Latest note: "{_first_sentence(notes[0]["values"]["note"])}" {_cite(notes[0])}'
        )
    return {"text": "\n".join(lines), "cited_fact_ids": list(dict.fromkeys(f["id"] for f in cited))}


_TOPICS = {
    "milestone": r"\b(milestones?|deadline|due|deliver\w*|when)\b",
    "change_request": r"\b(change requests?|scope|extra|additional)\b",
    "risk": r"\b(risk\w*|overrun|trouble|worried|late)\b",
    "week": r"\b(this week|hours|timesheets?|logged)\b",
}


def answer_project(variables: Mapping[str, Any]) -> str:
    """An overview of the project from its facts, topics the question names first."""
    facts: list[Fact] = list(variables["facts"])
    question = str(variables.get("question", ""))
    parts: list[str] = []
    for p in _by_kind(facts, "project"):
        parts.append(f"{p['text']} {_cite(p)}")
    notes = _clean_notes(facts)
    if notes:
        n = notes[0]
        parts.append(
            f"Last status {n['values']['rag']} on {n['values']['date']}: "
            f'"{_first_sentence(n["values"]["note"])}" {_cite(n)}'
        )
    asked = [k for k, rx in _TOPICS.items() if re.search(rx, question, re.IGNORECASE)]
    order = asked + [k for k in ("risk", "milestone", "change_request") if k not in asked]
    for kind in order:
        chosen = _by_kind(facts, kind)
        if kind == "milestone":
            chosen = [m for m in chosen if "accepted" not in m["text"]][:1]
        parts += [f"{f['text']} {_cite(f)}" for f in chosen[:2]]
    return "\n".join(parts) if parts else "I have no facts about that project yet."


_WORKING_ON = re.compile(r"\b(working on|work on|assigned|staffed|allocated|doing)\b", re.I)


def answer_people(variables: Mapping[str, Any]) -> str:
    """Each person: who they are, how free over the window, and their assignments in it;
    the assignments first when the question asks what they are working on."""
    facts: list[Fact] = list(variables["facts"])
    work_first = bool(_WORKING_ON.search(str(variables.get("question", ""))))
    parts: list[str] = []
    for person in _by_kind(facts, "consultant"):
        pid = person["values"]["consultant_id"]
        mine = [f for f in facts if f["values"].get("consultant_id") == pid]
        work = _by_kind(mine, "assignment")
        free = _by_kind(mine, "availability")
        lines = [f"{person['text']} {_cite(person)}"]
        booked = [f"- {a['text']} {_cite(a)}" for a in work]
        if not work:
            window = f"{variables['window_start']} to {variables['window_end']}"
            booked = [f"- No assignments from {window} {_cite(*free)}"] if free else []
        room = [f"{f['text']} {_cite(f)}" for f in free]
        lines += [*booked, *room] if work_first else [*room, *booked]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) if parts else "I have no facts about them yet."
