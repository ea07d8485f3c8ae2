"""One error base for the whole service.

Every error a person can act on is an ``OpsError`` with an HTTP status and a stable ``code``;
the app renders it as ``{"error": code, "detail": message}``. Subclasses live beside the code
that raises them.
"""

from __future__ import annotations

from typing import Any


class OpsError(Exception):
    status_code: int = 400
    code: str = "bad_request"

    def __init__(self, detail: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}


class NotFound(OpsError):
    status_code = 404
    code = "not_found"

    @classmethod
    def of(cls, kind: str, key: object) -> NotFound:
        return cls(f"No {kind} with id {key!r}", extra={"kind": kind, "id": str(key)})


class Conflict(OpsError):
    status_code = 409
    code = "conflict"


class InvalidInput(OpsError):
    status_code = 422
    code = "invalid_input"


class Forbidden(OpsError):
    status_code = 403
    code = "forbidden"


class Unauthorized(OpsError):
    status_code = 401
    code = "unauthorized"
