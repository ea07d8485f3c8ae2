"""Errors the copilot raises, each with the HTTP status a person should see."""

from __future__ import annotations

from domain.errors import OpsError


class CopilotUnavailable(OpsError):
    status_code = 503
    code = "copilot_unavailable"


class AgentRunFailed(OpsError):
    status_code = 500
    code = "agent_run_failed"
