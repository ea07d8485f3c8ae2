"""``opscopilot import consultants|projects|history|requests FILE``: load a firm's own data.

Formats are described in docs/data-formats.md. A file with any bad row is rejected whole and
every problem is printed, one per line, so the file can be fixed in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from app.cli.common import command_session, echo_json
from domain.errors import OpsError
from domain.importers import IMPORTERS, ImportRejected, import_file

SUMMARIES = {
    "consultants": "Consultants with skills, certifications and languages.",
    "projects": "Projects with their client, milestones and assignments.",
    "history": "Finished projects (estimate vs actual hours) to train the overrun model.",
    "requests": "Incoming requests (emails, chat, tickets), optionally labelled.",
}


def register(cli: typer.Typer) -> None:
    importing = typer.Typer(
        help="Import the firm's own data from CSV or JSON (see docs/data-formats.md).",
        no_args_is_help=True,
    )
    cli.add_typer(importing, name="import")
    for kind in IMPORTERS:
        importing.command(
            kind,
            short_help=SUMMARIES[kind],
            help=f"{SUMMARIES[kind]} Re-importing a record updates it (matched by external_id).",
        )(_command(kind))


def _command(kind: str) -> Callable[[Path, bool], None]:
    def run(
        file: Path = typer.Argument(..., help="A .csv or .json file"),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        with command_session() as (_, session):
            try:
                report = import_file(session, kind, file)
            except OpsError as exc:
                # Raising Exit rolls the command's transaction back, though nothing was written.
                _print_failure(exc, as_json)
                raise typer.Exit(1) from exc
        if as_json:
            echo_json(report.as_dict())
        else:
            typer.echo("\n".join(report.lines()))

    return run


def _print_failure(exc: OpsError, as_json: bool) -> None:
    if as_json:
        echo_json({"error": exc.code, "detail": exc.detail, **exc.extra})
        return
    typer.secho(f"error: {exc.detail}", fg=typer.colors.RED, err=True)
    if isinstance(exc, ImportRejected):
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
