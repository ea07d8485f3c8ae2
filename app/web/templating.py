"""Jinja2 templates for the pages, with the filters they share."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from app.web.viewer import Viewer

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
env = templates.env
env.trim_blocks = True
env.lstrip_blocks = True

STATUS_LABELS = {
    "pending": "Pending",
    "accepted": "Accepted",
    "accepted_with_edits": "Accepted with edits",
    "overridden": "Overridden",
    "rejected": "Rejected",
    "expired": "Expired",
}
ACTION_LABELS = {
    "accept": "Accept",
    "accept_with_edits": "Accept with edits",
    "override": "Override",
    "reject": "Reject",
    "expire": "Expired",
}
TYPE_LABELS = {
    "assign_staff": "Staffing",
    "flag_risk": "Risk flag",
    "send_status_summary": "Status summary",
    "route_request": "Request routing",
    "raise_change_request": "Change request",
    "promote_model": "Model promotion",
}


@cache
def _asset_version(name: str) -> str:
    # A content hash in the URL lets browsers cache assets forever and still see new releases.
    return hashlib.sha256((HERE / "static" / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    return f"/static/{name}?v={_asset_version(name)}"


def humanize(value: str | None) -> str:
    return (value or "").replace("_", " ").strip().capitalize()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def when(value: datetime | str | None) -> str:
    """``2026-11-26 14:05 UTC``: absolute, so screenshots and audits read the same."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _aware(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration(hours: float | None) -> str:
    if hours is None:
        return "—"
    hours = abs(hours)
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{hours:.1f} h" if hours < 10 else f"{round(hours)} h"
    return f"{hours / 24:.1f} d"


def relative(value: datetime | None, now: datetime | None = None) -> str:
    """``in 5 h`` or ``3 h ago``."""
    if value is None:
        return "—"
    now = now or datetime.now(UTC)
    hours = (_aware(value) - now).total_seconds() / 3600
    return f"in {duration(hours)}" if hours >= 0 else f"{duration(hours)} ago"


def pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, default=str)


env.filters.update(
    pretty=pretty,
    humanize=humanize,
    when=when,
    relative=relative,
    duration=duration,
    pct=pct,
    number=number,
    status_label=lambda s: STATUS_LABELS.get(s, humanize(s)),
    action_label=lambda a: ACTION_LABELS.get(a, humanize(a)),
    type_label=lambda t: TYPE_LABELS.get(t, humanize(t)),
)
env.globals.update(static_url=static_url, TYPE_LABELS=TYPE_LABELS, STATUS_LABELS=STATUS_LABELS)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    page: str = "",
) -> HTMLResponse:
    """Render ``name`` inside the layout, with the signed-in viewer's navigation."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    ctx: dict[str, Any] = {"viewer": viewer, "active_page": page, **(context or {})}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    # Pages show one person's queue and data: never from a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response
