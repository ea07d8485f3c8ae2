"""``opscopilot recommend`` and ``opscopilot train staffing``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.common import command_session, echo_json
from app.settings import get_settings
from domain.errors import OpsError


def parse_skill(text: str, option: str) -> tuple[str, int]:
    """``"Spark:4"`` -> ("Spark", 4); a bare name asks for level 3."""
    name, sep, level = text.rpartition(":")
    if not sep:
        return text.strip(), 3
    if not level.strip().isdigit() or not 1 <= int(level) <= 5 or not name.strip():
        raise typer.BadParameter(f"{text!r}: use NAME:LEVEL with LEVEL 1..5", param_hint=option)
    return name.strip(), int(level)


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from exc


def register(cli: typer.Typer, train: typer.Typer) -> None:
    @train.command("staffing")
    def train_staffing(
        preferences: Annotated[
            Path | None,
            typer.Option(
                "--preferences",
                help="JSON Lines of approvers' choices, each {'preferred': {part: value}, "
                "'other': {...}} (format in docs/models/staffing.md). Default: register the "
                "default weights.",
            ),
        ] = None,
        promote: Annotated[
            bool, typer.Option("--promote", help="Make the new ranker the champion at once.")
        ] = False,
        test_share: Annotated[
            float,
            # Bounded so that both sides keep pairs: at least 4 are read, at least 2 learn.
            typer.Option(min=0.05, max=0.5, help="Share of preference pairs held out for testing."),
        ] = 0.3,
    ) -> None:
        """Register the staffing ranker's weights (learned from preferences if given) in MLflow
        as `staffing-ranker` (first one: champion; later ones: challenger unless --promote)."""
        from app.model_store import open_store
        from models.staffing.preferences import read_preferences
        from models.staffing.training import train_and_register

        settings = get_settings()
        try:
            pairs = read_preferences(preferences) if preferences else None
            trained = train_and_register(
                open_store(settings),
                settings.data_dir.resolve() / "reports",
                preferences=pairs,
                promote=promote,
                test_share=test_share,
                say=typer.echo,
            )
        except OpsError as exc:
            typer.secho(
                f"error: {exc.detail}; nothing was registered", fg=typer.colors.RED, err=True
            )
            raise typer.Exit(1) from exc
        m = trained.metrics
        typer.echo(
            f"staffing: registered staffing-ranker v{trained.registered.version} as {trained.alias}"
        )
        if m:
            typer.echo(
                f"staffing: held-out pairwise accuracy {m['pairwise_accuracy']:.3f} "
                f"(default weights baseline {m['baseline_pairwise_accuracy']:.3f})"
            )
        weights = ", ".join(f"{k} {v:.2f}" for k, v in trained.ranker.weights.items())
        typer.echo(f"staffing: weights {weights}")
        typer.echo(f"staffing: report and plot in {trained.report_dir}")

    @cli.command("recommend")
    def recommend(
        role: Annotated[str, typer.Option(help="The role to fill, e.g. 'Data Engineer'")] = "",
        skill: Annotated[
            list[str] | None, typer.Option("--skill", help="Required skill NAME:LEVEL (repeat)")
        ] = None,
        nice: Annotated[
            list[str] | None, typer.Option("--nice", help="Nice-to-have skill NAME:LEVEL (repeat)")
        ] = None,
        hours: Annotated[float, typer.Option(help="Hours per week")] = 40.0,
        start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD")] = "",
        end: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD")] = "",
        project: Annotated[
            int | None, typer.Option("--project", help="Project id: client history and bill rate")
        ] = None,
        region: Annotated[str | None, typer.Option(help="Required region")] = None,
        language: Annotated[
            list[str] | None, typer.Option("--language", help="Required language (repeat)")
        ] = None,
        cert: Annotated[
            list[str] | None, typer.Option("--cert", help="Required certification (repeat)")
        ] = None,
        budget_rate: Annotated[
            float | None, typer.Option(help="Hourly rate billed for the role")
        ] = None,
        top: Annotated[int, typer.Option(help="How many candidates")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Rank consultants for a role: hard constraints first, then skill fit, availability,
        margin, utilization and client history, with a sentence of reasons each."""
        from app.loaders.staffing import build, load_champion
        from models.encoder import MiniLMEncoder
        from models.staffing import SkillNeed, StaffingRequest

        if not start or not end:
            raise typer.BadParameter("give --start and --end (YYYY-MM-DD)", param_hint="--start")
        req = StaffingRequest(
            role=role,
            start=parse_day(start, "--start"),
            end=parse_day(end, "--end"),
            hours_per_week=hours,
            required=tuple(SkillNeed(*parse_skill(s, "--skill")) for s in skill or []),
            nice_to_have=tuple(SkillNeed(*parse_skill(s, "--nice")) for s in nice or []),
            region=region,
            languages=tuple(language or []),
            certifications=tuple(cert or []),
            budget_rate=budget_rate,
            project_id=project,
            top=top,
        )
        settings = get_settings()
        ranker = load_champion(settings)
        if ranker is None:
            typer.secho(
                "error: no staffing-ranker champion is registered; run `opscopilot train "
                "staffing` (or `opscopilot bootstrap`)",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1)
        recommender = build(settings, MiniLMEncoder(), ranker)
        with command_session() as (_, session):
            recommender.refresh(session)
            rec = recommender.recommend(session, req)
        if as_json:
            echo_json([_row(c) for c in rec.candidates])
            return
        for i, c in enumerate(rec.candidates, start=1):
            typer.echo(f"{i:>2}. {c.name} ({c.title}, {c.region})  score {c.score:.3f}")
            typer.echo(f"    {c.reasons}")
        excluded = ", ".join(f"{n} {k}" for k, n in sorted(rec.excluded.items())) or "none"
        typer.echo(
            f"({len(rec.candidates)} shown of {rec.considered} considered; excluded by "
            f"constraint: {excluded}; staffing-ranker v{rec.model_version})"
        )


def _row(c: Any) -> dict[str, Any]:
    return {
        "consultant_id": c.consultant_id,
        "external_id": c.external_id,
        "name": c.name,
        "title": c.title,
        "region": c.region,
        "score": round(c.score, 4),
        "parts": {k: round(v, 4) for k, v in c.parts.items()},
        "reasons": c.reasons,
    }
