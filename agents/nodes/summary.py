"""Draft a client status summary from cited facts and check it says nothing else."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import Ctx
from agents.facts import ProjectFacts, gather_project_facts
from agents.grounding import check_draft
from agents.llm import calls
from agents.llm.schemas import StatusDraft
from agents.nodes.common import draft, project_of
from agents.safety import find_instructions
from agents.state import State

AUDIENCE = "client"


def draft_summary(state: State, runtime: Runtime[Ctx]) -> dict[str, Any]:
    """A send_status_summary draft; unsupported figures or planted instructions in the facts
    make it ineligible for auto-accept, and the approver sees which."""
    ctx, project = runtime.context, project_of(state)
    with ctx.transaction() as session:
        pf = gather_project_facts(session, project["id"], ctx.clock())
    variables = {
        "project_name": pf.project_name,
        "client_name": pf.client_name,
        "week_start": pf.week_start.isoformat(),
        "week_end": pf.week_end.isoformat(),
        "audience": AUDIENCE,
        "facts": pf.facts,
    }
    result, call = calls.generate(ctx, "status_summary", variables, StatusDraft)
    report = check_draft(result.text, result.cited_fact_ids, pf.facts)
    planted = [f"{f['id']}: {hit}" for f in pf.facts for hit in find_instructions(f["text"])]
    evidence = {
        **report,
        "facts_offered": [f["id"] for f in pf.facts],
        "llm": call,
        "auto_accept_allowed": not (
            report["unsupported_claims"] or report["unknown_citations"] or planted
        ),
    }
    p = call["prompt"]
    proposal = draft(
        state,
        type="send_status_summary",
        title=f"Status summary: {pf.project_name}",
        payload=_payload(pf, result.text, set(report["cited_fact_ids"])),
        key="status",
        evidence=evidence,
        versions={"prompt_id": p["id"], "prompt_version": p["version"], "prompt_hash": p["hash"]},
    )
    reply = f"Draft status for {pf.project_name}:\n\n{result.text}"
    if report["unsupported_claims"]:
        reply += "\n\nNot supported by the facts: " + ", ".join(report["unsupported_claims"])
    return {"drafts": [proposal], "llm_calls": [call], "suspicious": planted, "reply": reply}


def _payload(pf: ProjectFacts, text: str, cited: set[str]) -> dict[str, Any]:
    # The RAG comes from the latest note that carries no planted instructions.
    clean = [f for f in pf.of_kind("status_note") if not find_instructions(f["text"])]
    return {
        "project_id": pf.project_id,
        "audience": AUDIENCE,
        "draft": text,
        "facts": [
            {"id": f["id"], "kind": f["kind"], "text": f["text"]}
            for f in pf.facts
            if f["id"] in cited
        ],
        "rag": clean[0]["values"]["rag"] if clean else None,
    }
