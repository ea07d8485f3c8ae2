"""Page routes render errors as pages: a person in a browser gets a sign-in redirect, a 403
page, a 404 page or a 422 page, never the JSON the API returns for the same error."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from app.web.templating import render
from app.web.viewer import SignInRequired
from domain.errors import OpsError

log = logging.getLogger(__name__)

TITLES = {
    400: "That request could not be used",
    403: "You do not have access to this page",
    404: "Nothing here",
    409: "Someone got there first",
    422: "Some details need fixing",
    503: "A service is not available yet",
}


def error_page(request: Request, status: int, detail: str, *, code: str = "") -> Response:
    return render(
        request,
        "error.html",
        {"status": status, "title": TITLES.get(status, "Something went wrong"), "detail": detail,
         "code": code},
        status_code=status,
    )  # fmt: skip


def sign_in_redirect(request: Request, *, expired: bool = False) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = f"/signin?next={quote(target, safe='')}" + ("&expired=1" if expired else "")
    return RedirectResponse(url, status_code=303)


def bad_query(exc: RequestValidationError) -> str | None:
    """What to fix in the address's query, or None when a path value is wrong (no such page)."""
    errors = exc.errors()
    if not errors or any(tuple(e.get("loc", ()))[:1] != ("query",) for e in errors):
        return None
    fixes = []
    for e in errors:
        name = ".".join(str(p) for p in e["loc"][1:])
        msg = str(e.get("msg", "is not valid"))
        given = repr(e.get("input"))
        given = given if len(given) <= 40 else given[:37] + "..."
        fixes.append(f"{name}={given}: {msg[:1].lower()}{msg[1:]}")
    return "The address has a value this page cannot use. " + "; ".join(fixes) + "."


def _rollback(request: Request) -> None:
    session: Session | None = getattr(request.state, "web_session", None)
    if session is not None:
        session.rollback()


class PageRoute(APIRoute):
    """An ``APIRoute`` whose errors become HTML pages (and whose session rolls back)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired as exc:
                _rollback(request)
                return sign_in_redirect(request, expired=exc.expired)
            except OpsError as exc:
                _rollback(request)
                return error_page(request, exc.status_code, exc.detail, code=exc.code)
            except RequestValidationError as exc:
                _rollback(request)
                if (fix := bad_query(exc)) is not None:
                    return error_page(request, 422, fix, code="invalid_input")
                return error_page(request, 404, "The address does not match any page.")

        return page_handler


def page_router() -> APIRouter:
    return APIRouter(route_class=PageRoute, include_in_schema=False)
