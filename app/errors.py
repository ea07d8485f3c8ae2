"""Render every error the same way: ``{"error": code, "detail": message}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import OpsError


def _field(loc: tuple[object, ...]) -> str:
    # ("body", "payload", "hours") -> "payload.hours"; the location kind is implied by the route.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0]) if loc else ""


def _problem(error: dict[str, Any]) -> tuple[dict[str, str], str]:
    """One problem for ``problems`` and its sentence for ``detail``."""
    if error.get("type") == "json_invalid":
        # FastAPI puts the character position where a field name would be: ("body", 1).
        where = error.get("loc", ())[-1]
        why = error.get("ctx", {}).get("error", "unreadable")
        reason = f"not valid JSON: {why} at position {where}"
        return {"field": "body", "reason": reason}, f"the body is {reason}"
    field = _field(tuple(error.get("loc", ())))
    reason = error.get("msg", "invalid")
    return {"field": field, "reason": reason}, f"{field}: {reason}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OpsError)
    async def ops_error(_: Request, exc: OpsError) -> JSONResponse:
        body: dict[str, object] = {"error": exc.code, "detail": exc.detail}
        if exc.extra:
            body.update(exc.extra)
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        found = [_problem(e) for e in exc.errors()]
        problems = [p for p, _ in found]
        summary = "; ".join(sentence for _, sentence in found)
        return JSONResponse(
            {"error": "invalid_input", "detail": summary, "problems": problems}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            {"error": code, "detail": exc.detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
