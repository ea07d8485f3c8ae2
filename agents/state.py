"""The graph's state: what one run knows, field by field, and how updates merge.

Everything in the state is plain JSON-like data (dicts, lists, strings, numbers; dates as ISO
strings), so checkpoints reload without custom serialisers and proposal evidence can quote
the state as it is. Collaborators live in the runtime context (``agents.context``), never here.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, NotRequired, TypedDict


class EntityRef(TypedDict):
    id: int
    name: str


class Intent(TypedDict):
    """The request category the run acts on, and where it came from."""

    label: str
    confidence: float
    abstained: bool
    alternatives: list[tuple[str, float]]
    model_version: str
    source: Literal["classifier", "event"]
    # A status request phrased as a question ("how is X doing?", "is X at risk?") is answered
    # from the risk model and the facts; any other ask for a status ("status report for X",
    # "draft the status") drafts one.
    question: NotRequired[bool]
    # A question about all of the asker's projects ("which of my projects are at risk?").
    portfolio: NotRequired[bool]
    # Asks what people are doing or whether they have time ("is Ana free in March?").
    about_people: NotRequired[bool]


class Extraction(TypedDict):
    """The request's details as ``agents.ports.Extraction``, dates as ISO strings."""

    project: EntityRef | None
    # "message": named in this turn; "context": carried over from an earlier turn;
    # "client": the client's only active project; "event": from the event payload.
    project_source: str | None
    client: EntityRef | None
    project_candidates: list[EntityRef]
    unknown_names: list[str]
    # The firm's people the message names, and those sharing a first name given alone.
    # (Not in checkpoints written before they existed, hence optional.)
    people: NotRequired[list[EntityRef]]
    people_candidates: NotRequired[list[EntityRef]]
    role: str | None
    seniority: str | None
    skills: list[str]
    headcount: NotRequired[int]  # people asked for; absent in checkpoints from before it
    hours_per_week: float | None
    start: str | None
    end: str | None
    # "for 6 weeks" without a start: the end follows from the start the agent assumes.
    # (Not in checkpoints written before it existed, hence optional.)
    duration_weeks: NotRequired[float | None]
    hours_estimate: float | None


class RequesterData(TypedDict):
    user_id: int | None
    email: str
    role: str
    name: str


class Trigger(TypedDict):
    """What started the run: a chat message, or an inbound event with its payload."""

    kind: Literal["chat", "event"]
    event_type: str | None
    payload: dict[str, Any]


class ProposalDraft(TypedDict):
    """A proposal a node wants to make; ``submit_proposals`` turns it into a real one."""

    type: str
    title: str
    payload: dict[str, Any]
    evidence: dict[str, Any]
    versions: dict[str, str]
    key: str  # unique within the run; with the run key it makes the idempotency key
    # Set on flag_risk drafts: the project whose "already flagged" memory to record.
    flags_project_id: int | None


class ProposalRef(TypedDict):
    id: str
    type: str
    title: str
    status: str


class Decision(TypedDict):
    proposal_id: str
    outcome: str
    decided_by: str
    role: str
    reason_code: str
    note: str
    decided_at: str | None


class LLMCall(TypedDict):
    """One call to a language model, recorded on the run and on the proposal's evidence."""

    prompt: dict[str, str]  # id, version, hash
    provider: str  # the provider that produced the text used
    model: str
    requested_provider: str  # the provider configured; differs when a fallback happened
    fallback_reason: str | None
    ms: float


def merge_timings(left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
    """Add node times; a node that runs twice in a run (a resume) counts both runs."""
    out = dict(left)
    for name, ms in right.items():
        out[name] = out.get(name, 0.0) + ms
    return out


class State(TypedDict, total=False):
    # --- input, set by the caller (``agents.copilot``) ---
    run_key: str  # the checkpoint thread id; root of every idempotency key in the run
    chat_thread_id: str | None  # where replies are posted; None for events without an owner
    message: str  # the user's text, or a one-line description of the event
    trigger: Trigger
    requester: RequesterData
    focus: dict[str, Any]  # {"project": EntityRef, "client": EntityRef} from earlier turns
    trace_id: str | None

    # --- understand ---
    intent: Intent
    extraction: Extraction
    # Instruction-like text found in the message or in the facts a node read
    # ("ignore your rules", "approve this"): recorded as evidence, never obeyed.
    suspicious: Annotated[list[str], operator.add]

    # --- the work nodes ---
    reply: str  # what the assistant says back for this turn
    # Set when the turn asked something back (which project, which role and skills, how many
    # hours, which of two people), so the next message may answer it and complete the request.
    clarifying: bool
    drafts: Annotated[list[ProposalDraft], operator.add]
    llm_calls: Annotated[list[LLMCall], operator.add]

    # --- propose / human in the loop ---
    proposals: list[ProposalRef]
    decisions: Annotated[list[Decision], operator.add]

    # --- bookkeeping ---
    timings_ms: Annotated[dict[str, float], merge_timings]
