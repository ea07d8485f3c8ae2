"""``opscopilot train risk`` and ``opscopilot risk``: train the overrun model, assess projects."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import command_session, echo_json
from app.settings import get_settings
from domain.errors import OpsError


def register(cli: typer.Typer, train: typer.Typer) -> None:
    @train.command("risk")
    def train_risk(
        data: Annotated[
            Path | None,
            typer.Option(
                "--data",
                help="A history export (CSV: estimated vs actual per project or task; format in "
                "docs/models/risk.md). Default: the firm's finished projects in the database.",
            ),
        ] = None,
        promote: Annotated[
            bool, typer.Option("--promote", help="Make the new model the champion at once.")
        ] = False,
        test_share: Annotated[
            float, typer.Option(help="Share of the latest-ending projects held out for testing.")
        ] = 0.3,
        calibration: Annotated[
            str, typer.Option(help="Probability calibration: sigmoid or isotonic.")
        ] = "sigmoid",
    ) -> None:
        """Train the overrun-risk model, report held-out metrics beside the burn-rate rule, and
        register it (first model: champion; later ones: challenger unless --promote)."""
        from app.loaders.risk import train_and_register
        from models.risk import firm_history
        from models.risk.history_file import read_history
        from models.risk.training import FIRM_SPEC

        if calibration not in ("sigmoid", "isotonic"):
            raise typer.BadParameter("use sigmoid or isotonic", param_hint="--calibration")
        settings = get_settings()
        try:
            if data is None:
                typer.echo("risk: building snapshots of the firm's finished projects")
                with command_session() as (_, session):
                    examples = firm_history(session)
                spec = FIRM_SPEC
            else:
                history = read_history(data)
                typer.echo(
                    f"risk: {data.name}: {len(history.examples)} rows, {history.target} "
                    f"estimated vs actual, ordered by {history.ordered_by}; features: "
                    f"{', '.join(history.spec.numeric + history.spec.categorical)}"
                    + (f"; ignored: {', '.join(history.ignored)}" if history.ignored else "")
                )
                examples, spec = history.examples, history.spec
            published = train_and_register(
                settings,
                examples,
                spec,
                promote=promote,
                say=typer.echo,
                test_share=test_share,
                calibration=calibration,
            )
        except OpsError as exc:
            typer.secho(f"error: {exc.detail}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"risk: report and plots in {published.report_dir}")

    @cli.command("risk")
    def risk(
        project_id: Annotated[int | None, typer.Argument(help="The project to assess.")] = None,
        all_live: Annotated[bool, typer.Option("--all", help="Assess every live project.")] = False,
        as_of: Annotated[
            str | None, typer.Option(help="Assess as the project stood on this day (YYYY-MM-DD).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Overrun risk of a project (or --all live ones): probability, severity, drivers."""
        from app.loaders.risk import load_champion

        if (project_id is None) == (not all_live):
            raise typer.BadParameter("give a PROJECT_ID or --all, not both and not neither")
        try:
            day = date.fromisoformat(as_of) if as_of else date.today()
        except ValueError as exc:
            raise typer.BadParameter(
                f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of"
            ) from exc
        service = load_champion(get_settings())
        if service is None:
            typer.secho(
                "error: no overrun-risk champion is registered; run `opscopilot train risk`",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1)
        with command_session() as (_, session):
            ids = None if project_id is None else [project_id]  # None: every live project
            results = service.assess(session, ids, day)
        if as_json:
            echo_json([r.as_dict() for r in results])
            return
        for r in results:
            flag = "FLAG" if r.flagged else "    "
            typer.echo(f"{flag} project {r.project_id}: {r.probability:.0%} {r.severity}")
            for d in r.drivers:
                typer.echo(f"       {d.effect * 100:+5.1f} pts  {d.sentence}")
        typer.echo(f"({len(results)} project(s) as of {day}, overrun-risk v{service.version})")
