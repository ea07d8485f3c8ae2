"""What the agent needs from the rest of the system, as Protocols and plain value types.

The graph is written against these ports only. ``agents.adapters`` holds defaults that need
nothing but the firm's database; the app swaps in the ML models and the approval queue
when they are wired. Tests pass small fakes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from prompts import Prompt

T = TypeVar("T", bound=BaseModel)


# --- understanding a request -------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    """A request category (``domain.types.RequestCategory``) with the classifier's confidence.

    ``abstained`` means the classifier would not commit: the request goes to human triage.
    """

    label: str
    confidence: float
    abstained: bool = False
    alternatives: Sequence[tuple[str, float]] = ()
    model_version: str = ""


class Classifier(Protocol):
    def classify(self, text: str) -> Classification:
        """Categorise one request."""
        ...

    def prepare(self, text: str) -> None:
        """Start, in the background, the work ``classify(text)`` will need (an embedding), so
        that storing the message overlaps it; nothing to do for a classifier without such
        work. Returns at once."""
        ...


@dataclass(frozen=True)
class EntityMatch:
    """A project, client or person found in the text and matched against the firm's data."""

    id: int
    name: str


@dataclass(frozen=True)
class Extraction:
    """What a request is about and what it asks for, as far as the text says."""

    project: EntityMatch | None = None
    client: EntityMatch | None = None
    # Several projects fit equally well: the agent asks which one rather than guessing.
    project_candidates: Sequence[EntityMatch] = ()
    # Capitalised names that match no project, client, skill or person: a likely typo or an
    # unknown account, which must be asked about, not guessed.
    unknown_names: Sequence[str] = ()
    # The firm's people named ("is Ana Costa free?"), and those sharing a first name that
    # was given alone ("is Ana free?" with two Anas), to ask which.
    people: Sequence[EntityMatch] = ()
    people_candidates: Sequence[EntityMatch] = ()
    role: str | None = None
    seniority: str | None = None
    headcount: int = 1  # "two data engineers"
    skills: Sequence[str] = ()
    hours_per_week: float | None = None
    start: date | None = None
    end: date | None = None
    duration_weeks: float | None = None  # "for 6 weeks": sets the end from the start
    hours_estimate: float | None = None  # "about 80 hours" of extra scope


class Extractor(Protocol):
    def extract(self, session: Session, text: str) -> Extraction:
        """Entities and request details from ``text``, matched against the firm's data."""
        ...


# --- models ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingRequest:
    project_id: int | None
    role: str
    skills: Sequence[str]
    hours_per_week: float
    start: date
    end: date
    seniority: str | None = None


@dataclass(frozen=True)
class Candidate:
    consultant_id: int
    name: str
    score: float
    score_parts: Mapping[str, float]
    reasons: Sequence[str]
    free_hours: float


@dataclass(frozen=True)
class Recommendation:
    candidates: Sequence[Candidate]
    model_version: str
    # What the model saw, kept with the proposal so a decision can be learned from later.
    features: Mapping[str, Any] = field(default_factory=dict)


class StaffingRecommender(Protocol):
    def recommend(
        self, session: Session, request: StaffingRequest, *, limit: int = 5
    ) -> Recommendation:
        """Ranked candidates for ``request``, best first, with score parts and reasons."""
        ...


Severity = Literal["low", "medium", "high", "critical"]


@dataclass(frozen=True)
class RiskDriver:
    name: str
    value: float | None  # None for a driver that stands for several features
    contribution: float  # share of the score this driver explains; larger is worse
    description: str


@dataclass(frozen=True)
class RiskAssessment:
    project_id: int
    probability: float  # of overrunning the budget
    severity: Severity
    drivers: Sequence[RiskDriver]
    model_version: str
    features: Mapping[str, Any] = field(default_factory=dict)


class RiskScorer(Protocol):
    def score(self, session: Session, project_id: int) -> RiskAssessment:
        """Overrun risk of one project as of today."""
        ...

    def score_many(self, session: Session, project_ids: Sequence[int]) -> list[RiskAssessment]:
        """``score`` for each of ``project_ids``, in that order, in as few reads as it can."""
        ...


# --- the approval queue ------------------------------------------------------------------


@dataclass(frozen=True)
class Requester:
    """Who a proposal is on behalf of: the signed-in user, or the copilot itself for events."""

    user_id: int | None
    email: str
    role: str
    name: str = ""


