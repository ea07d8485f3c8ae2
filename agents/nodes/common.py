"""Small helpers the nodes share: building proposal drafts, reading the state's parts."""

from __future__ import annotations

from datetime import date
from typing import Any

from agents.state import EntityRef, ProposalDraft, State


def project_of(state: State) -> EntityRef:
    """The project the run is about; routers send a run here only when there is one."""
    project = state["extraction"]["project"]
    if project is None:  # a routing bug, not bad input: routers check this first
        raise RuntimeError("this node needs a project in the extraction")
    return project


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def draft(
    state: State,
    *,
    type: str,
    title: str,
    payload: dict[str, Any],
    key: str,
    evidence: dict[str, Any] | None = None,
    versions: dict[str, str] | None = None,
    flags_project_id: int | None = None,
) -> ProposalDraft:
    """A proposal draft with the evidence every proposal carries: what was asked, how it
    was understood, and whether anything in the run looked like an instruction."""
    intent = state.get("intent")
    base: dict[str, Any] = {
        "request": state.get("message", ""),
        "trigger": state.get("trigger", {}).get("event_type") or "chat",
        "intent": intent,
        "extraction": state.get("extraction"),
    }
    all_versions = {"classifier": intent["model_version"]} if intent else {}
    return {
        "type": type,
        "title": title[:200],
        "payload": payload,
        "evidence": {**base, **(evidence or {})},
        "versions": {**all_versions, **(versions or {})},
        "key": key,
        "flags_project_id": flags_project_id,
    }
