"""The approval inbox: my queue, one proposal with its evidence, and the decision form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.routers.proposals import GovernanceDep
from app.web import proposal_view as pv
from app.web.forms import read_form
from app.web.routing import page_router
from app.web.templating import render
from app.web.viewer import PageSession, Viewer, require_page
from domain.errors import OpsError
from domain.repositories import projects as project_repo
from domain.types import Id, Text, utcnow
from governance.actor import Actor
from governance.schemas import ProposalDetail, ProposalFilters, ProposalRead
from governance.service import Governance
from governance.types import ProposalType

router = page_router()
InboxViewer = Annotated[Viewer, Depends(require_page("inbox"))]

VIEWS = {
    "mine": "Assigned to me",
    "pending": "All pending",
    "decided": "Decided",
}
MAX_ROWS = 500


@dataclass(frozen=True)
class QueueFilters:
    view: str = "mine"
    kind: str = ""
    project_id: int | None = None
    practice: str = ""

    def query(self, **changes: Any) -> str:
        values = {
            "view": self.view,
            "type": self.kind,
            "project": self.project_id or "",
            "practice": self.practice,
        } | changes
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def governance_filters(self) -> ProposalFilters:
        return ProposalFilters(
            status=None if self.view == "decided" else "pending",
            type=ProposalType(self.kind) if self.kind else None,
            project_id=self.project_id,
            practice=self.practice or None,
            assigned_to_me=self.view == "mine",
        )


_ID = TypeAdapter(Id)


def _as_id(value: str) -> int | None:
    """The project id a bookmark's filter names, or None for anything that is not one."""
    try:
        return _ID.validate_strings(value)
    except ValidationError:
        return None


def queue_filters(
    view: str = "mine",
    kind: Annotated[str, Query(alias="type")] = "",
    project: str = "",
    practice: Text = "",
) -> QueueFilters:
    # Unknown values fall back to "no filter" rather than an error page: these come from links
    # and bookmarks, and an old bookmark should still open the inbox.
    return QueueFilters(
        view=view if view in VIEWS else "mine",
        kind=kind if kind in ProposalType.__members__ else "",
        project_id=_as_id(project),
        practice=practice[:64],
    )


FiltersDep = Annotated[QueueFilters, Depends(queue_filters)]


def load_queue(
    session: Session, gov: Governance, actor: Actor, filters: QueueFilters
) -> list[ProposalRead]:
    """The view's proposals: pending ones most urgent first (overdue, then due soonest)."""
    rows: list[ProposalRead] = []
    cursor: str | None = None
    while len(rows) < MAX_ROWS:
        page = gov.list_proposals(
            session, actor, filters.governance_filters(), cursor=cursor, limit=200
        )
        rows.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    if filters.view == "decided":
        rows = [r for r in rows if r.status != "pending"]
        rows.sort(key=lambda r: r.decided_at or r.created_at, reverse=True)
    else:
        rows.sort(key=lambda r: (not r.overdue, r.due_at, r.id))
    return rows[:MAX_ROWS]


def _filter_options(session: Session) -> tuple[list[tuple[int, str]], list[str]]:
    projects = project_repo.list_projects(session, limit=500)
    options = [(s.project.id, f"{s.project.client.name} · {s.project.name}") for s in projects]
    practices = sorted({s.project.practice for s in projects})
    return sorted(options, key=lambda o: o[1]), practices


@router.get("/inbox")
def inbox(
    request: Request,
    session: PageSession,
    viewer: InboxViewer,
    gov: GovernanceDep,
    filters: FiltersDep,
) -> Response:
    rows = load_queue(session, gov, viewer.actor, filters)
    names = pv.project_names(session, {r.project_id for r in rows if r.project_id})
    projects, practices = _filter_options(session)
    items = [{"p": r, "title": pv.title_of(r, names), "summary": pv.summary_of(r)} for r in rows]
    return render(
        request,
        "inbox.html",
        {
            "items": items,
            "filters": filters,
            "views": VIEWS,
            "projects": projects,
            "practices": practices,
            "types": list(ProposalType),
            "overdue": sum(1 for r in rows if r.overdue),
            "now": utcnow(),
        },
        page="inbox",
    )


