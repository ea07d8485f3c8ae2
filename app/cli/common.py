"""Helpers shared by CLI commands: open the runtime, print JSON, turn errors into exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from sqlalchemy.orm import Session

from app.runtime import Runtime, open_runtime
from domain.db import unit_of_work
from domain.errors import OpsError


@contextmanager
def command_session() -> Iterator[tuple[Runtime, Session]]:
    """A migrated database and one transaction for the command; errors exit with code 1."""
    runtime = open_runtime()
    try:
        with unit_of_work(runtime.sessions) as session:
            yield runtime, session
    except OpsError as exc:
        typer.secho(f"error: {exc.detail}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    finally:
        runtime.engine.dispose()


def echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))
