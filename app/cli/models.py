"""Model commands: ``train``, ``classify``, ``recommend``, ``risk``, ``eval``, ``tune``.

Each model's commands live in their own module and attach here.
"""

from __future__ import annotations

import typer

from app.cli import classifier_cmd, eval_cmd, risk_cmd, staffing_cmd, tuning_cmd


def register(cli: typer.Typer) -> None:
    train = typer.Typer(help="Train a model on the firm's data or a file.", no_args_is_help=True)
    cli.add_typer(train, name="train")
    for module in (classifier_cmd, staffing_cmd, risk_cmd, eval_cmd, tuning_cmd):
        module.register(cli, train)
