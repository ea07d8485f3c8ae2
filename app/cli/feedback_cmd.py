"""``opscopilot feedback``: deliver decision feedback to MLflow, and report override metrics."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from app.cli.common import command_session


def _date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD) or ISO date-time", param_hint=option
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(cli: typer.Typer) -> None:
    feedback = typer.Typer(
        help="Approver decisions as feedback on agent traces in MLflow, and override metrics.",
        no_args_is_help=True,
    )
    cli.add_typer(feedback, name="feedback")

    @feedback.command("deliver")
    def deliver(
        once: bool = typer.Option(False, "--once", help="Deliver what is due now, then exit"),
        poll: float = typer.Option(2.0, help="Seconds to wait when nothing is due"),
        retry_failed: bool = typer.Option(
            False, "--retry-failed", help="First give failed deliveries a fresh attempt budget"
        ),
        max_attempts: int = typer.Option(24, min=1, help="Attempts before a delivery fails"),
    ) -> None:
        """Send pending decision feedback to the MLflow store (settings.mlflow)."""
        import time

        from app.feedback.sink import MlflowFeedbackSink
        from app.feedback.worker import FeedbackWorker
        from domain.db import unit_of_work
        from domain.types import utcnow
        from governance import feedback_queue as queue

        with command_session() as (runtime, session):
            if retry_failed:
                n = queue.requeue_failed(session, now=utcnow())
                typer.echo(f"{n} failed deliveries queued again")
            counts = queue.status_counts(session)
        typer.echo(_counts_line(counts))
        worker = FeedbackWorker(
            runtime.sessions,
            MlflowFeedbackSink(runtime.settings.mlflow_uri),
            max_attempts=max_attempts,
        )
        try:
            if once:
                report = worker.drain()
                typer.echo(str(report))
                with unit_of_work(runtime.sessions) as s:
                    typer.echo(_counts_line(queue.status_counts(s)))
                return
            typer.echo(f"{worker.name}: delivering feedback (Ctrl-C to stop)")
            try:
                while True:
                    report = worker.run_once()
                    if report.claimed:
                        typer.echo(f"{datetime.now(UTC):%H:%M:%S} {report}")
                    if not worker.busy(report):
                        time.sleep(poll)
            except KeyboardInterrupt:
                typer.echo("stopped")
        finally:
            runtime.engine.dispose()

    @feedback.command("status")
    def status() -> None:
        """How many decisions' feedback is delivered, waiting, failed or has no trace."""
        from governance import feedback_queue as queue

        with command_session() as (_, session):
            counts = queue.status_counts(session)
            oldest = queue.oldest_waiting(session)
        typer.echo(_counts_line(counts))
        if oldest is not None:
            typer.echo(f"oldest undelivered feedback is from {oldest:%Y-%m-%d %H:%M} UTC")

    @feedback.command("backfill")
    def backfill() -> None:
        """Write feedback rows for decisions made before feedback was recorded."""
        from governance.feedback import backfill as fill

        total = 0
        while True:
            with command_session() as (_, session):
                n = fill(session)
            if not n:
                break
            total += n
            typer.echo(f"... {total} decisions so far")
        typer.echo(f"backfilled feedback for {total} decisions")

    @feedback.command("report")
    def report(
        since: str | None = typer.Option(None, help="Only decisions from this date (YYYY-MM-DD)"),
        until: str | None = typer.Option(None, help="Only decisions before this date"),
        log: bool = typer.Option(True, "--log/--no-log", help="Record the report in MLflow"),
    ) -> None:
        """Override metrics as tables, and as an MLflow run with plots.

        Acceptance, edit, override, reject and expiry rates by proposal type, model and prompt
        version, practice, approver and reason code; time to decision; the weekly trend.
        """
        from app.feedback.report import override_metrics
        from app.feedback.tables import render_report

        start, end = _date(since, "--since"), _date(until, "--until")
        typer.echo("reading decisions ...")
        with command_session() as (runtime, session):
            metrics = override_metrics(session, start, until=end)
        typer.echo(render_report(metrics))
        if not log:
            return
        from app.feedback.mlflow_ui import mlflow_links
        from app.feedback.publish import log_report

        settings = runtime.settings
        typer.echo("\nlogging the report to MLflow (creating a new store takes a few seconds) ...")
        reports_dir = settings.data_dir.resolve() / "reports" / "feedback"
        run_id = log_report(
            metrics,
            tracking_uri=settings.mlflow_uri,
            experiment=settings.mlflow.experiment,
            artifacts_dir=settings.mlflow_artifacts_dir,
            reports_dir=reports_dir,
        )
        typer.echo(f"logged MLflow run {run_id}; plots and tables in {reports_dir / run_id}")
        typer.echo(f"open it: {mlflow_links(settings).run(run_id)}")


def _counts_line(counts: dict[str, int]) -> str:
    order = ("delivered", "pending", "delivering", "failed", "no_trace")
    shown = [f"{k} {counts.get(k, 0)}" for k in order]
    shown += [f"{k} {v}" for k, v in sorted(counts.items()) if k not in order]
    return "feedback: " + ", ".join(shown)
