"""The chat page: threads, history with live proposal cards, new threads, other people's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from agents import chat
from app.main import create_app
from app.runtime import Runtime
from app.services import COPILOT_UNAVAILABLE, Services
from domain.db import unit_of_work
from governance.actor import Actor
from governance.schemas import DecisionCreate
from governance.service import Governance
from tests.agents.firm import DM_EMAIL, Firm
from tests.web.conftest import MakeUser, SignIn, login
from tests.web.seed import APPROVER_EMAIL, Queue

ASK = "I need a senior data engineer with Spark for Contoso from March, 30h a week"


def test_a_first_visit_invites_a_question(client: TestClient, sign_in: SignIn) -> None:
    sign_in("delivery_manager")
    page = client.get("/chat")
    assert page.status_code == 200
    assert "Start a conversation" in page.text
    assert "No conversations yet." in page.text
    assert 'data-suggestion="How is the Fabrikam ERP migration doing?' in page.text
    assert '<label for="first-message"' in page.text


@pytest.fixture
def with_copilot(runtime: Runtime) -> Iterator[TestClient]:
    """A client whose app has a copilot (a stand-in: these pages only ask whether it is there;
    the browser tests run the real one)."""
    services = Services(extras={"copilot": object()})
    with TestClient(create_app(runtime=runtime, services=services)) as c:
        yield c


def test_starting_a_thread_with_a_message_hands_it_to_the_page_to_send(
    with_copilot: TestClient, make_user: MakeUser
) -> None:
    client = with_copilot
    login(client, make_user, "delivery_manager")
    response = client.post("/chat/threads", data={"message": ASK}, follow_redirects=False)

    assert response.status_code == 303
    location = response.headers["location"]
    thread_id = location.split("/chat/")[1].split("?")[0]
    assert location == f"/chat/{thread_id}?ask={quote(ASK)}"
    page = client.get(location)
    assert 'data-autosend="1"' in page.text
    assert f">{ASK}</textarea>" in page.text
    assert f"{ASK[:59]}…" in page.text  # the title, shortened

    blank = client.post("/chat/threads", follow_redirects=False)
    assert re.fullmatch(r"/chat/[0-9a-f-]{36}", blank.headers["location"])
    assert "New conversation" in client.get(blank.headers["location"]).text


def test_history_shows_each_turns_proposals_with_their_status(
    client: TestClient,
    sign_in: SignIn,
    runtime: Runtime,
    queue: Queue,
    gov: Governance,
    firm: Firm,
) -> None:
    dm = sign_in("delivery_manager", email=DM_EMAIL)
    with unit_of_work(runtime.sessions) as s:
        thread = chat.create_thread(s, dm.id, "Staffing Contoso").id
        chat.post_message(s, thread, "user", ASK)
        chat.post_message(
            s, thread, "assistant", "I'd propose Ana Costa.", proposal_ids=[str(queue.staff)]
        )
        chat.post_message(s, thread, "assistant", "Recorded elsewhere.", proposal_ids=["abc"])

    page = client.get(f"/chat/{thread}")
    assert page.status_code == 200
    card = page.text.split(f'data-proposal-id="{queue.staff}"')[1].split("</article>")[0]
    assert 'data-status="pending"' in page.text
    assert "Staff a Data Engineer on Contoso Ltd" in card
    assert "Waiting for an approver." in card
    assert "Open in approvals" not in card  # a delivery manager has no inbox
    assert 'data-proposal-id="abc"' not in page.text  # not in the queue: no card to poll
    last_id = int(page.text.split('data-last-id="')[1].split('"')[0])
    polled = client.get(f"/chat/{thread}/cards?id={queue.staff}&id=abc&id={queue.risk}").text
    assert polled.count('class="pcard"') == 1  # the risk flag is not named in this thread
    assert f'data-proposal-id="{queue.staff}" data-status="pending"' in polled

    with unit_of_work(runtime.sessions) as s:
        gov.decide(
            s, queue.staff, Actor(APPROVER_EMAIL, "approver"),
            DecisionCreate(action="override", reason_code="continuity", note="Hana knows them",
                           choice=firm.people["Hana Sato"]),
        )  # fmt: skip
        chat.post_message(
            s, thread, "assistant", "Proposal was overridden.", proposal_ids=[str(queue.staff)]
        )

    fragment = client.get(f"/chat/{thread}/messages?after={last_id}")
    assert fragment.status_code == 200
    assert fragment.text.count('class="msg msg-') == 1
    assert "Proposal was overridden." in fragment.text
    assert "pcard" not in fragment.text  # the card above already shows it, live
    reloaded = client.get(f"/chat/{thread}").text
    assert reloaded.count(f'data-proposal-id="{queue.staff}"') == 1
    assert 'data-status="overridden"' in reloaded
    assert "override by rita.approver@example.com · continuity — Hana knows them" in reloaded
    assert int(fragment.headers["X-Last-Message-Id"]) > last_id
    polled = client.get(f"/chat/{thread}/cards?id={queue.staff}").text
    assert 'data-status="overridden"' in polled
    assert "override by rita.approver@example.com · continuity — Hana knows them" in polled
    nothing = client.get(f"/chat/{thread}/messages?after={fragment.headers['X-Last-Message-Id']}")
    assert nothing.text.strip() == ""


def test_someone_elses_thread_is_not_found(
    client: TestClient, sign_in: SignIn, runtime: Runtime
) -> None:
    owner = sign_in("delivery_manager")
    with unit_of_work(runtime.sessions) as s:
        thread = chat.create_thread(s, owner.id, "Mine").id
    assert "Mine" in client.get("/chat").text

    sign_in("delivery_manager")
    page = client.get(f"/chat/{thread}")
    assert page.status_code == 404
    assert "Nothing here" in page.text
    assert client.get(f"/chat/{thread}/messages").status_code == 404
    assert client.get(f"/chat/{thread}/cards?id=1").status_code == 404
    assert "Mine" not in client.get("/chat").text


def test_admins_see_inbox_links_on_cards(
    client: TestClient, sign_in: SignIn, runtime: Runtime, queue: Queue
) -> None:
    admin = sign_in("admin")
    with unit_of_work(runtime.sessions) as s:
        thread = chat.create_thread(s, admin.id, "Admin").id
        chat.post_message(s, thread, "assistant", "Queued.", proposal_ids=[str(queue.risk)])
    page = client.get(f"/chat/{thread}")
    assert f'href="/inbox/proposals/{queue.risk}"' in page.text


def test_without_a_copilot_the_page_says_so_and_sends_nothing(
    runtime: Runtime, make_user: MakeUser
) -> None:
    with TestClient(create_app(runtime=runtime, services=Services())) as bare:
        dm = login(bare, make_user, "delivery_manager")
        with unit_of_work(runtime.sessions) as s:
            thread = chat.create_thread(s, dm.id, "Quiet").id
        page = bare.get(f"/chat/{thread}?ask=hello").text
        assert "The copilot is not running on this server" in page
        assert 'id="send" disabled' in page
        assert "data-autosend" not in page


def test_the_page_gives_the_reason_the_copilot_did_not_start(
    runtime: Runtime, make_user: MakeUser
) -> None:
    reason = "no request classifier is registered; run: opscopilot train classifier"
    services = Services(extras={COPILOT_UNAVAILABLE: reason})
    with TestClient(create_app(runtime=runtime, services=services)) as bare:
        login(bare, make_user, "delivery_manager")
        page = bare.get("/chat").text
    assert f"Reason: {reason}." in page


def test_with_a_copilot_there_is_no_warning(with_copilot: TestClient, make_user: MakeUser) -> None:
    login(with_copilot, make_user, "delivery_manager")
    assert "The copilot is not running" not in with_copilot.get("/chat").text
