"""All configuration, read once from the environment (prefix ``OPSCOPILOT_``).

Nothing else in the project reads the environment: lower floors receive the values they need
from here through constructors. Nested groups use ``__`` in variable names, for example
``OPSCOPILOT_DATABASE__URL`` or ``OPSCOPILOT_LLM__API_KEY``; the database URL also has the
short form ``OPSCOPILOT_DATABASE_URL``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"


class DatabaseSettings(BaseModel):
    url: str = ""  # empty: SQLite file under the data directory
    echo: bool = False
    pool_size: int = 5


class LLMSettings(BaseModel):
    provider: Literal["offline", "openai"] = "offline"
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key: SecretStr | None = None
    timeout_seconds: float = 20.0
    max_retries: int = 1


class VectorStoreSettings(BaseModel):
    uri: str = ""  # empty: a LanceDB folder under the data directory
    table: str = "consultants"
    # Below this many consultants, search runs over vectors held in memory; above it, over a
    # LanceDB ANN index (an exact scan of a small firm is faster than LanceDB's fixed cost).
    ann_threshold: int = 20_000


class MLflowSettings(BaseModel):
    tracking_uri: str = ""  # empty: SQLite store under the data directory
    experiment: str = "opscopilot"
    ui_host: str = "127.0.0.1"
    ui_port: int = 5000
    serve_ui: bool = True
    # Trace every copilot run (spans per node and LLM call); the proposal keeps the trace id.
    trace_runs: bool = True
    # Deliver approvers' decisions to MLflow from a thread inside the app. Off when another
    # process runs `opscopilot feedback deliver`, and in tests that drive delivery themselves.
    feedback_worker: bool = True


class AuthSettings(BaseModel):
    # The browser session cookie carries the user's API key (HttpOnly), so no signing key.
    session_cookie: str = "opscopilot_session"
    session_hours: int = 12


class RiskSettings(BaseModel):
    flag_threshold: float = 0.5
    # Severity bands, by overrun probability: below the first is "low", and so on.
    bands: tuple[float, float, float] = (0.3, 0.5, 0.7)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="OPSCOPILOT_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = Field(
        default="", validation_alias=AliasChoices("OPSCOPILOT_DATABASE_URL", "database_url")
    )
    database: DatabaseSettings = DatabaseSettings()
    llm: LLMSettings = LLMSettings()
    vector_store: VectorStoreSettings = VectorStoreSettings()
    mlflow: MLflowSettings = MLflowSettings()
    auth: AuthSettings = AuthSettings()
    risk: RiskSettings = RiskSettings()
    webhook_urls: list[str] = []
    webhook_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        # Receivers verify webhooks with this secret: a known value would let anyone forge them.
        if (
            self.environment == "production"
            and self.webhook_secret.get_secret_value() == PLACEHOLDER_SECRET
        ):
            raise ValueError(
                f"webhook_secret is still the placeholder {PLACEHOLDER_SECRET!r}; set "
                "OPSCOPILOT_WEBHOOK_SECRET to a real secret"
            )
        return self

    @property
    def db_url(self) -> str:
        """The database URL in force: the short variable wins, then the nested group."""
        url = self.database_url or self.database.url
        return url or f"sqlite:///{(self.data_dir / 'opscopilot.db').resolve()}"

    @property
    def lancedb_uri(self) -> str:
        return self.vector_store.uri or str((self.data_dir / "lancedb").resolve())

    @property
    def mlflow_uri(self) -> str:
        return self.mlflow.tracking_uri or f"sqlite:///{(self.data_dir / 'mlflow.db').resolve()}"

    @property
    def mlflow_artifacts_dir(self) -> Path:
        return (self.data_dir / "mlartifacts").resolve()


@lru_cache
def get_settings() -> Settings:
    return Settings()


def configure_process_environment() -> None:
    """Environment the libraries read themselves: stay offline and keep thread pools small.

    Called once by the entry points (CLI, app) before heavy imports.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
