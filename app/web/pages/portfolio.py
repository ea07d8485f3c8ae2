"""The portfolio, for everyone: projects with risk (or burn) and consultants' utilization."""

from __future__ import annotations

from datetime import date

from fastapi import Request
from fastapi.responses import Response

from app.services import ServicesDep
from app.web import portfolio_view
from app.web.routing import page_router
from app.web.templating import render
from app.web.viewer import PageSession, ViewerDep
from domain.types import Role

router = page_router()
SCOPES = {"mine": "My projects", "all": "All projects"}


@router.get("/portfolio")
def portfolio(
    request: Request,
    session: PageSession,
    viewer: ViewerDep,
    services: ServicesDep,
    scope: str = "",
) -> Response:
    today = date.today()
    # Delivery managers start on their own projects; everyone can widen to the whole firm.
    is_dm = viewer.role == Role.delivery_manager.value
    scope = scope if scope in SCOPES else ("mine" if is_dm else "all")
    risk = portfolio_view.assess_risk(session, services.extras.get("risk"), today)
    projects = portfolio_view.projects(
        session, risk, manager_email=viewer.email if scope == "mine" else None
    )
    people = portfolio_view.consultants(session, today)
    return render(
        request,
        "portfolio.html",
        {
            "projects": projects,
            "risk": risk,
            "people": people,
            "scope": scope,
            "scopes": SCOPES,
            "today": today,
            "window_weeks": portfolio_view.WINDOW_WEEKS,
        },
        page="portfolio",
    )
