"""Who is looking at a page, which pages their role opens, and the session cookie.

Pages sign in once with an API key; the key rides in an HttpOnly, SameSite=Lax cookie that the
JSON API also accepts (``app.deps``), so the pages' scripts call ``/v1`` with the same session.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.deps import RuntimeDep
from app.runtime import Runtime
from domain import users
from domain.db import end_read, unit_of_work
from domain.errors import Forbidden, Unauthorized
from domain.tables import User
from domain.types import Role
from governance.actor import Actor


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    roles: frozenset[str]


ALL_ROLES = frozenset(r.value for r in Role)
# Order is the navigation order. Data scientists get the inbox too: the policy routes
# promote_model proposals to them.
PAGES = (
    Page("chat", "Chat", "/chat", frozenset({Role.delivery_manager.value})),
    Page(
        "inbox", "Approvals", "/inbox", frozenset({Role.approver.value, Role.data_scientist.value})
    ),
    Page("metrics", "Metrics", "/metrics", frozenset({Role.data_scientist.value})),
    Page("portfolio", "Portfolio", "/portfolio", ALL_ROLES),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}
HOME = {
    Role.delivery_manager.value: "chat",
    Role.approver.value: "inbox",
    Role.data_scientist.value: "metrics",
    Role.admin.value: "inbox",
}
ROLE_LABELS = {
    Role.delivery_manager.value: "Delivery manager",
    Role.approver.value: "Approver",
    Role.data_scientist.value: "Data scientist",
    Role.admin.value: "Administrator",
}


@dataclass(frozen=True)
class Viewer:
    """The signed-in person as plain values, safe to use after a rollback: the approval
    queue's ``Actor`` (who may see and decide what) plus what the pages show of them."""

    actor: Actor
    user_id: int

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(Actor.of(user), user.id)

    @property
    def email(self) -> str:
        return self.actor.email

    @property
    def name(self) -> str:
        return self.actor.name

    @property
    def role(self) -> str:
        return self.actor.role

    def may_open(self, page: Page) -> bool:
        return self.role == Role.admin.value or self.role in page.roles

    @property
    def pages(self) -> list[Page]:
        return [p for p in PAGES if self.may_open(p)]

    @property
    def home(self) -> str:
        return PAGE_BY_KEY[HOME.get(self.role, "portfolio")].path

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def initials(self) -> str:
        parts = [w for w in (self.name or self.email).replace(".", " ").split() if w]
        return "".join(w[0] for w in parts[:2]).upper() or "?"


class SignInRequired(Exception):
    """No valid session: the page redirects to the sign-in form."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("sign in required")
        self.expired = expired


class PageForbidden(Forbidden):
    code = "page_forbidden"

    def __init__(self, page: Page, viewer: Viewer) -> None:
        allowed = ", ".join(ROLE_LABELS[r].lower() for r in sorted(page.roles))
        super().__init__(
            f"The {page.label} page is for {allowed} roles (and administrators). "
            f"You are signed in as {viewer.role_label.lower()}."
        )
        self.page = page


def cookie_name(runtime: Runtime) -> str:
    return runtime.settings.auth.session_cookie


def page_session(request: Request, runtime: RuntimeDep) -> Iterator[Session]:
    """One transaction per page request; error pages roll it back (see ``app.web.routing``)."""
    with unit_of_work(runtime.sessions) as session:
        request.state.web_session = session
        yield session


# Function scope: the session commits before the response leaves, so a redirect after a
# form post never shows a page that misses the write.
PageSession = Annotated[Session, Depends(page_session, scope="function")]


def current_viewer(request: Request, session: PageSession, runtime: RuntimeDep) -> Viewer:
    token = request.cookies.get(cookie_name(runtime))
    if not token:
        raise SignInRequired()
    try:
        user = users.authenticate(session, token)
    except Unauthorized:
        raise SignInRequired(expired=True) from None
    end_read(session)
    viewer = Viewer.of(user)
    request.state.viewer = viewer
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def require_page(key: str) -> Callable[[Viewer], Awaitable[Viewer]]:
    """A dependency letting through only viewers whose role opens page ``key``."""
    page = PAGE_BY_KEY[key]

    async def check(viewer: ViewerDep) -> Viewer:  # no I/O: on the event loop
        if not viewer.may_open(page):
            raise PageForbidden(page, viewer)
        return viewer

    return check


def set_session_cookie(response: Response, request: Request, runtime: Runtime, key: str) -> None:
    settings = runtime.settings
    response.set_cookie(
        cookie_name(runtime),
        key,
        max_age=settings.auth.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or settings.environment == "production",
        path="/",
    )


def clear_session_cookie(response: Response, runtime: Runtime) -> None:
    response.delete_cookie(cookie_name(runtime), path="/", httponly=True, samesite="lax")


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to go back to after sign-in; anything else becomes ``default``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
