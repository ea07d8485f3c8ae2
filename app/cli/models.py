"""Model commands: ``train``, ``classify``, ``recommend``, ``risk``, ``eval``.

Each model's commands live in their own module and attach here.
"""

from __future__ import annotations

import importlib

import typer

MODULES = ("classifier_cmd", "staffing_cmd", "risk_cmd", "eval_cmd", "tuning_cmd")


def register(cli: typer.Typer) -> None:
    train = typer.Typer(help="Train a model on the firm's data or a file.", no_args_is_help=True)
    cli.add_typer(train, name="train")
    for name in MODULES:
        try:
            module = importlib.import_module(f"app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.cli.{name}":
                raise
            continue
        module.register(cli, train)
