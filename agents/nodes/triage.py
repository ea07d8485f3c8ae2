"""Send a request the copilot should not handle itself to the right team: ``route_request``."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import Ctx
from agents.nodes.common import draft
from agents.state import State

MAX_TEXT = 2000


def triage(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """A route_request draft with the classifier's guess; abstentions go to human triage."""
    intent = state["intent"]
    payload = {
        "text": state["message"][:MAX_TEXT],
        "predicted_category": intent["label"],
        "confidence": intent["confidence"],
        "alternatives": [
            {"category": label, "confidence": p} for label, p in intent["alternatives"]
        ],
    }
    category = intent["label"].replace("_", " ")
    if intent["abstained"]:
        reply = (
            f"I'm not sure what kind of request this is (best guess: {category}, "
            f"{intent['confidence']:.0%}), so I've sent it to triage for a person to route."
        )
    else:
        reply = f"This looks like a {category} request; I've proposed routing it to that team."
    proposal = draft(
        state,
        type="route_request",
        title=f"Route request: {category}",
        payload=payload,
        key="route",
        evidence={"abstained": intent["abstained"]},
    )
    return {"drafts": [proposal], "reply": reply}
