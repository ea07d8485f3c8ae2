"""One MiniLM encoder and one fast evaluation run, shared by the slow evaluation tests."""

from __future__ import annotations

import pytest

from evals.harness import EvalContext, run
from evals.metrics import MetricRow
from models.encoder import MiniLMEncoder


@pytest.fixture(scope="session")
def minilm() -> MiniLMEncoder:
    """The real encoder, loaded once per test session (importing it takes 5-15 s)."""
    return MiniLMEncoder()


@pytest.fixture(scope="session")
def gate_run(minilm: MiniLMEncoder) -> tuple[EvalContext, list[MetricRow]]:
    """``opscopilot eval --fast --only classifier`` in-process: the context and its rows."""
    ctx = EvalContext(encoder=minilm, fast=True, progress=lambda _: None)
    return ctx, run(ctx, ("classifier",))