def _proposal_page(
    request: Request,
    session: Session,
    gov: Governance,
    viewer: Viewer,
    proposal_id: int,
    filters: QueueFilters,
    *,
    draft: pv.DecisionDraft | None = None,
    error: str = "",
    status_code: int = 200,
    decided: bool = False,
) -> Response:
    actor = viewer.actor
    detail: ProposalDetail = gov.get(session, proposal_id, actor)
    queue = [r.id for r in load_queue(session, gov, actor, filters)]
    position = queue.index(proposal_id) if proposal_id in queue else None
    prev_id = queue[position - 1] if position else None
    next_id: int | None = None
    if position is not None and position + 1 < len(queue):
        next_id = queue[position + 1]
    elif position is None and queue:
        next_id = queue[0]  # just decided (it left the queue) or opened from elsewhere
    names = pv.project_names(session, {detail.project_id} if detail.project_id else set())
    project = (
        project_repo.get_project(session, detail.project_id) if detail.project_id in names else None
    )
    spec = pv.override_spec(detail.type, detail.payload)
    fields = pv.edit_fields(detail.type, detail.payload)
    actions = {
        "accept": True,
        "accept_with_edits": bool(fields),
        "override": bool(spec and (spec.kind == "number" or spec.options)),
        "reject": True,
    }
    return render(
        request,
        "proposal.html",
        {
            "p": detail,
            "title": pv.title_of(detail, names),
            "summary": pv.summary_of(detail),
            "project": project,
            "project_name": names.get(detail.project_id or -1),
            "filters": filters,
            "queue_len": len(queue),
            "position": position,
            "prev_id": prev_id,
            "next_id": next_id,
            "fields": fields,
            "override": spec,
            "actions": actions,
            "draft": draft or pv.DecisionDraft(),
            "error": error,
            "decided": decided,
            "cite": pv.cite,
            "anchor": pv.anchor,
            "now": utcnow(),
            "evidence_extra": _evidence_extra(detail.evidence),
            "option_names": pv.option_names(detail.type, detail.payload),
        },
        status_code=status_code,
        page="inbox",
    )


# Evidence keys shown in their own sections; the rest is listed as raw evidence.
_SHOWN = {"summary", "assumptions", "unsupported_claims", "unknown_citations",
          "suspicious_instructions", "sources"}  # fmt: skip


def _evidence_extra(evidence: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in evidence.items() if k not in _SHOWN and v not in (None, "", [], {})}


@router.get("/inbox/proposals/{proposal_id}")
def proposal_page(
    proposal_id: Id,
    request: Request,
    session: PageSession,
    viewer: InboxViewer,
    gov: GovernanceDep,
    filters: FiltersDep,
    decided: bool = False,
) -> Response:
    return _proposal_page(request, session, gov, viewer, proposal_id, filters, decided=decided)


@router.post("/inbox/proposals/{proposal_id}/decision")
async def decide(
    proposal_id: Id,
    request: Request,
    session: PageSession,
    viewer: InboxViewer,
    gov: GovernanceDep,
    filters: FiltersDep,
) -> Response:
    form = await read_form(request)
    actor = viewer.actor
    detail = gov.get(session, proposal_id, actor)
    draft = pv.decision_from_form(form)
    try:
        body = pv.to_decision(detail.type, detail.payload, draft)
        gov.decide(session, proposal_id, actor, body, idempotency_key=draft.idempotency_key)
    except OpsError as exc:
        session.rollback()
        return _proposal_page(
            request, session, gov, viewer, proposal_id, filters,
            draft=draft, error=exc.detail, status_code=exc.status_code,
        )  # fmt: skip
    query = filters.query(decided=1)
    return RedirectResponse(f"/inbox/proposals/{proposal_id}?{query}", status_code=303)
