"""Answer a question from the project's facts, and flag the project if its risk is new."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import Ctx
from agents.facts import Fact, gather_project_facts, risk_fact
from agents.grounding import check_draft
from agents.llm import calls
from agents.nodes.risk import flag_if_new
from agents.state import LLMCall, State

HELP = (
    "I can find people for a project, check a project's health and overrun risk, draft a "
    "client status summary, and raise change requests. Name the project or client, for "
    'example: "how is the Fabrikam migration doing?"'
)
REFUSAL = (
    "I can't approve, apply or skip anything, change anyone's role, or act for someone "
    "else: every action I suggest is a proposal that an authorised approver decides."
)


def answer(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """A grounded answer about the project in question, or what I can help with."""
    ctx, x = runtime.context, state["extraction"]
    prefix = REFUSAL + "\n\n" if state.get("suspicious") else ""
    project = x["project"]
    # A message that tries to instruct me gets no answer about a project it did not name.
    if project is None or (prefix and x["project_source"] == "context"):
        return {"reply": prefix + HELP}
    with ctx.transaction() as session:
        pf = gather_project_facts(session, project["id"], ctx.clock())
        risk = ctx.risk.score(session, project["id"])
        proposal, flag = flag_if_new(state, session, ctx, risk)
    facts = [*pf.facts, risk_fact(risk)]
    variables = {
        "question": state["message"],
        "project_name": pf.project_name,
        "client_name": pf.client_name,
        "facts": facts,
    }
    text, call = grounded_answer(ctx, "project_answer", variables, facts)
    reply = prefix + text
    if flag == "flagged":
        reply += f"\n\nThe overrun risk is {risk.severity}; I've proposed flagging it."
    return {"drafts": [proposal] if proposal else [], "llm_calls": [call], "reply": reply}


def grounded_answer(
    ctx: Ctx, prompt_id: str, variables: dict[str, Any], facts: list[Fact]
) -> tuple[str, LLMCall]:
    """The model's answer from ``facts``, with a note naming any figure or date in it that
    no fact holds."""
    text, call = calls.complete(ctx, prompt_id, variables)
    report = check_draft(text, [], facts)
    if report["unsupported_claims"]:
        text += "\n\n(I could not verify: " + ", ".join(report["unsupported_claims"]) + ".)"
    return text, call
