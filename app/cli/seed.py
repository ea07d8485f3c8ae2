"""``opscopilot seed-demo``: fill an empty database with the demo firm and its users."""

from __future__ import annotations

from datetime import date

import typer

from app.settings import get_settings
from domain.errors import Conflict, OpsError


def register(cli: typer.Typer) -> None:
    @cli.command("seed-demo")
    def seed_demo_command(
        seed: int = typer.Option(
            7, help="Random seed; the same seed and --as-of give the same firm."
        ),
        as_of: str | None = typer.Option(
            None, "--as-of", help="The firm's 'today', YYYY-MM-DD (default: today)."
        ),
        if_empty: bool = typer.Option(
            False,
            "--if-empty",
            help="Do nothing, successfully, when the database already holds data.",
        ),
        scale: float = typer.Option(
            1.0, help="Size of the firm relative to the full demo (300 consultants); 0.05-2.0."
        ),
    ) -> None:
        """Seed the demo consultancy: people, clients, projects, 2+ years of history, demo users.

        Writes the demo users' API keys to <data dir>/demo-keys.json and prints them.
        """
        # The demo package pulls in numpy: import it only when the command runs.
        from app.demo.seed import seed_demo_cli

        day = _parse_day(as_of)
        try:
            seed_demo_cli(get_settings(), seed=seed, as_of=day, scale=scale, echo=typer.echo)
        except Conflict as exc:
            # seed_demo refuses a database that holds a firm before it generates anything.
            listed = ", ".join(f"{n} {what}" for what, n in exc.extra.items())
            if if_empty:
                typer.echo(f"Database already holds data ({listed}); demo not seeded.")
                return
            typer.secho(
                f"error: the database already holds data ({listed}). seed-demo only fills an empty "
                "database. Use --if-empty to skip seeding in that case, or point OPSCOPILOT_DATA_DIR "
                "(or OPSCOPILOT_DATABASE_URL) at a fresh location and run it again.",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1) from exc
        except OpsError as exc:
            typer.secho(f"error: {exc.detail}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from exc


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint="--as-of"
        ) from exc
