"""Pages given values they cannot use: a 422 page naming the query parameter, a 404 for a path
that names nothing, a form error for a decision the database could not store, and never a 500
or a recorded decision."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from agents.tables import ChatThread
from app.runtime import Runtime
from domain.db import unit_of_work
from governance.tables import Decision
from tests.web.conftest import SignIn
from tests.web.seed import Queue

HUGE_IDS = [2**31, 2**63, 10**30]


def unchanged(client: TestClient, pid: int) -> None:
    r = client.get(f"/v1/proposals/{pid}")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["decision"]) == ("pending", None)


def count(runtime: Runtime, table: Any) -> int:
    with unit_of_work(runtime.sessions) as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


# -- a bad query value is a 422 page naming it; a bad path value is still a 404 --------------


def test_bad_query_values_get_a_page_naming_the_parameter(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("admin")
    thread = client.post("/chat/threads", follow_redirects=False).headers["location"]
    for url, name, accepts in [
        ("/metrics?weeks=abc", "weeks", "valid integer"),
        ("/metrics?promoted=abc", "promoted", "valid integer"),
        (f"/metrics?promoted={2**31}", "promoted", "less than or equal to 2147483647"),
        (f"/inbox/proposals/{queue.risk}?decided=maybe", "decided", "valid boolean"),
        (f"{thread}/messages?after=abc", "after", "valid integer"),
        ("/inbox?practice=%00", "practice", "NUL character"),
    ]:
        page = client.get(url)
        assert page.status_code == 422, (url, page.status_code)
        assert "text/html" in page.headers["content-type"]
        assert "Some details need fixing" in page.text, url
        assert f"{name}=" in page.text and accepts in page.text, (url, page.text[-2000:])
        assert "does not match any page" not in page.text


@pytest.mark.parametrize("big", HUGE_IDS)
def test_a_path_naming_no_proposal_is_a_404_page(
    client: TestClient, sign_in: SignIn, queue: Queue, runtime: Runtime, big: int
) -> None:
    sign_in("approver")
    for url in (f"/inbox/proposals/{big}", "/inbox/proposals/abc"):
        page = client.get(url)
        assert page.status_code == 404, (url, page.status_code)
        assert "does not match any page" in page.text
    posted = client.post(
        f"/inbox/proposals/{big}/decision",
        data={"action": "accept", "reason_code": "risk_confirmed"},
        follow_redirects=False,
    )
    assert posted.status_code == 404
    assert count(runtime, Decision) == 0
    sign_in("delivery_manager")
    for url in ("/chat/%00", "/chat/%00/messages", "/chat/a%00b/cards?id=1"):
        page = client.get(url)
        assert page.status_code == 404, (url, page.status_code)


# -- a project filter that is not an id falls back to no filter --------------------------------


@pytest.mark.parametrize("project", ["²", "٣", "12345678901234567890", str(2**31), "0"])
def test_a_project_filter_that_is_no_id_shows_the_whole_queue(
    client: TestClient, sign_in: SignIn, queue: Queue, project: str
) -> None:
    sign_in("approver")
    everything = client.get("/inbox?view=pending")
    filtered = client.get("/inbox", params={"view": "pending", "project": project})
    assert filtered.status_code == 200
    assert filtered.text.count('class="queue-item') == everything.text.count('class="queue-item')
    page = client.get(f"/inbox/proposals/{queue.risk}", params={"project": project})
    assert page.status_code == 200


# -- the decision form refuses what could not be stored, and keeps the proposal pending --


OVERRIDE = {"action": "override", "reason_code": "estimate_too_low"}
EDIT = {"action": "accept_with_edits", "reason_code": "estimate_too_low"}


@pytest.mark.parametrize(
    ("form", "says"),
    [
        *(({**OVERRIDE, "choice": t}, ("estimated hours", "not a finite number"))
          for t in ("nan", "inf", "-inf", "1e400", "Infinity")),
        ({**EDIT, "edit.estimated_hours": "inf"}, ("not a finite number",)),
        ({**EDIT, "edit.estimated_hours": "1e300"}, ("estimated_hours",)),
    ],
)  # fmt: skip
def test_hours_that_are_not_finite_or_absurd_are_form_errors(
    client: TestClient, sign_in: SignIn, queue: Queue, form: dict[str, str], says: tuple[str, ...]
) -> None:
    """In an override's choice or an edit: the form comes back with the reason, and the
    proposal stays pending."""
    sign_in("approver")
    r = client.post(f"/inbox/proposals/{queue.change}/decision", data=form, follow_redirects=False)
    assert r.status_code == 422, r.text[-1500:]
    assert all(words in r.text for words in says)
    assert 'id="decision-form"' in r.text
    unchanged(client, queue.change)


def test_a_note_with_a_nul_character_is_a_form_error(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    r = client.post(
        f"/inbox/proposals/{queue.risk}/decision",
        data={"action": "accept", "reason_code": "risk_confirmed", "note": "see\x00here"},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert "The note is not valid" in r.text and "NUL character" in r.text
    unchanged(client, queue.risk)


def test_an_idempotency_key_longer_than_its_column_is_refused(
    client: TestClient, sign_in: SignIn, queue: Queue, runtime: Runtime
) -> None:
    sign_in("approver")
    for key in ("k" * 1_000, "k\x00"):
        r = client.post(
            f"/inbox/proposals/{queue.risk}/decision",
            data={"action": "accept", "reason_code": "risk_confirmed", "idempotency_key": key},
            follow_redirects=False,
        )
        assert r.status_code == 422
        assert "idempotency_key" in r.text
    unchanged(client, queue.risk)
    ok = client.post(
        f"/inbox/proposals/{queue.risk}/decision",
        data={"action": "accept", "reason_code": "risk_confirmed", "idempotency_key": "k" * 200},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert count(runtime, Decision) == 1


def test_a_first_chat_message_with_a_nul_character_starts_no_thread(
    client: TestClient, sign_in: SignIn, runtime: Runtime
) -> None:
    sign_in("delivery_manager")
    r = client.post("/chat/threads", data={"message": "staff\x00 Contoso"}, follow_redirects=False)
    assert r.status_code == 422
    assert "message" in r.text and "NUL character" in r.text
    assert count(runtime, ChatThread) == 0


def test_a_first_chat_message_that_is_too_long_is_refused_not_cut(
    client: TestClient, sign_in: SignIn, runtime: Runtime
) -> None:
    sign_in("delivery_manager")
    r = client.post("/chat/threads", data={"message": "x" * 4_001}, follow_redirects=False)
    assert r.status_code == 422
    assert "4,001 characters" in r.text and "at most 4,000" in r.text
    assert count(runtime, ChatThread) == 0
