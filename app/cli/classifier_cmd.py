"""``opscopilot train classifier`` and ``opscopilot classify``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import command_session, echo_json
from app.settings import get_settings
from domain.errors import OpsError


def register(cli: typer.Typer, train: typer.Typer) -> None:
    @train.command("classifier")
    def train_classifier(
        data: Annotated[
            Path | None,
            typer.Option(
                "--data",
                help="A UTF-8 CSV with columns text,label: your own requests and categories "
                "(at least 10 rows per label). Default: the bundled request corpus.",
            ),
        ] = None,
        promote: Annotated[
            bool, typer.Option("--promote", help="Make the new model the champion at once.")
        ] = False,
        fast: Annotated[
            bool, typer.Option("--fast", help="Skip the search over regularisation strength.")
        ] = False,
        holdout: Annotated[
            float,
            typer.Option(min=0.1, max=0.5, help="Share of --data held out for the report."),
        ] = 0.25,
        seed: Annotated[int, typer.Option(help="Seed of the hold-out split and folds.")] = 0,
    ) -> None:
        """Train the request classifier, report held-out macro-F1 beside the TF-IDF and
        embedding baselines, and register it (first model: champion; later: challenger)."""
        from app.loaders.classifier import train_and_publish

        try:
            train_and_publish(
                get_settings(),
                data=data,
                promote=promote,
                fast=fast,
                holdout_share=holdout,
                seed=seed,
                say=typer.echo,
            )
        except OpsError as exc:
            typer.secho(
                f"error: {exc.detail}\nnothing was trained or registered",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1) from exc

    @cli.command("classify")
    def classify(
        text: Annotated[str, typer.Argument(help="The request, as received.")],
        today: Annotated[
            datetime | None,
            typer.Option(formats=["%Y-%m-%d"], help="Resolve dates as if today were this day."),
        ] = None,
    ) -> None:
        """Classify one request with the champion and print what it refers to, as JSON."""
        from app.loaders.classifier import load_champion
        from app.services import ServiceUnavailable
        from models.classifier import triage
        from models.encoder import MiniLMEncoder
        from models.extraction import FirmIndex

        if not text.strip():
            raise typer.BadParameter("give the request's text", param_hint="TEXT")
        with command_session() as (runtime, session):
            model = load_champion(runtime.settings, MiniLMEncoder())
            if model is None:
                raise ServiceUnavailable(
                    "no request-classifier champion yet; run `opscopilot train classifier`"
                )
            index = FirmIndex.from_session(session)
            day: date = today.date() if today else date.today()
            echo_json(triage(text.strip(), model, index, day).to_dict())
