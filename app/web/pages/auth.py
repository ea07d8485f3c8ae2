"""Sign-in with an API key, sign-out, and the landing redirect."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import RuntimeDep
from app.web.forms import read_form
from app.web.routing import page_router
from app.web.templating import render
from app.web.viewer import (
    PageSession,
    SignInRequired,
    Viewer,
    ViewerDep,
    clear_session_cookie,
    cookie_name,
    current_viewer,
    safe_next,
    set_session_cookie,
)
from domain import users
from domain.errors import Unauthorized

router = page_router()


@router.get("/")
def landing(viewer: ViewerDep) -> Response:
    return RedirectResponse(viewer.home, status_code=303)


@router.get("/signin")
def sign_in_form(
    request: Request,
    session: PageSession,
    runtime: RuntimeDep,
    next_path: Annotated[str | None, Query(alias="next")] = None,
    expired: bool = False,
) -> Response:
    if request.cookies.get(cookie_name(runtime)):
        try:
            viewer = current_viewer(request, session, runtime)
        except SignInRequired:
            expired = True
        else:
            return RedirectResponse(safe_next(next_path, viewer.home), status_code=303)
    notice = "Your session has ended; sign in again." if expired else ""
    return render(request, "signin.html", {"next": safe_next(next_path, ""), "notice": notice})


@router.post("/signin")
async def sign_in(request: Request, session: PageSession, runtime: RuntimeDep) -> Response:
    form = await read_form(request)
    key = form.get("api_key").strip()
    target = form.get("next")
    try:
        if not key:
            raise Unauthorized("Enter your API key.")
        user = users.authenticate(session, key)
    except Unauthorized as exc:
        error = exc.detail if not key else "That key is not valid or has been revoked."
        return render(
            request,
            "signin.html",
            {"next": safe_next(target, ""), "error": error},
            status_code=401,
        )
    viewer = Viewer.of(user)
    response = RedirectResponse(safe_next(target, viewer.home), status_code=303)
    set_session_cookie(response, request, runtime, key)
    return response


@router.post("/signout")
async def sign_out(request: Request, runtime: RuntimeDep) -> Response:
    await read_form(request)
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response, runtime)
    return response
