"""A bad setting ends every command with one line per variable to fix, exit code 2, no traceback."""

from __future__ import annotations

import pytest
from click.testing import Result
from typer.testing import CliRunner

from app.cli.main import cli

pytestmark = pytest.mark.usefixtures("cli_data_dir")


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _refused(result: Result) -> list[str]:
    """The error lines, after checking the command stopped cleanly with exit code 2."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # not a ValidationError's traceback
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    return lines


def test_production_with_the_placeholder_webhook_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_ENVIRONMENT", "production")
    (line,) = _refused(_run("audit", "verify"))
    assert "placeholder" in line and "OPSCOPILOT_WEBHOOK_SECRET" in line


def test_webhook_urls_that_are_not_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_WEBHOOK_URLS", "https://hooks.example.com/ops")
    (line,) = _refused(_run("train", "staffing"))
    assert line.startswith("error: OPSCOPILOT_WEBHOOK_URLS: not valid JSON")
    assert '["a", "b"]' in line


def test_one_line_per_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_ENVIRONMENT", "prod")
    monkeypatch.setenv("OPSCOPILOT_DATABASE__POOL_SIZE", "many")
    monkeypatch.setenv("OPSCOPILOT_LLM__TIMEOUT_SECONDS", "-")
    lines = _refused(_run("audit", "verify"))
    assert [line.split(":")[1].strip() for line in lines] == [
        "OPSCOPILOT_ENVIRONMENT",
        "OPSCOPILOT_DATABASE__POOL_SIZE",
        "OPSCOPILOT_LLM__TIMEOUT_SECONDS",
    ]
    assert "'development', 'test' or 'production' (got 'prod')" in lines[0]
    assert "valid integer" in lines[1] and "'many'" in lines[1]


def test_a_bad_credential_is_named_but_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_LLM", '{"api_key": 424242}')
    (line,) = _refused(_run("audit", "verify"))
    assert line.startswith("error: OPSCOPILOT_LLM__API_KEY: Input should be a valid string")
    assert "424242" not in line


def test_help_still_works_with_a_bad_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_ENVIRONMENT", "production")
    result = _run("audit", "--help")
    assert result.exit_code == 0 and "verify" in result.output
