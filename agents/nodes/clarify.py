"""Ask instead of guessing: an unknown name, several matching projects, or none at all."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from sqlalchemy import select

from agents.context import Ctx
from agents.nodes.understand import OPEN_STATUSES
from agents.state import State
from domain.tables import Project

EXAMPLES = 5


def clarify(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """A clarifying question naming what was not understood and what the options are."""
    # Kept for the next turn only in a chat (``respond`` sets the focus only there).
    return {**question(state, runtime), "clarifying": True}


def question(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    x = state["extraction"]
    if state["trigger"]["kind"] == "event":
        return {"reply": f"The {state['trigger']['event_type']} event names no project I know."}
    if x["project_candidates"]:
        options = ", ".join(c["name"] for c in x["project_candidates"][:EXAMPLES])
        return {"reply": f"Which project do you mean: {options}?"}
    with runtime.context.transaction() as session:
        known = list(
            session.scalars(
                select(Project.name)
                .where(Project.status.in_(OPEN_STATUSES))
                .order_by(Project.name)
                .limit(EXAMPLES)
            )
        )
    examples = f" Open projects include: {', '.join(known)}." if known else ""
    if x["unknown_names"]:
        names = " or ".join(f"'{n}'" for n in x["unknown_names"][:3])
        return {
            "reply": f"I couldn't find a project or client called {names}. "
            f"Which project do you mean?{examples}"
        }
    if x["client"] is not None:
        return {
            "reply": f"{x['client']['name']} has no open project. Which project do you "
            f"mean?{examples}"
        }
    return {"reply": f"Which project is this about?{examples}"}
