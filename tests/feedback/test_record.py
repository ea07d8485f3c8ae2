"""Every decision writes its feedback row in its own transaction: who, role, value, reason,
rationale, edit size; expiries and decisions without a trace too, replays never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from governance import feedback_queue as queue
from governance.errors import ProposalAlreadyDecided
from governance.feedback import (
    DELIVERY_KEY,
    FeedbackDelivery,
    backfill,
    edit_ratio,
    metadata_of,
)
from governance.service import Governance
from governance.types import ProposalType
from tests.feedback.conftest import feedback_of, propose
from tests.governance.factories import APPROVER, Firm, decision

T = ProposalType
TRACE = "tr-" + "b" * 32


def test_an_override_is_feedback_on_the_run_that_proposed(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm, trace_id=TRACE)
    gov.decide(session, p.id, APPROVER, decision("override", "client_preference",
               note="Client asked for someone they know", choice=firm.consultant_2.id))  # fmt: skip

    [fb] = feedback_of(session, p.id)
    assert (fb.trace_id, fb.name, fb.value, fb.status) == (
        TRACE, "approver_decision", "overridden", "pending"
    )  # fmt: skip
    assert (fb.source_type, fb.source_id) == ("HUMAN", APPROVER.email)
    assert fb.rationale == "client_preference: Client asked for someone they know"
    d = fb.details
    assert d["reason_code"] == "client_preference" and d["decider_role"] == "approver"
    assert (d["model_version"], d["prompt_version"], d["practice"]) == ("m-1", "p-1", "Data & AI")
    assert (d["proposed_option"], d["chosen_option"]) == (firm.consultant.id, firm.consultant_2.id)
    assert "edit_ratio" not in d  # an override picks another option; it edits nothing
    # What a tracking store keeps beside the value: strings, and the row it came from.
    meta = metadata_of(fb)
    assert meta[DELIVERY_KEY] == str(fb.id)
    assert meta["chosen_option"] == str(firm.consultant_2.id)
    assert all(isinstance(v, str) for v in meta.values())


@pytest.mark.parametrize(
    ("kind", "action", "reason", "value"),
    [
        (T.flag_risk, "accept", "risk_confirmed", "accepted"),
        (T.flag_risk, "reject", "false_positive", "rejected"),
        (T.route_request, "override", "wrong_category", "overridden"),
    ],
)
def test_each_outcome_has_its_value(
    session: Session, gov: Governance, firm: Firm, kind: T, action: str, reason: str, value: str
) -> None:
    p = propose(session, gov, kind, firm)
    choice = "scope_change" if action == "override" else None
    gov.decide(session, p.id, APPROVER, decision(action, reason, choice=choice))
    [fb] = feedback_of(session, p.id)
    assert fb.value == value and fb.rationale == reason
    assert fb.details.get("edit_ratio") == (0.0 if action == "accept" else None)


def test_an_edited_draft_is_edited_not_accepted_with_its_edit_size(
    session: Session, gov: Governance, firm: Firm
) -> None:
    draft = "Burn is 40% of budget."
    p = propose(session, gov, T.send_status_summary, firm, draft=draft)
    edited = {**p.payload, "draft": "Burn is 65% of budget."}
    gov.decide(session, p.id, APPROVER,
               decision("accept_with_edits", "factual_error", edited_payload=edited))  # fmt: skip
    [fb] = feedback_of(session, p.id)
    assert fb.value == "edited"
    assert fb.details["edit_chars"] == 2
    assert fb.details["edit_ratio"] == round(2 / len(draft), 4)
    assert fb.details["prompt_id"] == "status_summary"


def test_an_expiry_is_feedback_from_the_policy_engine(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm)
    gov.sweep(session, p.created_at + timedelta(hours=73))
    [fb] = feedback_of(session, p.id)
    assert fb.value == "expired"
    assert (fb.source_type, fb.source_id) == ("CODE", "policy:sla.assign_staff")
    assert fb.rationale == "sla_expired: No decision within 72 h; expired without effect"


def test_without_a_trace_feedback_is_kept_but_never_sent(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm, trace_id=None)
    gov.decide(session, p.id, APPROVER, decision("reject", "false_positive"))
    [fb] = feedback_of(session, p.id)
    assert (fb.status, fb.trace_id, fb.value) == ("no_trace", None, "rejected")
    assert not queue.has_due(session, fb.created_at + timedelta(days=1))


def test_a_replayed_or_refused_decision_writes_no_second_feedback(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    first = decision("accept", "risk_confirmed")
    gov.decide(session, p.id, APPROVER, first, idempotency_key="k-1")
    gov.decide(session, p.id, APPROVER, first, idempotency_key="k-1")  # a client retry
    with pytest.raises(ProposalAlreadyDecided), session.begin_nested():
        gov.decide(session, p.id, APPROVER, decision("reject", "false_positive"))
    assert [fb.value for fb in feedback_of(session, p.id)] == ["accepted"]


def test_backfill_covers_decisions_made_before_feedback_was_recorded(
    session: Session, gov: Governance, firm: Firm
) -> None:
    kept = propose(session, gov, T.flag_risk, firm)
    older = propose(session, gov, T.raise_change_request, firm)
    gov.decide(session, kept.id, APPROVER, decision("accept", "risk_confirmed"))
    gov.decide(session, older.id, APPROVER, decision("override", "estimate_too_high", choice=40))
    session.execute(delete(FeedbackDelivery).where(FeedbackDelivery.proposal_id == older.id))

    assert backfill(session) == 1
    [fb] = feedback_of(session, older.id)
    assert (fb.value, fb.details["chosen_option"], fb.status) == ("overridden", 40, "pending")
    assert backfill(session) == 0
    assert len(feedback_of(session, kept.id)) == 1


def test_edit_ratio_is_the_share_of_characters_changed() -> None:
    s = T.send_status_summary
    assert edit_ratio(s, {"draft": "abcd"}, {"draft": "abcd"}) == 0.0
    assert edit_ratio(s, {"draft": "abcd"}, {"draft": "abXd"}) == 0.25
    assert edit_ratio(s, {"draft": "abcd"}, {"draft": "abcdefgh"}) == 0.5  # 4 added of 8
    assert edit_ratio(s, {"draft": "abcd"}, {"draft": "wxyz"}) == 1.0
    # Other types compare the payload's canonical JSON: one digit of twenty-odd characters.
    ratio = edit_ratio(T.raise_change_request, {"estimated_hours": 80}, {"estimated_hours": 60})
    assert 0 < ratio < 0.1
