"""The delivery manager's chat: threads, the conversation, and the proposals each turn made.

Replies stream from the chat API (``/v1/chat``) straight into the page's script; this module
renders the threads and history, creates threads, and serves newly posted messages and the
current state of proposal cards as HTML for the script to put in place (the outcome of a
decision arrives that way).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from agents import chat
from agents.tables import ChatMessage
from app.routers.chat import MAX_MESSAGE
from app.routers.proposals import GovernanceDep
from app.services import COPILOT, COPILOT_UNAVAILABLE, Services, ServicesDep
from app.web import proposal_view as pv
from app.web.forms import read_form
from app.web.routing import page_router
from app.web.templating import render
from app.web.viewer import PAGE_BY_KEY, PageSession, Viewer, require_page
from domain.errors import NotFound
from domain.types import Text
from governance.schemas import DecisionRead, ProposalDetail
from governance.service import Governance

router = page_router()
ChatViewer = Annotated[Viewer, Depends(require_page("chat"))]

SUGGESTIONS = (
    "I need a senior data engineer with Spark and Azure for Contoso from next month, "
    "30 hours a week",
    "How is the Fabrikam ERP migration doing? Any overrun risk?",
    "Draft a status summary for the Northwind client",
)
MAX_TITLE = 60


@dataclass(frozen=True)
class ProposalCard:
    id: str
    type: str
    title: str
    status: str
    detail: str  # what was decided, in words; empty while pending
    href: str | None  # the inbox page, for viewers who may open it


def _cards(
    session: Session, gov: Governance, viewer: Viewer, proposal_ids: Iterable[str]
) -> dict[str, ProposalCard]:
    """Cards for the proposals the viewer may see, by id; other ids get none."""
    found: dict[str, ProposalDetail] = {}
    for pid in proposal_ids:
        if not pid.isdigit():
            continue  # recorded outside the approval queue: nothing to show or poll
        try:
            found[pid] = gov.get(session, int(pid), viewer.actor)
        except NotFound:
            continue
    names = pv.project_names(session, {p.project_id for p in found.values() if p.project_id})
    inbox = viewer.may_open(PAGE_BY_KEY["inbox"])
    return {
        pid: ProposalCard(
            id=pid,
            type=p.type,
            title=pv.title_of(p, names),
            status=p.status,
            detail=_decided(p.decision) if p.decision else "",
            href=f"/inbox/proposals/{p.id}" if inbox else None,
        )
        for pid, p in found.items()
    }


def _decided(d: DecisionRead) -> str:
    return f"{d.action.replace('_', ' ')} by {d.decided_by} · {d.reason_code}" + (
        f" — {d.note}" if d.note else ""
    )


def _messages_context(
    session: Session,
    gov: Governance,
    viewer: Viewer,
    messages: list[ChatMessage],
    shown: set[str] | None = None,
) -> list[dict[str, object]]:
    """Each message with cards for the proposals it names, each card once per thread.

    The copilot names a proposal again when it reports the decision; the first card already
    shows the outcome live, so a second card would only repeat it.
    """
    seen = set(shown or ())
    fresh: list[list[str]] = []
    for m in messages:
        fresh.append([pid for pid in m.proposal_ids or [] if pid not in seen])
        seen.update(fresh[-1])
    cards = _cards(session, gov, viewer, (pid for ids in fresh for pid in ids))
    return [
        {"m": m, "cards": [cards[pid] for pid in ids if pid in cards]}
        for m, ids in zip(messages, fresh, strict=True)
    ]


@router.get("/chat")
def chat_home(
    request: Request, session: PageSession, viewer: ChatViewer, services: ServicesDep
) -> Response:
    threads = chat.list_threads(session, viewer.user_id)
    return render(
        request,
        "chat.html",
        {
            "threads": threads,
            "thread": None,
            "messages": [],
            "suggestions": SUGGESTIONS,
            **_copilot_status(services),
        },
        page="chat",
    )


def _copilot_status(services: Services) -> dict[str, Any]:
    """Without a copilot the chat API answers 503; the page says so up front, and why."""
    return {
        "copilot_ready": COPILOT in services.extras,
        "copilot_reason": services.extras.get(COPILOT_UNAVAILABLE),
    }


@router.post("/chat/threads")
async def new_thread(request: Request, session: PageSession, viewer: ChatViewer) -> Response:
    form = await read_form(request)
    first = form.text("message", max_length=MAX_MESSAGE).strip()
    title = (first[: MAX_TITLE - 1] + "…") if len(first) > MAX_TITLE else first
    thread = chat.create_thread(session, viewer.user_id, title or "New conversation")
    # The first message is sent by the page's script once the thread exists, so it streams
    # like any other; it travels in the address only for that one hop.
    target = f"/chat/{thread.id}" + (f"?ask={quote(first)}" if first else "")
    return RedirectResponse(target, status_code=303)


@router.get("/chat/{thread_id}")
def thread_page(
    thread_id: Text,
    request: Request,
    session: PageSession,
    viewer: ChatViewer,
    gov: GovernanceDep,
    services: ServicesDep,
    ask: str = "",
) -> Response:
    thread = chat.get_thread(session, thread_id, viewer.user_id)
    messages = chat.messages(session, thread.id)
    return render(
        request,
        "chat.html",
        {
            "threads": chat.list_threads(session, viewer.user_id),
            "thread": thread,
            "messages": _messages_context(session, gov, viewer, messages),
            "last_id": messages[-1].id if messages else 0,
            "ask": ask[:MAX_MESSAGE],
            "suggestions": SUGGESTIONS,
            **_copilot_status(services),
        },
        page="chat",
    )


@router.get("/chat/{thread_id}/messages")
def new_messages(
    thread_id: Text,
    request: Request,
    session: PageSession,
    viewer: ChatViewer,
    gov: GovernanceDep,
    after: int = 0,
) -> Response:
    """Messages after ``after`` as HTML, for the page to append without reloading."""
    thread = chat.get_thread(session, thread_id, viewer.user_id)
    everything = chat.messages(session, thread.id)
    shown = {pid for m in everything if m.id <= after for pid in m.proposal_ids or []}
    messages = [m for m in everything if m.id > after]
    response = render(
        request,
        "_messages.html",
        {"messages": _messages_context(session, gov, viewer, messages, shown)},
        page="chat",
    )
    response.headers["X-Last-Message-Id"] = str(messages[-1].id if messages else after)
    return response


@router.get("/chat/{thread_id}/cards")
def proposal_cards(
    thread_id: Text,
    request: Request,
    session: PageSession,
    viewer: ChatViewer,
    gov: GovernanceDep,
    ids: Annotated[list[str] | None, Query(alias="id")] = None,
) -> Response:
    """The thread's cards ``ids`` as they stand now: one request for the page's live status."""
    thread = chat.get_thread(session, thread_id, viewer.user_id)
    named = {pid for m in chat.messages(session, thread.id) for pid in m.proposal_ids or []}
    cards = _cards(session, gov, viewer, [pid for pid in ids or [] if pid in named])
    return render(request, "_proposal_cards.html", {"cards": cards.values()}, page="chat")
