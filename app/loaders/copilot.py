"""The copilot: the LangGraph agent wired to the loaded models and the approval queue.

A model that is not loaded keeps the agent's database-only default for that port (keyword
classifier, skill-match recommender, burn-rate heuristic), so chat works on a fresh database
before any model is trained. The extractor needs no training: the classifier loader always
provides the firm index it matches against.

A copilot that cannot start (an LLM setting left out, say) must not take the server down: the
loader logs what to fix, leaves ``services.extras["copilot"]`` absent and puts the reason under
``services.extras[COPILOT_UNAVAILABLE]``; the chat routes answer 503 with it and the rest of the API works.
"""

from __future__ import annotations

import logging
from typing import Any

from agents.adapters.governance import (
    CopilotDecisionListener,
    CopilotEventSubscriber,
    GovernanceSink,
)
from agents.adapters.models import (
    ModelClassifier,
    ModelExtractor,
    ModelRecommender,
    ModelRiskScorer,
)
from agents.context import AgentPolicy, build_context
from agents.copilot import Copilot
from agents.llm import make_llm
from agents.ports import LLM, LLMError
from app.runtime import Runtime
from app.services import COPILOT, COPILOT_UNAVAILABLE, Services
from app.settings import Settings

log = logging.getLogger(__name__)


def load(runtime: Runtime, services: Services) -> None:
    if COPILOT in services.extras:
        return
    try:
        llm = make_llm_from(runtime.settings)
    except (LLMError, ValueError) as exc:
        # A setting to fix, and the message names it: one line, no traceback.
        reason = f"the copilot did not start: {exc}"
        log.error("%s; chat answers 503 until this is fixed and the server restarted", reason)
        services.extras[COPILOT_UNAVAILABLE] = reason
        return
    try:
        copilot = open_copilot(runtime, services, llm)
    except Exception:
        log.exception("the copilot did not start; chat answers 503, the rest of the API works")
        services.extras[COPILOT_UNAVAILABLE] = "the copilot failed to start (see the server's log)"
        return
    services.extras[COPILOT] = copilot


def make_llm_from(s: Settings) -> LLM:
    """The LLM client the ``llm`` settings describe; ``LLMError`` names a missing setting."""
    return make_llm(
        s.llm.provider,
        model=s.llm.model,
        base_url=s.llm.base_url,
        api_key=s.llm.api_key.get_secret_value() if s.llm.api_key else None,
        timeout_seconds=s.llm.timeout_seconds,
        max_retries=s.llm.max_retries,
    )


def open_copilot(runtime: Runtime, services: Services, llm: LLM) -> Copilot:
    """The copilot over the models loaded so far, wired to the approval queue."""
    s = runtime.settings
    extras = services.extras
    governance = services.require("governance")
    ports: dict[str, Any] = {}
    if "classifier" in extras:
        ports["classifier"] = ModelClassifier(extras["classifier"])
    if "firm_index" in extras:
        ports["extractor"] = ModelExtractor(extras["firm_index"])
    if "staffing" in extras:
        ports["recommender"] = ModelRecommender(extras["staffing"])
    if "risk" in extras:
        ports["risk"] = ModelRiskScorer(extras["risk"])
    tracer = None
    # Tests assert on traces through their own tracer, not through the app's MLflow store.
    if s.mlflow.trace_runs and s.environment != "test":
        from agents.adapters.mlflow_tracer import MlflowTracer

        # Traces are written to MLflow when the server is quiet: writing one costs more CPU
        # than the rest of a turn, and two cores cannot hide it behind the next request.
        tracer = MlflowTracer(s.mlflow_uri, s.mlflow.experiment, export_when_idle=True)
    ctx = build_context(
        runtime.sessions,
        proposals=GovernanceSink(governance),
        llm=llm,
        tracer=tracer,
        policy=AgentPolicy(risk_flag_threshold=s.risk.flag_threshold),
        severity_bands=s.risk.bands,
        **ports,
    )
    copilot = Copilot.open(ctx, database_url=s.db_url, data_dir=s.data_dir)
    governance.add_decision_listener(CopilotDecisionListener(copilot))
    governance.add_event_subscriber(CopilotEventSubscriber(copilot))
    log.info("copilot ready with %s", ", ".join(sorted(ports)) or "database-only defaults")
    return copilot
