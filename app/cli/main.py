"""Entry point of the ``opscopilot`` command.

Sub-commands import their heavy dependencies inside the command body so that ``--help`` and
quick commands stay fast.
"""

from __future__ import annotations

import typer

from app.cli import admin, agent_cmd, data, feedback_cmd, governance, models, serve
from app.settings import configure_process_environment

cli = typer.Typer(
    name="opscopilot",
    help="OpsCopilot: an operations copilot whose every action is a governed proposal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
admin.register(cli)
data.register(cli)
serve.register(cli)
models.register(cli)
governance.register(cli)
feedback_cmd.register(cli)
agent_cmd.register(cli)


def main() -> None:
    configure_process_environment()
    cli()


if __name__ == "__main__":
    main()
