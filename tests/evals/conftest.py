"""One MiniLM encoder and one fast evaluation run, shared by the slow evaluation tests; the
``eval`` command on a fresh data directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

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


@pytest.fixture
def eval_cli(cli_data_dir: Path) -> Callable[..., Result]:
    """``opscopilot eval ARGS`` in-process, on a fresh data directory (``cli_data_dir``)."""
    from app.cli.main import cli
    from app.settings import get_settings

    def invoke(*args: str) -> Result:
        get_settings.cache_clear()  # so a test's own environment variables are read
        return CliRunner().invoke(cli, ["eval", *args])

    return invoke
