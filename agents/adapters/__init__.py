"""Defaults that need nothing but the firm's database, so the copilot runs before the ML
models are trained. Each implements a Protocol from ``agents.ports``.

The MLflow tracer is not re-exported here: importing MLflow is slow, and only a process
that traces should pay for it (``agents.adapters.mlflow_tracer``).
"""

from agents.adapters.classifier import KeywordClassifier
from agents.adapters.risk import BurnRateRiskScorer
from agents.adapters.staffing import SkillMatchRecommender

__all__ = [
    "BurnRateRiskScorer",
    "KeywordClassifier",
    "SkillMatchRecommender",
]
