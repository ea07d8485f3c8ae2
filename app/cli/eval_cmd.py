"""``opscopilot eval``: every model on its held-out data, in one table."""

from __future__ import annotations

from typing import Annotated

import typer

from app.settings import get_settings


def register(cli: typer.Typer, train: typer.Typer) -> None:
    @cli.command("eval")
    def evaluate(
        compare: Annotated[
            tuple[str, str] | None,
            typer.Option(
                "--compare",
                metavar="REFERENCE CANDIDATE",
                help="Score two registered aliases instead of the current recipe, e.g. "
                "--compare champion challenger (the candidate is 'ours').",
            ),
        ] = None,
        fast: Annotated[
            bool, typer.Option("--fast", help="The quick variant used by the test gate.")
        ] = False,
        log: Annotated[
            bool, typer.Option("--log/--no-log", help="Record the run in MLflow.")
        ] = True,
        only: Annotated[
            list[str] | None,
            typer.Option("--only", help="Evaluate only these models (classifier, staffing, risk)."),
        ] = None,
    ) -> None:
        """Print one table (metric, ours, baseline, delta, threshold); exit 1 if a metric
        misses its threshold in evals/thresholds.yaml or an evaluator fails."""
        from app.model_store import open_store
        from app.runtime import open_runtime
        from evals import harness
        from evals.metrics import failures, render_table
        from models.encoder import MiniLMEncoder

        settings = get_settings()
        names = tuple(only) if only else harness.EVALUATORS
        unknown = set(names) - set(harness.EVALUATORS)
        if unknown:
            raise typer.BadParameter(f"unknown: {', '.join(sorted(unknown))}", param_hint="--only")
        runtime = open_runtime(settings)
        # The MLflow store only when something reads or writes it (creating it takes seconds):
        # staffing always reads it, to score the champion the service serves.
        store = open_store(settings) if (log or compare or "staffing" in names) else None
        try:
            ctx = harness.EvalContext(
                # One torch thread, as the service runs it: the latency row means what it says.
                encoder=MiniLMEncoder(threads=1),
                sessions=runtime.sessions,
                store=store,
                compare=compare,
                fast=fast,
                risk_flag_threshold=settings.risk.flag_threshold,
                progress=typer.echo,
            )
            rows = harness.run(ctx, names)
        finally:
            runtime.engine.dispose()
        typer.echo("")
        typer.echo(render_table(rows))
        if store is not None and log:
            params = {"compare": " vs ".join(compare) if compare else "recipe", "fast": fast}
            run_id = harness.log_run(
                store, rows, params, settings.data_dir.resolve() / "reports" / "eval"
            )
            typer.echo(f"\nlogged MLflow run {run_id}")
        problems = failures(rows)
        if problems:
            typer.secho("\nfailed:\n  " + "\n  ".join(problems), fg=typer.colors.RED, err=True)
            raise typer.Exit(1)
