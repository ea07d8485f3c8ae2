"""Render every error the same way: ``{"error": code, "detail": message}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import OpsError


def _field(loc: tuple[object, ...]) -> str:
    # ("body", "payload", "hours") -> "payload.hours"; the location kind is implied by the route.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0]) if loc else ""


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OpsError)
    async def ops_error(_: Request, exc: OpsError) -> JSONResponse:
        body: dict[str, object] = {"error": exc.code, "detail": exc.detail}
        if exc.extra:
            body.update(exc.extra)
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": _field(tuple(e.get("loc", ()))), "reason": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['reason']}" for p in problems)
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
