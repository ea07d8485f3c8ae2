"""Loading data: ``seed-demo`` (app/cli/seed.py) and ``import`` (app/cli/importing.py)."""

from __future__ import annotations

import typer

from app.cli import importing, seed


def register(cli: typer.Typer) -> None:
    seed.register(cli)
    importing.register(cli)
