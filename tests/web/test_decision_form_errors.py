"""The decision form: a note the browser let through is recorded; one too long is refused in words.

A textarea's ``maxlength`` counts a line break as one character, but the browser submits it as
CRLF, two: a 4,000-character note with line breaks arrives longer than 4,000.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import SignIn
from tests.web.seed import Queue

LINE = "x" * 99


def _decide(client: TestClient, pid: int, **form: str) -> tuple[int, str]:
    r = client.post(f"/inbox/proposals/{pid}/decision", data=form, follow_redirects=False)
    return r.status_code, r.text


def test_a_note_at_the_limit_with_line_breaks_is_recorded(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    typed = "\n".join([LINE] * 40)  # 3,999 characters as the browser counts them
    sent = typed.replace("\n", "\r\n")
    assert len(typed) <= 4000 < len(sent)

    status, _ = _decide(
        client, queue.risk, action="accept", reason_code="risk_confirmed", note=sent
    )

    assert status == 303
    decision = client.get(f"/v1/proposals/{queue.risk}").json()["decision"]
    assert decision["note"] == typed


def test_a_note_too_long_is_shown_again_with_what_to_fix(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    typed = "\n".join([LINE] * 40 + ["the last line that makes it too long"])

    status, html = _decide(
        client, queue.risk, action="accept", reason_code="risk_confirmed",
        note=typed.replace("\n", "\r\n"),
    )  # fmt: skip

    assert status == 422
    assert f"The note is {len(typed):,} characters long" in html
    assert "shorten it to 4,000 characters or fewer" in html
    assert "the last line that makes it too long" in html  # what was typed is kept
    assert 'id="decision-form"' in html
    assert client.get(f"/v1/proposals/{queue.risk}").json()["status"] == "pending"


def test_a_reason_code_too_long_is_a_form_error(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    status, html = _decide(client, queue.risk, action="reject", reason_code="r" * 60)
    assert status == 422
    assert "The reason code is 60 characters long" in html
    assert client.get(f"/v1/proposals/{queue.risk}").json()["status"] == "pending"
