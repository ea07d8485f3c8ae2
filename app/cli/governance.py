"""Approval-queue commands: ``proposals``, ``audit``, ``outbox``, ``dispatch``, ``policies``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from app.cli.common import command_session, echo_json


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not an ISO date-time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(cli: typer.Typer) -> None:
    proposals = typer.Typer(help="The approval queue.", no_args_is_help=True)
    audit = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
    outbox = typer.Typer(help="Outbound webhook deliveries.", no_args_is_help=True)
    policies = typer.Typer(help="Approval policies and engagement templates.", no_args_is_help=True)
    cli.add_typer(proposals, name="proposals")
    cli.add_typer(audit, name="audit")
    cli.add_typer(outbox, name="outbox")
    cli.add_typer(policies, name="policies")

    @proposals.command("expire")
    def proposals_expire(
        now: str | None = typer.Option(None, help="Act as if it were this time (ISO, UTC)"),
    ) -> None:
        """Escalate proposals due a step, then expire those past their SLA (never acted on)."""
        from governance.service import Governance

        gov = Governance.load()
        with command_session() as (_, session):
            report = gov.sweep(session, _when(now))
        typer.echo(f"escalated {len(report.escalated)}: {report.escalated}")
        typer.echo(f"expired {len(report.expired)}: {report.expired}")

    @proposals.command("list")
    def proposals_list(
        status: str | None = typer.Option("pending", help="pending, accepted, ... ('' for all)"),
        limit: int = typer.Option(50, min=1, max=500),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """List proposals firm-wide, newest first."""
        from governance.actor import Actor
        from governance.schemas import ProposalFilters
        from governance.service import Governance

        gov = Governance.load()
        with command_session() as (_, session):
            page = gov.list_proposals(
                session, Actor("cli", "admin"), ProposalFilters(status=status or None), limit=limit
            )
        if as_json:
            echo_json([p.model_dump(mode="json") for p in page.items])
            return
        for p in page.items:
            flag = " OVERDUE" if p.overdue else ""
            typer.echo(
                f"{p.id:>6} {p.type:<21} {p.status:<20} {p.assignee_group:<20} "
                f"due {p.due_at:%Y-%m-%d %H:%M}{flag}"
            )

    @audit.command("verify")
    def audit_verify() -> None:
        """Check every link of the audit chain; exit 1 at the first broken one."""
        from governance import audit as chain

        with command_session() as (_, session):
            result = chain.verify(session)
        typer.echo(result.report())
        if not result.ok:
            raise typer.Exit(1)

    @outbox.command("list")
    def outbox_list(
        status: str | None = typer.Option(None, help="pending, delivering, delivered or dead"),
        limit: int = typer.Option(50, min=1, max=1000),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """List webhook deliveries, newest first."""
        _print_deliveries(status, limit, as_json)

    @outbox.command("dead")
    def outbox_dead(
        limit: int = typer.Option(50, min=1, max=1000),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """List dead letters: deliveries that failed every attempt."""
        _print_deliveries("dead", limit, as_json)

    @outbox.command("redeliver")
    def outbox_redeliver(delivery_id: int) -> None:
        """Queue a dead (or delivered) delivery again with a fresh attempt budget."""
        from domain.types import utcnow
        from governance import outbox as box

        with command_session() as (_, session):
            row = box.redeliver(session, delivery_id, actor="cli", now=utcnow())
            typer.echo(f"delivery {row.id} to {row.endpoint} is pending again")

    @cli.command("dispatch")
    def dispatch(
        once: bool = typer.Option(False, "--once", help="One pass, then exit"),
        poll: float = typer.Option(1.0, help="Seconds to wait when there is nothing to send"),
        max_attempts: int = typer.Option(8, min=1, help="Attempts before a dead letter"),
    ) -> None:
        """Deliver outbox events to the configured webhooks (settings.webhook_urls)."""
        import threading

        from app.runtime import open_runtime
        from governance.dispatcher import Dispatcher

        runtime = open_runtime()
        settings = runtime.settings
        if not settings.webhook_urls:
            typer.echo("no webhook_urls configured (OPSCOPILOT_WEBHOOK_URLS); nothing to deliver")
        worker = Dispatcher(
            runtime.sessions,
            settings.webhook_urls,
            settings.webhook_secret.get_secret_value(),
            max_attempts=max_attempts,
        )
        try:
            if once:
                typer.echo(str(worker.run_once()))
                return
            typer.echo(f"{worker.name}: dispatching to {len(settings.webhook_urls)} endpoint(s)")
            try:
                worker.run(threading.Event(), poll_seconds=poll)
            except KeyboardInterrupt:
                typer.echo("stopped")
        finally:
            runtime.engine.dispose()

    @policies.command("check")
    def policies_check(
        policy_file: Path | None = typer.Option(None, "--policies", help="Default: the shipped"),
        template_file: Path | None = typer.Option(None, "--templates", help="Default: shipped"),
    ) -> None:
        """Validate policy and template files; exit 1 naming the file and field if broken."""
        from governance.policies import DEFAULT_POLICY_PATH, load_policies
        from governance.templates import DEFAULT_TEMPLATE_PATH, load_templates
        from governance.yamlconfig import ConfigFileError

        try:
            pol = load_policies(policy_file or DEFAULT_POLICY_PATH)
            load_templates(template_file or DEFAULT_TEMPLATE_PATH)
        except ConfigFileError as exc:
            typer.secho(str(exc), fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from exc
        rules = sum(len(t.rules) for t in pol.types.values())
        typer.echo(f"policies ok ({pol.fingerprint}): {len(pol.groups)} groups, {rules} rules")


def _print_deliveries(status: str | None, limit: int, as_json: bool) -> None:
    from governance import outbox as box

    with command_session() as (_, session):
        rows: list[dict[str, Any]] = [
            {"id": d.id, "event_id": e.event_id, "type": e.type, "endpoint": d.endpoint,
             "status": d.status, "attempts": d.attempts, "last_status": d.last_status,
             "last_error": d.last_error, "next_attempt_at": d.next_attempt_at}
            for d, e in box.list_deliveries(session, status=status, limit=limit)
        ]  # fmt: skip
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        typer.echo(
            f"{r['id']:>6} {r['status']:<10} {r['type']:<24} attempts={r['attempts']:<2} "
            f"{r['endpoint']}  {r['last_error'][:60]}"
        )
