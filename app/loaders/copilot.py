"""The copilot: the LangGraph agent wired to the loaded models and the approval queue.

A model that is not loaded keeps the agent's database-only default for that port (keyword
classifier, skill-match recommender, burn-rate heuristic), so chat works on a fresh database
before any model is trained. The extractor needs no training: the classifier loader always
provides the firm index it matches against.
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
from app.runtime import Runtime
from app.services import Services

log = logging.getLogger(__name__)


def load(runtime: Runtime, services: Services) -> None:
    if "copilot" in services.extras:
        return
    s = runtime.settings
    extras = services.extras
    governance = services.require("governance")
    llm = make_llm(
        s.llm.provider,
        model=s.llm.model,
        base_url=s.llm.base_url,
        api_key=s.llm.api_key.get_secret_value() if s.llm.api_key else None,
        timeout_seconds=s.llm.timeout_seconds,
        max_retries=s.llm.max_retries,
    )
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
    extras["copilot"] = copilot
    log.info("copilot ready with %s", ", ".join(sorted(ports)) or "database-only defaults")
