"""Deciding proposals: each transition once, by an authorised person, with a listed reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput, NotFound
from domain.tables import Assignment, ChangeRequest, IncomingRequest, StatusNote
from governance import audit
from governance import proposals as repo
from governance.errors import (
    IdempotencyKeyReused,
    NotAnApprover,
    ProposalAlreadyDecided,
    SegregationOfDuties,
)
from governance.service import Governance
from governance.tables import AuditEvent, OutboxEvent, Proposal, RiskFlag
from governance.types import ProposalType
from tests.governance.factories import (
    APPROVER,
    APPROVER_2,
    DATA_SCIENTIST,
    DATA_SCIENTIST_2,
    DIRECTOR,
    DM,
    OUTSIDER,
    Firm,
    decision,
    propose,
)

T = ProposalType


def count(session: Session, model: type, *where: object) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def test_accept_applies_the_effect_with_its_audit_and_outbox_events(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm)
    assert p.status == "pending" and p.assignee_group == "practice_approvers"

    result = gov.decide(session, p.id, APPROVER, decision("accept", "good_fit"))

    assert result.proposal.status == "accepted" and result.proposal.decided_by == APPROVER.email
    d = result.decision
    assert (d.action, d.reason_code, d.proposal_hash) == ("accept", "good_fit", p.content_hash)
    assert (d.model_version, d.prompt_version) == ("m-1", "p-1")
    assignment = session.get(Assignment, d.effect["assignment_id"])
    assert assignment is not None and assignment.consultant_id == firm.consultant.id
    actions = [e.action for e in audit.history(session, p.id)]
    assert actions == ["proposal.created", "proposal.accepted"]
    types = {
        e.type for e in session.scalars(select(OutboxEvent).where(OutboxEvent.proposal_id == p.id))
    }
    assert types == {"proposal.created", "proposal.decided", "resource.assigned"}


def test_each_transition_happens_once_and_the_loser_learns_who_decided(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    gov.decide(session, p.id, APPROVER, decision("reject", "false_positive"))
    with pytest.raises(ProposalAlreadyDecided) as err:
        gov.decide(session, p.id, APPROVER_2, decision("accept", "risk_confirmed"))
    assert err.value.status_code == 409
    assert err.value.extra["decided_by"] == APPROVER.email
    assert "already rejected" in err.value.detail
    assert count(session, RiskFlag, RiskFlag.proposal_id == p.id) == 0


def test_a_stale_copy_cannot_decide_twice(session: Session, gov: Governance, firm: Firm) -> None:
    # The guarded UPDATE compares status and version, whatever the caller believes.
    p = propose(session, gov, T.flag_risk, firm)
    assert repo.mark_decided(session, p, status="rejected", by="x", at=p.created_at)
    stale = Proposal(id=p.id, status="pending", version=1)
    assert not repo.mark_decided(session, stale, status="accepted", by="y", at=p.created_at)


@pytest.mark.parametrize(
    ("kind", "action", "reason", "extra"),
    [
        (T.assign_staff, "reject", "skill_gap", {}),
        (T.flag_risk, "accept", "risk_confirmed", {}),
        (T.send_status_summary, "accept", "ready_to_send", {}),
        (T.route_request, "accept", "correct_category", {}),
        (T.raise_change_request, "accept", "scope_confirmed", {}),
    ],
)
def test_every_type_has_its_reason_list(
    session: Session, gov: Governance, firm: Firm, kind: T, action: str, reason: str, extra: dict
) -> None:
    p = propose(session, gov, kind, firm)
    with pytest.raises(InvalidInput) as err:
        gov.decide(session, p.id, APPROVER, decision(action, "because_i_said_so"))
    assert err.value.status_code == 422
    assert reason in err.value.extra["allowed_reason_codes"]
    assert "because_i_said_so" in err.value.detail
    gov.decide(session, p.id, APPROVER, decision(action, reason, **extra))


def test_other_needs_a_note(session: Session, gov: Governance, firm: Firm) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    with pytest.raises(InvalidInput, match="needs a note"):
        gov.decide(session, p.id, APPROVER, decision("reject", "other", note=" "))
    gov.decide(session, p.id, APPROVER, decision("reject", "other", note="client said so"))


def test_accept_with_edits_keeps_both_payloads_and_the_edit_size(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.send_status_summary, firm)
    edited = {**p.payload, "draft": "We are on track for go-live on 1 May [f1]."}
    result = gov.decide(
        session, p.id, APPROVER, decision("accept_with_edits", "tone", edited_payload=edited)
    )
    d = result.decision
    assert result.proposal.status == "accepted_with_edits"
    assert d.edited_payload == d.final_payload and d.final_payload is not None
    assert d.final_payload["draft"].endswith("1 May [f1].")
    assert repo.get(session, p.id).payload["draft"] == "We are on track for go-live [f1]."
    assert d.edit_size == len(" on 1 May")
    note = session.get(StatusNote, d.effect["status_note_id"])
    assert note is not None and note.text == edited["draft"] and note.rag == "amber"


def test_edited_payloads_pass_the_same_schema(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.raise_change_request, firm)
    bad = {**p.payload, "estimated_hours": -5}
    with pytest.raises(InvalidInput) as err:
        gov.decide(session, p.id, APPROVER, decision("accept_with_edits", "estimate_too_high",
                                                      edited_payload=bad))  # fmt: skip
    assert err.value.extra["problems"][0]["field"] == "edited_payload.estimated_hours"
    with pytest.raises(InvalidInput, match="same as the proposal"):
        gov.decide(session, p.id, APPROVER, decision("accept_with_edits", "estimate_too_high",
                                                      edited_payload=p.payload))  # fmt: skip
    smaller = {**p.payload, "estimated_hours": 40}
    result = gov.decide(session, p.id, APPROVER, decision("accept_with_edits", "estimate_too_high",
                                                           edited_payload=smaller))  # fmt: skip
    cr = session.get(ChangeRequest, result.decision.effect["change_request_id"])
    assert cr is not None and cr.hours == 40 and cr.amount == 40 * firm.project.bill_rate


def test_override_assigns_the_person_the_approver_chose(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm)
    with pytest.raises(InvalidInput, match="what was proposed"):
        gov.decide(session, p.id, APPROVER, decision("override", choice=firm.consultant.id))
    result = gov.decide(
        session, p.id, APPROVER, decision("override", "continuity", choice=firm.consultant_2.id)
    )
    assert result.proposal.status == "overridden"
    assert result.decision.choice == firm.consultant_2.id
    assignment = session.get(Assignment, result.decision.effect["assignment_id"])
    assert assignment is not None and assignment.consultant_id == firm.consultant_2.id


def test_override_of_category_and_severity(session: Session, gov: Governance, firm: Firm) -> None:
    route = propose(session, gov, T.route_request, firm)
    gov.decide(session, route.id, APPROVER,
               decision("override", "wrong_category", choice="scope_change"))  # fmt: skip
    request = session.get(IncomingRequest, firm.request.id)
    assert request is not None and (request.category, request.status) == ("scope_change", "routed")

    risk = propose(session, gov, T.flag_risk, firm)
    with pytest.raises(InvalidInput, match="choice"):
        gov.decide(session, risk.id, APPROVER, decision("override", "severity_understated",
                                                         choice="apocalyptic"))  # fmt: skip
    result = gov.decide(session, risk.id, APPROVER,
                        decision("override", "severity_understated", choice="high"))  # fmt: skip
    flag = session.get(RiskFlag, result.decision.effect["risk_flag_id"])
    assert flag is not None and flag.severity == "high"


def test_types_without_options_cannot_be_overridden(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.send_status_summary, firm)
    with pytest.raises(InvalidInput, match="cannot be overridden"):
        gov.decide(session, p.id, APPROVER, decision("override", "tone", choice="internal"))


def test_a_requester_never_decides_their_own_proposal(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm, requested_by=APPROVER.email)
    with pytest.raises(SegregationOfDuties) as err:
        gov.decide(session, p.id, APPROVER, decision("accept", "risk_confirmed"))
    assert err.value.status_code == 403
    assert "segregation of duties" in err.value.detail
    gov.decide(session, p.id, APPROVER_2, decision("accept", "risk_confirmed"))


def test_promotion_by_whoever_trained_the_model_is_refused(
    session: Session, gov: Governance, firm: Firm
) -> None:
    promoted: list[tuple[str, str]] = []

    class Registry:
        def promote(self, model_name: str, version: str) -> dict[str, object]:
            promoted.append((model_name, version))
            return {"alias": "champion"}

    gov.set_promoter(Registry())
    p = propose(session, gov, T.promote_model, firm, requested_by=DATA_SCIENTIST.email)
    with pytest.raises(SegregationOfDuties):
        gov.decide(session, p.id, DATA_SCIENTIST, decision("accept", "challenger_better"))
    with pytest.raises(NotFound):  # approvers do not even see model promotions
        gov.decide(session, p.id, DIRECTOR, decision("accept", "challenger_better"))
    result = gov.decide(session, p.id, DATA_SCIENTIST_2, decision("accept", "challenger_better"))
    assert promoted == [("risk", "7")]
    assert result.decision.effect["registry"] == {"alias": "champion"}


def test_approvers_decide_only_within_their_scope(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    with pytest.raises(NotFound):  # out of scope: not even visible
        gov.decide(session, p.id, OUTSIDER, decision("accept", "risk_confirmed"))
    with pytest.raises(SegregationOfDuties):  # the delivery manager asked for it
        gov.decide(session, p.id, DM, decision("accept", "risk_confirmed"))
    cloud = propose(session, gov, T.flag_risk, firm, project_id=firm.cloud_project.id)
    with pytest.raises(NotFound):
        gov.decide(session, cloud.id, APPROVER, decision("accept", "risk_confirmed"))
    gov.decide(session, cloud.id, DIRECTOR, decision("accept", "risk_confirmed"))


def test_thresholds_route_to_a_director(session: Session, gov: Governance, firm: Firm) -> None:
    big = propose(session, gov, T.assign_staff, firm, project_id=firm.big_project.id)
    assert big.assignee_group == "delivery_directors"
    assert big.policy_rule == "assign_staff.large_engagement"
    with pytest.raises(NotAnApprover) as err:
        gov.decide(session, big.id, APPROVER, decision("accept", "good_fit"))
    assert err.value.extra["required_groups"] == ["delivery_directors"]
    gov.decide(session, big.id, DIRECTOR, decision("accept", "good_fit"))


def test_an_override_that_crosses_a_threshold_needs_the_senior_group(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm)
    assert p.policy_trace["facts"]["margin"] == 0.5
    with pytest.raises(NotAnApprover, match="delivery_directors"):
        gov.decide(session, p.id, APPROVER, decision("override", "cost", choice=firm.expensive.id))
    assert repo.get(session, p.id).status == "pending"
    gov.decide(session, p.id, DIRECTOR, decision("override", "cost", choice=firm.expensive.id))


def test_a_failing_effect_leaves_no_decision_and_no_audit_event(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm)
    firm.consultant.active = False  # left the firm after the proposal was made
    session.flush()
    events_before = count(session, AuditEvent)
    outbox_before = count(session, OutboxEvent)
    with pytest.raises(InvalidInput, match="no active consultant"), session.begin_nested():
        gov.decide(session, p.id, APPROVER, decision("accept", "good_fit"))
    assert repo.get(session, p.id).status == "pending"
    assert repo.decision_for(session, p.id) is None
    assert count(session, AuditEvent) == events_before
    assert count(session, OutboxEvent) == outbox_before
    assert count(session, Assignment, Assignment.project_id == firm.project.id) == 0
    assert audit.verify(session).ok


def test_nobody_chosen_means_override_or_reject(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm, candidates=[])
    with pytest.raises(InvalidInput, match="Nobody is chosen"), session.begin_nested():
        gov.decide(session, p.id, APPROVER, decision("accept", "good_fit"))
    gov.decide(session, p.id, APPROVER, decision("override", "good_fit", choice=firm.consultant.id))


def test_a_retried_decision_returns_the_first_result(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    first = gov.decide(session, p.id, APPROVER, decision("accept", "risk_confirmed"),
                       idempotency_key="k-1")  # fmt: skip
    again = gov.decide(session, p.id, APPROVER, decision("accept", "risk_confirmed"),
                       idempotency_key="k-1")  # fmt: skip
    assert again.replayed and not first.replayed
    assert again.decision == first.decision
    assert count(session, RiskFlag, RiskFlag.proposal_id == p.id) == 1
    assert [e.action for e in audit.history(session, p.id)].count("proposal.accepted") == 1
    with pytest.raises(IdempotencyKeyReused):
        gov.decide(session, p.id, APPROVER, decision("reject", "false_positive"),
                   idempotency_key="k-1")  # fmt: skip
    decided = OutboxEvent.proposal_id == p.id, OutboxEvent.type == "proposal.decided"
    assert count(session, OutboxEvent, *decided) == 1
