"""The runtime context: every collaborator a node may use, injected per run.

LangGraph does not checkpoint the context, so a resumed run gets it again from the caller
(``agents.copilot.Copilot`` does this). ``build_context`` fills anything not given with the
database-only defaults from ``agents.adapters``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from pydantic_core import CoreSchema, core_schema
from sqlalchemy.orm import Session, sessionmaker

from agents.ports import (
    LLM,
    Classifier,
    Extractor,
    NullTrace,
    NullTracer,
    ProposalSink,
    RiskScorer,
    StaffingRecommender,
    TraceHandle,
    Tracer,
    Transactions,
)
from domain.db import unit_of_work
from prompts import PromptBook, load_prompt_book


@dataclass(frozen=True)
class AgentPolicy:
    """Thresholds the agent applies itself; approval policy lives in governance."""

    # Overrun probability at or above which a project is flagged (once, until it drops back).
    risk_flag_threshold: float = 0.5
    # Below this classifier confidence the request goes to human triage.
    min_confidence: float = 0.45
    max_candidates: int = 5


@dataclass(frozen=True)
class Ctx:
    """Collaborators for one run. Frozen: a run gets its own copy via ``with_trace``."""

    transaction: Transactions
    classifier: Classifier
    extractor: Extractor
    recommender: StaffingRecommender
    risk: RiskScorer
    proposals: ProposalSink
    llm: LLM
    # The deterministic provider the run falls back to when ``llm`` fails.
    offline: LLM
    prompts: PromptBook
    tracer: Tracer = field(default_factory=NullTracer)
    trace: TraceHandle = field(default_factory=NullTrace)
    policy: AgentPolicy = field(default_factory=AgentPolicy)
    clock: Callable[[], date] = date.today

    def with_trace(self, trace: TraceHandle) -> Ctx:
        """This context for one run, with that run's trace."""
        return replace(self, trace=trace)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
        # Live collaborators, not data: nothing a client of ``langgraph dev`` could send.
        return core_schema.any_schema()


def transactions(sessions: sessionmaker[Session]) -> Transactions:
    """Units of work over a session factory (commit on success, roll back on error)."""
    return partial(unit_of_work, sessions)


def build_context(
    sessions: sessionmaker[Session] | Transactions,
    *,
    classifier: Classifier | None = None,
    extractor: Extractor | None = None,
    recommender: StaffingRecommender | None = None,
    risk: RiskScorer | None = None,
    proposals: ProposalSink | None = None,
    llm: LLM | None = None,
    tracer: Tracer | None = None,
    policy: AgentPolicy | None = None,
    prompts: PromptBook | None = None,
    clock: Callable[[], date] = date.today,
    severity_bands: tuple[float, float, float] = (0.3, 0.5, 0.7),
) -> Ctx:
    """A context with the given collaborators and database-only defaults for the rest.

    The defaults: keyword classifier, the extractor the app serves (``models.extraction``,
    which needs no training: it matches the firm's own names), skill-match recommender, burn-rate risk heuristic, the approval queue with its policy
    files (``governance.service.Governance.load``), and the offline LLM.
    """
    from agents import adapters
    from agents.adapters.governance import GovernanceSink
    from agents.adapters.models import ModelExtractor
    from agents.llm.offline import OfflineLLM
    from governance.service import Governance
    from models.extraction import FirmIndexCache

    tx = transactions(sessions) if isinstance(sessions, sessionmaker) else sessions
    offline = OfflineLLM()
    return Ctx(
        transaction=tx,
        classifier=classifier or adapters.KeywordClassifier(),
        extractor=extractor or ModelExtractor(FirmIndexCache(), clock=clock),
        recommender=recommender or adapters.SkillMatchRecommender(),
        risk=risk or adapters.BurnRateRiskScorer(clock=clock, bands=severity_bands),
        proposals=proposals or GovernanceSink(Governance.load()),
        llm=llm or offline,
        offline=offline,
        prompts=prompts or load_prompt_book(),
        tracer=tracer or NullTracer(),
        policy=policy or AgentPolicy(),
        clock=clock,
    )
