"""The copilot's housekeeping: ``agent prune-checkpoints``."""

from __future__ import annotations

from datetime import timedelta

import typer


def register(cli: typer.Typer) -> None:
    agent = typer.Typer(help="The copilot's runs.", no_args_is_help=True)
    cli.add_typer(agent, name="agent")

    @agent.command("prune-checkpoints")
    def prune_checkpoints(
        older_than_days: int = typer.Option(
            30, min=1, help="Only runs that ended at least this many days ago"
        ),
        dry_run: bool = typer.Option(False, "--dry-run", help="Count them, delete nothing"),
    ) -> None:
        """Delete the LangGraph checkpoints of runs that ended long ago.

        Runs waiting for a decision, running or failed keep theirs; every run keeps its row
        (intent, proposals, timings, trace id).
        """
        from agents import retention
        from agents.checkpoint import open_checkpointer
        from app.cli.common import command_session
        from domain.types import utcnow

        before = utcnow() - timedelta(days=older_than_days)
        with command_session() as (runtime, _):
            store = open_checkpointer(runtime.settings.db_url, runtime.settings.data_dir)
            try:
                count = retention.prune_checkpoints(
                    runtime.sessions,
                    store.saver,
                    before=before,
                    dry_run=dry_run,
                    progress=lambda done, total: typer.echo(f"  {done}/{total} runs", err=True),
                )
            finally:
                store.close()
        runs = f"{count} finished run{'' if count == 1 else 's'}"
        when = f"ended before {before:%Y-%m-%d %H:%M} UTC"
        if dry_run:
            typer.echo(f"{runs} {when}: checkpoints to delete (nothing deleted)")
        else:
            typer.echo(f"deleted the checkpoints of {runs} {when}")
