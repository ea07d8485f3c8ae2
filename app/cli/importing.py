"""``opscopilot import consultants|projects|history|requests FILE``: load a firm's own data.

Formats are described in docs/data-formats.md. A file with any bad row is rejected whole and
every problem is printed, one per line, so the file can be fixed in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from app.cli.common import command_session, echo_json
from app.runtime import Runtime
from domain.errors import OpsError
from domain.importers import IMPORTERS, ImportRejected, import_file

SUMMARIES = {
    "consultants": "Consultants with skills, certifications and languages.",
    "projects": "Projects with their client, milestones and assignments.",
    "history": "Finished projects (estimate vs actual hours), kept as the firm's record.",
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
        with command_session() as (runtime, session):
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
        if kind == "consultants":
            _refresh_staffing_index(runtime, quiet=as_json)

    return run


def _refresh_staffing_index(runtime: Runtime, *, quiet: bool) -> None:
    """Re-embed the consultants the import changed, so staffing searches see them at once.

    A running server re-checks its index at start-up; this keeps the index on disk current
    for it and for the next ``recommend``.
    """
    from app.loaders.staffing import refresh_after_import

    refreshed = refresh_after_import(runtime)
    if quiet:
        return
    if refreshed is None:
        typer.echo("staffing index: no staffing model registered yet; it is built at bootstrap")
    else:
        typer.echo(
            f"staffing index: {refreshed.upserted} profile(s) re-embedded, "
            f"{refreshed.removed} removed"
        )


def _print_failure(exc: OpsError, as_json: bool) -> None:
    if as_json:
        echo_json({"error": exc.code, "detail": exc.detail, **exc.extra})
        return
    typer.secho(f"error: {exc.detail}", fg=typer.colors.RED, err=True)
    if isinstance(exc, ImportRejected):
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
