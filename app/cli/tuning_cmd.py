"""``opscopilot tune`` and ``opscopilot simulate``: learn from approvers' decisions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.settings import get_settings
from domain.errors import OpsError

if TYPE_CHECKING:  # imported only when a command runs, to keep --help fast
    from app.tuning.runner import TuneOutcome
    from models.tuning.summaries import PromptStats

WHAT = ("classifier", "staffing", "risk", "summaries", "all")


def register(cli: typer.Typer, train: typer.Typer) -> None:
    @cli.command("tune")
    def tune_command(
        what: Annotated[
            str, typer.Argument(help="classifier, staffing, risk, summaries or all")
        ] = "all",
        recent_share: Annotated[
            float,
            typer.Option(
                help="Share of the latest decisions held out to compare on, never trained on."
            ),
        ] = 0.2,
        min_gain: Annotated[
            float, typer.Option(help="How much better on those decisions a challenger must be.")
        ] = 0.02,
        fast: Annotated[
            bool, typer.Option("--fast", help="The classifier's quick recipe (fixed C, 3 folds).")
        ] = False,
        submit: Annotated[
            bool,
            typer.Option(
                "--submit/--no-submit", help="File promote_model proposals for better challengers."
            ),
        ] = True,
        requested_by: Annotated[
            str | None,
            typer.Option(help="Who asked for the run (that person may not accept its promotions)."),
        ] = None,
    ) -> None:
        """Retrain from decisions in the approval queue; register challengers, compare them with
        the champions on recent decisions and held-out data, and propose the better ones."""
        from app.model_store import open_store
        from app.runtime import open_runtime
        from app.tuning import runner
        from app.tuning.context import TuneContext

        if what not in WHAT:
            raise typer.BadParameter(f"use one of: {', '.join(WHAT)}", param_hint="WHAT")
        if not 0.0 < recent_share < 1.0:
            raise typer.BadParameter("must be between 0 and 1", param_hint="--recent-share")
        settings = get_settings()
        runtime = open_runtime(settings)
        try:
            ctx = TuneContext(
                settings=settings,
                sessions=runtime.sessions,
                store=open_store(settings),
                recent_share=recent_share,
                min_gain=min_gain,
                fast=fast,
                submit=submit,
                requested_by=requested_by,
                say=typer.echo,
            )
            models = runner.MODELS if what == "all" else (() if what == "summaries" else (what,))
            outcomes = runner.tune(ctx, models)
            summaries = runner.summary_report(ctx) if what in ("summaries", "all") else None
        except OpsError as exc:
            typer.secho(f"error: {exc.detail}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from exc
        finally:
            runtime.engine.dispose()
        if outcomes:
            typer.echo("")
            typer.echo(outcome_table(outcomes))
        if summaries is not None:
            typer.echo("")
            typer.echo(prompt_table(summaries))

    @cli.command("simulate")
    def simulate_command(
        decisions: Annotated[
            int,
            typer.Option(
                "--decisions", "-n", min=20, help="Decisions per proposal type and phase."
            ),
        ] = 500,
        seed: Annotated[int, typer.Option(help="Seed of the demo firm and of the simulation.")] = 7,
        as_of: Annotated[
            str, typer.Option("--as-of", help="The demo firm's today, YYYY-MM-DD.")
        ] = "2026-11-26",
        recent_share: Annotated[
            float, typer.Option(help="Share of the decisions held out when tuning.")
        ] = 0.2,
        keep: Annotated[
            Path | None,
            typer.Option(help="Keep the simulation's database and MLflow store in this folder."),
        ] = None,
    ) -> None:
        """Simulated approvers decide N proposals per type, the models are tuned from them and
        promoted through the queue, then N fresh proposals are decided: acceptance before and
        after. Runs on a throw-away demo firm; your database and model store are not touched."""
        from app.tuning.simulate import simulate
        from models.encoder import MiniLMEncoder

        try:
            day = date.fromisoformat(as_of)
        except ValueError as exc:
            raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from exc
        if keep is not None and keep.exists() and any(keep.iterdir()):
            raise typer.BadParameter(f"{keep} is not empty", param_hint="--keep")
        settings = get_settings()
        result = simulate(
            decisions,
            encoder=MiniLMEncoder(),
            reports_dir=settings.data_dir.resolve() / "reports",
            seed=seed,
            today=day,
            recent_share=recent_share,
            keep=keep,
            say=typer.echo,
        )
        typer.echo("")
        typer.echo(result.table())
        typer.echo("")
        typer.echo("held-out evaluation, champion vs challenger:")
        typer.echo(result.held_out_table())
        typer.echo(f"\ntable, plot and JSON in {result.out_dir} ({result.seconds / 60:.1f} min)")


def outcome_table(outcomes: Sequence[TuneOutcome]) -> str:
    """One line per model: what happened and why."""
    from app.tuning.report import aligned

    rows = [["model", "result", "champion", "challenger", "proposal", "why"]]
    for o in outcomes:
        rows.append(
            [
                o.model_name,
                o.status,
                f"v{o.champion_version}" if o.champion_version else "-",
                f"v{o.challenger_version}" if o.challenger_version else "-",
                f"#{o.proposal_id}" if o.proposal_id else "-",
                o.message,
            ]
        )
    return "\n".join(aligned(rows, rule=False))


def prompt_table(stats: Sequence[PromptStats]) -> str:
    """Status summaries per prompt version: fewest characters edited first."""
    from app.tuning.report import aligned
    from models.tuning.summaries import fewest_edits

    if not stats:
        return "summaries: no decided status summaries yet"
    rows = [
        [
            "prompt version",
            "decisions",
            "as written",
            "edited",
            "rejected",
            "mean edit",
            "median edit",
            "top reasons",
        ]
    ]
    for s in stats:
        rows.append(
            [
                s.prompt,
                str(s.decisions),
                f"{s.as_written_rate:.0%}",
                str(s.edited),
                str(s.rejected),
                "n/a" if math.isnan(s.mean_edit_chars) else f"{s.mean_edit_chars:.0f} chars",
                "n/a" if math.isnan(s.median_edit_chars) else f"{s.median_edit_chars:.0f} chars",
                ", ".join(f"{k} {v}" for k, v in list(s.reasons.items())[:3]),
            ]
        )
    lines = aligned(rows, rule=False)
    best = fewest_edits(stats)
    lines.append(
        f"fewest edits: {best.prompt} ({best.mean_edit_chars:.0f} characters on average)"
        if best
        else "fewest edits: no prompt version has 10 decisions yet"
    )
    return "\n".join(lines)
