"""The approval inbox: the queue, a proposal with its evidence, and the decision form."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.runtime import Runtime
from domain.db import unit_of_work
from domain.types import utcnow
from governance.reasons import REASONS
from governance.service import Governance
from governance.tables import AuditEvent, Decision
from governance.types import ProposalType
from tests.agents.firm import Firm
from tests.web.conftest import SignIn
from tests.web.seed import Queue, seed_queue

if TYPE_CHECKING:
    from httpx2 import Response  # what the TestClient returns


def _order(html: str) -> list[int]:
    ids = re.findall(r'class="queue-link" href="/inbox/proposals/(\d+)', html)
    return [int(i) for i in ids]


def _decide(client: TestClient, pid: int, **form: str) -> Response:
    return client.post(f"/inbox/proposals/{pid}/decision", data=form, follow_redirects=False)


def test_an_empty_queue_says_so(client: TestClient, sign_in: SignIn) -> None:
    sign_in("approver")
    page = client.get("/inbox")
    assert page.status_code == 200
    assert "Nothing is waiting for you" in page.text
    assert "0 pending" in page.text


def test_the_queue_lists_overdue_first_then_by_due_time(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    page = client.get("/inbox")

    order = _order(page.text)
    assert order[0] == queue.risk  # overdue
    assert set(order) == {queue.staff, queue.risk, queue.summary, queue.route, queue.change}
    # 24-hour SLAs before 72-hour ones
    assert order.index(queue.summary) < order.index(queue.staff)
    assert order.index(queue.route) < order.index(queue.change)
    assert "1 overdue" in page.text
    assert "High overrun risk on Fabrikam · Fabrikam ERP Migration" in page.text


def test_filters_by_type_project_and_practice(
    client: TestClient, sign_in: SignIn, queue: Queue, firm: Firm
) -> None:
    sign_in("approver")
    assert _order(client.get("/inbox?type=flag_risk").text) == [queue.risk]
    assert _order(client.get(f"/inbox?project={firm.contoso}").text) == [queue.staff]
    in_practice = _order(client.get("/inbox?practice=Data+%26+AI").text)
    assert queue.route not in in_practice and len(in_practice) == 4  # that request has no project
    other = client.get("/inbox?practice=Cloud")
    assert _order(other.text) == []
    assert "No proposals match these filters" in other.text
    # a bookmark with a stale filter still opens the inbox
    assert client.get("/inbox?type=no_such_type&project=abc").status_code == 200


def test_the_requester_and_other_roles_do_not_get_the_queue(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("data_scientist")  # decides model promotions only
    assert _order(client.get("/inbox").text) == []
    sign_in("approver", practices=["Cloud"])  # another practice
    assert _order(client.get("/inbox").text) == []


def test_a_staffing_proposal_shows_candidates_policy_trace_and_audit(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    page = client.get(f"/inbox/proposals/{queue.staff}")
    html = page.text

    assert page.status_code == 200
    for text in ("Ana Costa", "Hana Sato", "Chen Wei", "0.86", "Availability", "Margin"):
        assert text in html
    assert "Ana fits the stack" in html  # reasons
    assert "assign_staff.default" in html and "assign_staff.low_margin" in html
    assert "Routed to practice_approvers by assign_staff.default" in html
    assert "Audit history" in html and "Created" in html
    # one option per allowed reason code, plus the prompt
    options = re.findall(r'<option value="([a-z_]+)"', html.split('id="reason_code"')[1])
    assert options[: len(REASONS[ProposalType.assign_staff])] == list(
        REASONS[ProposalType.assign_staff]
    )
    choice = html.split('id="choice"')[1].split("</select>")[0]
    assert "Hana Sato" in choice and "Chen Wei" in choice and "Ana Costa" not in choice
    assert "<kbd>o</kbd>" in html.replace(' aria-hidden="true"', "")
    assert "Keyboard shortcuts" in html


def test_overriding_with_another_candidate_records_the_choice_and_reason(
    client: TestClient, sign_in: SignIn, queue: Queue, firm: Firm
) -> None:
    sign_in("approver")
    hana = firm.people["Hana Sato"]
    response = _decide(
        client, queue.staff,
        action="override", choice=str(hana), reason_code="continuity",
        note="Hana knows the client", idempotency_key="k-1",
    )  # fmt: skip

    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"/inbox/proposals/{queue.staff}?") and "decided=1" in location
    page = client.get(location)
    assert "Decision recorded" in page.text
    assert "Chosen instead:</strong> Hana Sato" in page.text
    assert "Chosen by approver" in page.text
    api = client.get(f"/v1/proposals/{queue.staff}").json()
    assert api["status"] == "overridden"
    assert api["decision"]["choice"] == hana
    assert api["decision"]["reason_code"] == "continuity"
    assert api["decision"]["note"] == "Hana knows the client"
    assert "Chose Hana Sato instead of Ana Costa" in page.text  # the audit entry, in names
    decided = client.get("/inbox?view=decided")
    assert queue.staff in _order(decided.text)
    assert queue.staff not in _order(client.get("/inbox").text)


def test_editing_a_status_summary_inline(client: TestClient, sign_in: SignIn, queue: Queue) -> None:
    sign_in("approver")
    page = client.get(f"/inbox/proposals/{queue.summary}")
    assert 'name="edit.draft"' in page.text
    assert 'href="#fact-pj-northwind"' in page.text  # citations link to their facts
    assert 'id="choice"' not in page.text  # summaries are edited, not overridden

    new_draft = "The rollout is 40% complete [pj:northwind]; dashboards next [ms:1]."
    response = _decide(
        client, queue.summary,
        action="accept_with_edits", reason_code="tone", note="",
        **{"edit.draft": new_draft, "edit.audience": "client", "edit.rag": "amber"},
    )  # fmt: skip

    assert response.status_code == 303
    decision = client.get(f"/v1/proposals/{queue.summary}").json()["decision"]
    assert decision["action"] == "accept_with_edits"
    assert decision["final_payload"]["draft"] == new_draft
    assert decision["final_payload"]["rag"] == "amber"
    assert decision["edit_size"] > 0


def test_editing_numbers_and_overriding_a_number(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    edited = _decide(
        client, queue.staff,
        action="accept_with_edits", reason_code="other", note="Fewer hours",
        **{"edit.hours_per_week": "16", "edit.role": "Data Engineer",
           "edit.start_date": "2027-01-04", "edit.end_date": "2027-04-30"},
    )  # fmt: skip
    assert edited.status_code == 303
    final = client.get(f"/v1/proposals/{queue.staff}").json()["decision"]["final_payload"]
    assert final["hours_per_week"] == 16

    override = _decide(
        client, queue.change, action="override", choice="40", reason_code="estimate_too_high"
    )
    assert override.status_code == 303
    decision = client.get(f"/v1/proposals/{queue.change}").json()["decision"]
    assert decision["final_payload"]["estimated_hours"] == 40


def test_a_decision_without_a_reason_is_shown_again_with_the_problem(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    response = _decide(
        client, queue.risk, action="override", choice="medium", reason_code="", note="kept text"
    )

    assert response.status_code == 422
    html = response.text
    assert "Choose a reason code" in html
    assert 'value="override" data-key="o" checked' in html  # what was typed is kept
    assert "kept text" in html
    assert client.get(f"/v1/proposals/{queue.risk}").json()["status"] == "pending"


def test_the_other_reason_needs_a_note(client: TestClient, sign_in: SignIn, queue: Queue) -> None:
    sign_in("approver")
    response = _decide(client, queue.route, action="accept", reason_code="other")
    assert response.status_code == 422
    assert "needs a note" in response.text


def test_override_without_a_choice_or_of_a_type_that_cannot_be_overridden(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    missing = _decide(client, queue.route, action="override", reason_code="wrong_category")
    assert missing.status_code == 422
    assert "Pick the option to use instead" in missing.text
    summary = _decide(client, queue.summary, action="override", choice="x", reason_code="tone")
    assert summary.status_code == 422
    assert "cannot be overridden" in summary.text


def test_a_second_decision_is_refused_and_a_resubmitted_form_is_harmless(
    client: TestClient, sign_in: SignIn, queue: Queue, runtime: Runtime
) -> None:
    sign_in("approver")
    form = {"action": "reject", "reason_code": "false_positive", "idempotency_key": "same"}
    assert _decide(client, queue.risk, **form).status_code == 303
    # the browser posts the same form twice (double click, back and resubmit)
    assert _decide(client, queue.risk, **form).status_code == 303
    with unit_of_work(runtime.sessions) as s:  # recorded once, not twice
        decisions = s.scalars(select(Decision).where(Decision.proposal_id == queue.risk)).all()
        rejected = s.scalars(
            select(AuditEvent).where(
                AuditEvent.proposal_id == queue.risk, AuditEvent.action == "proposal.rejected"
            )
        ).all()
        assert len(decisions) == 1 and len(rejected) == 1

    later = _decide(
        client, queue.risk, action="accept", reason_code="risk_confirmed", idempotency_key="new"
    )
    assert later.status_code == 409
    assert "already rejected" in later.text
    page = client.get(f"/inbox/proposals/{queue.risk}")
    assert 'id="decision-form"' not in page.text
    assert "False positive" in page.text


def test_segregation_of_duties_hides_the_form_and_refuses_the_post(
    client: TestClient, sign_in: SignIn, runtime: Runtime, firm: Firm, gov: Governance
) -> None:
    me = sign_in("approver")
    with unit_of_work(runtime.sessions) as s:
        mine = seed_queue(s, gov, firm, requested_by=me.email, now=utcnow(), history=False)

    page = client.get(f"/inbox/proposals/{mine.staff}")
    assert page.status_code == 200
    assert 'id="decision-form"' not in page.text
    assert "segregation of duties" in page.text
    refused = _decide(client, mine.staff, action="accept", reason_code="good_fit")
    assert refused.status_code == 403
    assert "segregation of duties" in refused.text


def test_the_proposal_page_links_to_its_neighbours_in_the_queue(
    client: TestClient, sign_in: SignIn, queue: Queue
) -> None:
    sign_in("approver")
    first = client.get(f"/inbox/proposals/{queue.risk}").text
    assert "1 of 5 in this view" in first
    assert 'id="prev-link"' not in first
    second = _order(client.get("/inbox").text)[1]
    assert f'id="next-link" rel="next" href="/inbox/proposals/{second}?view=mine"' in first


def test_every_proposal_type_renders(client: TestClient, sign_in: SignIn, queue: Queue) -> None:
    sign_in("approver")
    texts = {
        queue.risk: ["Burn vs progress", "Re-baseline the cut-over plan", "78%"],
        queue.summary: ["Cited facts", "Sales dashboard sign-off", "Green"],
        queue.route: ["Billing invoice", "71%", "General question"],
        queue.change: ["Add weekend on-call cover", "64"],
    }
    for pid, expected in texts.items():
        html = client.get(f"/inbox/proposals/{pid}").text
        for text in expected:
            assert text in html, (pid, text)
