"""Settings: laptop defaults, nested variables, and the placeholder-secret guard."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings


def test_defaults_run_on_a_laptop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    s = Settings(data_dir=tmp_path / "var")
    assert s.db_url == f"sqlite:///{(tmp_path / 'var' / 'opscopilot.db').resolve()}"
    assert s.llm.provider == "offline"
    assert s.llm.api_key is None
    assert s.mlflow_uri.startswith("sqlite:///")


def test_nested_groups_come_from_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_LLM__PROVIDER", "openai")
    monkeypatch.setenv("OPSCOPILOT_LLM__BASE_URL", "http://127.0.0.1:9999/v1")
    monkeypatch.setenv("OPSCOPILOT_LLM__API_KEY", "sk-test")
    monkeypatch.setenv("OPSCOPILOT_DATABASE__POOL_SIZE", "9")
    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    s = Settings()
    assert s.llm.provider == "openai"
    assert s.llm.api_key is not None and s.llm.api_key.get_secret_value() == "sk-test"
    assert s.database.pool_size == 9
    assert s.db_url == "postgresql://postgres@127.0.0.1:5432/test"


def test_a_bad_value_names_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_DATABASE__POOL_SIZE", "many")
    with pytest.raises(ValidationError, match=r"database\.pool_size"):
        Settings()


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSCOPILOT_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match=r"webhook_secret is still the placeholder"):
        Settings()
    monkeypatch.setenv("OPSCOPILOT_WEBHOOK_SECRET", "a-real-secret")
    assert Settings().environment == "production"


def test_development_accepts_the_placeholder() -> None:
    assert Settings(environment="development").webhook_secret.get_secret_value() == "change-me"