SYSTEM_REQUESTER = Requester(user_id=None, email="copilot@system", role="system", name="Copilot")


@dataclass(frozen=True)
class ProposalSubmission:
    """A typed proposal with its evidence, ready for the approval queue.

    ``idempotency_key`` is derived from the run and the proposal's place in it: submitting the
    same key twice must return the first proposal, never create a second one.
    """

    type: str
    title: str
    payload: Mapping[str, Any]
    evidence: Mapping[str, Any]
    versions: Mapping[str, str]
    requester: Requester
    run_links: Mapping[str, Any]
    idempotency_key: str


@dataclass(frozen=True)
class ProposalReceipt:
    id: str
    status: str


class ProposalSink(Protocol):
    def submit(self, session: Session, proposal: ProposalSubmission) -> ProposalReceipt:
        """Queue ``proposal`` in the caller's transaction; never applies it."""
        ...


@dataclass(frozen=True)
class DecisionInfo:
    """What an approver decided, handed to ``Copilot.resume_after_decision``."""

    proposal_id: str
    outcome: Literal["accepted", "accepted_with_edits", "overridden", "rejected", "expired"]
    decided_by: str
    role: str = ""
    reason_code: str = ""
    note: str = ""
    edited_payload: Mapping[str, Any] | None = None
    decided_at: datetime | None = None


# --- LLM ---------------------------------------------------------------------------------


class LLMError(RuntimeError):
    """The provider could not give a usable answer (refusal, empty reply, bad config)."""


class LLM(Protocol):
    """A language model behind one of the providers in ``agents.llm``."""

    provider: str
    model: str

    def generate(self, prompt: Prompt, variables: Mapping[str, Any], schema: type[T]) -> T:
        """A structured reply validated into ``schema``; raises on anything unusable."""
        ...

    def complete(self, prompt: Prompt, variables: Mapping[str, Any]) -> str:
        """A plain-text reply; raises on an empty or failed reply."""
        ...


# --- tracing -----------------------------------------------------------------------------


class Span(Protocol):
    def set_attribute(self, key: str, value: Any) -> None: ...

    def set_outputs(self, outputs: Any) -> None: ...


class TraceHandle(Protocol):
    """One run's trace; ``span`` nests under whichever span of this trace is open."""

    trace_id: str | None

    def span(
        self, name: str, *, span_type: str = "CHAIN", inputs: Any = None
    ) -> AbstractContextManager[Span]: ...

    def end(self, outputs: Any = None, *, error: str | None = None) -> None: ...


class Tracer(Protocol):
    def start(
        self, name: str, *, inputs: Any = None, tags: Mapping[str, str] | None = None
    ) -> TraceHandle:
        """Open a trace for one run; must never raise into the run."""
        ...


class _NullSpan:
    def set_attribute(self, key: str, value: Any) -> None:
        return None

    def set_outputs(self, outputs: Any) -> None:
        return None


class NullTrace:
    """The trace used when no tracer is configured: records nothing."""

    trace_id: str | None = None

    def span(
        self, name: str, *, span_type: str = "CHAIN", inputs: Any = None
    ) -> AbstractContextManager[Span]:
        return nullcontext(_NullSpan())

    def end(self, outputs: Any = None, *, error: str | None = None) -> None:
        return None


class NullTracer:
    def start(
        self, name: str, *, inputs: Any = None, tags: Mapping[str, str] | None = None
    ) -> TraceHandle:
        return NullTrace()


# --- database access ---------------------------------------------------------------------


class Transactions(Protocol):
    """Opens one unit of work: commits when the block succeeds, rolls back when it raises."""

    def __call__(self) -> AbstractContextManager[Session]: ...


__all__ = [
    "LLM",
    "SYSTEM_REQUESTER",
    "Candidate",
    "Classification",
    "Classifier",
    "DecisionInfo",
    "EntityMatch",
    "Extraction",
    "Extractor",
    "LLMError",
    "NullTrace",
    "NullTracer",
    "ProposalReceipt",
    "ProposalSink",
    "ProposalSubmission",
    "Recommendation",
    "Requester",
    "RiskAssessment",
    "RiskDriver",
    "RiskScorer",
    "Severity",
    "Span",
    "StaffingRecommender",
    "StaffingRequest",
    "TraceHandle",
    "Tracer",
    "Transactions",
]
