"""Turn "the client wants more" into a ``raise_change_request`` proposal."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from agents.context import Ctx
from agents.nodes.common import draft, project_of
from agents.state import State

_LEAD_IN = re.compile(
    r"^\s*(the\s+)?(client|customer)\s+(wants|asked for|asks for|requests|requested|needs)\s+",
    re.IGNORECASE,
)
_ESTIMATE = re.compile(
    r",?\s*(about|around|approx\.?|approximately|roughly|~)?\s*\d+(?:[.,]\d+)?\s*"
    r"(h|hrs?|hours?|person[- ]days?)\b\.?",
    re.IGNORECASE,
)


def raise_change_request(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """A change-request draft with the hours the message estimates; without an estimate,
    ask for one rather than invent it."""
    project, x = project_of(state), state["extraction"]
    message = state["message"].strip()
    hours = x["hours_estimate"]
    if not hours or hours <= 0:
        return {
            "reply": f"How many hours do you estimate the extra work on {project['name']} at? "
            "I need an estimate to raise the change request.",
            # Kept on hold: a reply with the estimate ("about 80") completes it.
            "clarifying": True,
        }
    scope = _ESTIMATE.sub("", _LEAD_IN.sub("", message)).strip(" ,.") or message
    title = f"{project['name']}: {scope[:1].upper()}{scope[1:]}"[:200]
    payload = {
        "project_id": project["id"],
        "title": title,
        "scope_delta": message,
        "estimated_hours": hours,
    }
    proposal = draft(
        state,
        type="raise_change_request",
        title=title,
        payload=payload,
        key="change",
        evidence={"project_source": x["project_source"]},
    )
    reply = (
        f'I\'ve drafted a change request on {project["name"]}: "{scope}", estimated at '
        f"{hours:g} hours."
    )
    if x["project_source"] == "context":
        reply += " (I took the project from earlier in this conversation.)"
    return {"drafts": [proposal], "reply": reply}
