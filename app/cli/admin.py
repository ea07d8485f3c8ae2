"""Database and user administration: ``db``, ``users``."""

from __future__ import annotations

from typing import Any

import typer

from app.cli.common import command_session, echo_json


def register(cli: typer.Typer) -> None:
    db = typer.Typer(help="Database schema.", no_args_is_help=True)
    users = typer.Typer(help="Users, roles and API keys.", no_args_is_help=True)
    cli.add_typer(db, name="db")
    cli.add_typer(users, name="users")

    @db.command("upgrade")
    def db_upgrade() -> None:
        """Apply every pending migration (also done by every command that opens the database)."""
        with command_session() as (runtime, _):
            typer.echo(f"database at head: {runtime.engine.url.render_as_string()}")

    @users.command("add")
    def users_add(
        email: str,
        name: str = typer.Option(..., help="Display name"),
        role: str = typer.Option(..., help="delivery_manager | approver | data_scientist | admin"),
        practice: list[str] = typer.Option([], help="Scope an approver to a practice (repeat)"),
        region: list[str] = typer.Option([], help="Scope an approver to a region (repeat)"),
    ) -> None:
        """Create a user and print their API key (shown once)."""
        from domain import users as svc

        with command_session() as (_, session):
            user = svc.create_user(
                session, email=email, name=name, role=role, practices=practice, regions=region
            )
            issued = svc.issue_key(session, user, label="cli")
        typer.echo(f"created {user.email} ({user.role})")
        typer.echo(f"API key (store it now, it is not shown again): {issued.key}")

    @users.command("key")
    def users_key(email: str) -> None:
        """Issue another API key for an existing user."""
        from domain import users as svc

        with command_session() as (_, session):
            issued = svc.issue_key(session, svc.get_user_by_email(session, email), label="cli")
        typer.echo(issued.key)

    @users.command("list")
    def users_list(as_json: bool = typer.Option(False, "--json")) -> None:
        """List users with their role, scope and whether they are active."""
        from domain import users as svc

        with command_session() as (_, session):
            rows: list[dict[str, Any]] = [
                {
                    "email": u.email,
                    "name": u.name,
                    "role": u.role,
                    "practices": u.practices,
                    "regions": u.regions,
                    "active": u.active,
                }
                for u in svc.list_users(session)
            ]
        if as_json:
            echo_json(rows)
            return
        for r in rows:
            scope = ",".join(r["practices"] + r["regions"]) or "all"
            state = "active" if r["active"] else "revoked"
            typer.echo(f"{r['email']:<40} {r['role']:<17} scope={scope:<30} {state}")

    @users.command("revoke")
    def users_revoke(email: str) -> None:
        """Deactivate a user and revoke all their keys."""
        from domain import users as svc

        with command_session() as (_, session):
            n = svc.revoke_user(session, email)
        typer.echo(f"revoked {email} ({n} key(s))")
