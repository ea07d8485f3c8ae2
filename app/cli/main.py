"""Entry point of the ``opscopilot`` command.

Sub-commands import their heavy dependencies inside the command body so that ``--help`` and
quick commands stay fast.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from pydantic import BaseModel, ValidationError
from pydantic_settings import SettingsError
from typer.core import TyperGroup

from app.cli import admin, agent_cmd, data, feedback_cmd, governance, models, serve
from app.settings import Settings, configure_process_environment

PREFIX = str(Settings.model_config.get("env_prefix", ""))
NESTED = str(Settings.model_config.get("env_nested_delimiter", "__"))
# Values that may hold a credential are not echoed back.
_SECRET = re.compile(r"SECRET|KEY|PASSWORD|TOKEN|URL", re.IGNORECASE)


class Commands(TyperGroup):
    """The command group: a bad setting ends any command with what to fix, not a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click.Context, which it does not export
        try:
            return super().invoke(ctx)
        except (ValidationError, SettingsError) as exc:
            if isinstance(exc, ValidationError) and exc.title != Settings.__name__:
                raise
            for problem in settings_problems(exc):
                typer.secho(f"error: {problem}", fg=typer.colors.RED, err=True)
            raise typer.Exit(2) from None


def settings_problems(exc: ValidationError | SettingsError) -> list[str]:
    """One line per bad setting: the variable to fix and what is wrong with its value."""
    if isinstance(exc, SettingsError):
        return [_unparsable(exc)]
    problems = []
    for err in exc.errors():
        message = err["msg"].removeprefix("Value error, ")
        if not err["loc"]:
            problems.append(message)  # checks across fields name their variables themselves
            continue
        name, where = _variable(err["loc"])
        value = err["input"]
        if isinstance(value, str | int | float) and not _SECRET.search(name):
            message += f" (got {value!r})"
        problems.append(f"{name}{where}: {message}")
    return problems


def _variable(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """``("llm", "timeout_seconds")`` -> ``OPSCOPILOT_LLM__TIMEOUT_SECONDS``; list items apart."""
    path = [str(p) for p in loc if isinstance(p, str)]
    items = [f" (item {p + 1})" for p in loc if isinstance(p, int)]
    name = NESTED.join(path).upper()
    return (name if name.startswith(PREFIX) else PREFIX + name), "".join(items)


def _unparsable(exc: SettingsError) -> str:
    # pydantic-settings names the field, not the variable: 'error parsing value for field "x"'.
    found = re.search(r'field "([^"]+)"', str(exc))
    if found is None:
        return str(exc)
    field = found[1]
    name = PREFIX + field.upper()
    annotation = Settings.model_fields[field].annotation if field in Settings.model_fields else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        name = f"{name} or one of the {name}{NESTED}* variables"
    cause = f" ({exc.__cause__})" if exc.__cause__ else ""
    return f'{name}: not valid JSON{cause}; write a list as ["a", "b"], a group as {{"k": 1}}'


cli = typer.Typer(
    cls=Commands,
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
