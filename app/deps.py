"""Dependencies the routers declare: a session per request, the signed-in user, role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.runtime import Runtime
from app.settings import Settings
from domain import users
from domain.db import end_read, unit_of_work
from domain.errors import Forbidden, Unauthorized
from domain.tables import User
from domain.types import Role

bearer = HTTPBearer(auto_error=False, description="An API key from `opscopilot users add`")


# Dependencies that only read attributes are ``async``: FastAPI then calls them on the event
# loop, where a plain ``def`` would cost a hand-off to a worker thread and back on every
# request. Anything that touches the database stays a plain ``def``.


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_session(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Iterator[Session]:
    """One transaction per request: committed if the handler returns, rolled back if it raises.

    Declared with ``scope="function"`` (below) so the commit happens before the response is
    sent: a client never sees a 2xx for a write that then fails to commit.
    """
    with unit_of_work(runtime.sessions) as session:
        yield session


async def get_settings_dep(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Settings:
    return runtime.settings


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def _token(request: Request, creds: HTTPAuthorizationCredentials | None) -> str | None:
    if creds is not None:
        return creds.credentials
    # Browser pages sign in once and carry the key in an HttpOnly cookie.
    cookie_name = request.app.state.runtime.settings.auth.session_cookie
    return request.cookies.get(cookie_name)


def get_current_user(
    request: Request,
    session: SessionDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    token = _token(request, creds)
    if not token:
        raise Unauthorized("Missing credentials: send 'Authorization: Bearer <API key>'")
    user = users.authenticate(session, token)
    end_read(session)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through only users holding one of ``roles`` (admins always)."""
    allowed = {r.value for r in roles} | {Role.admin.value}

    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(
                f"Role {user.role!r} may not do this; needs one of: {', '.join(sorted(allowed))}"
            )
        return user

    return check
