"""SLA: overdue proposals escalate, and expire without effect when nobody acts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.tables import Assignment
from governance import audit
from governance import proposals as repo
from governance.errors import ProposalAlreadyDecided
from governance.service import Governance
from governance.types import ProposalType
from tests.governance.factories import APPROVER, DIRECTOR, Firm, decision, propose

T = ProposalType


def test_escalation_records_the_level_and_lets_the_next_group_decide(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.flag_risk, firm, project_id=firm.cloud_project.id)
    assert p.assignee_group == "practice_approvers"
    assert gov.escalate_due(session, p.created_at + timedelta(hours=11)) == []
    assert gov.escalate_due(session, p.created_at + timedelta(hours=13)) == [p.id]
    assert gov.escalate_due(session, p.created_at + timedelta(hours=14)) == []  # once per level
    p = repo.get(session, p.id)
    assert (p.escalation_level, p.escalated_to) == (1, "delivery_directors")
    assert p.next_escalation_at is None  # flag_risk has one escalation step
    event = next(e for e in audit.history(session, p.id) if e.action == "proposal.escalated")
    assert event.actor == "policy:sla.flag_risk"
    assert event.data["escalated_to"] == "delivery_directors"
    gov.decide(session, p.id, DIRECTOR, decision("accept", "risk_confirmed"))


def test_expiry_is_the_safe_default(session: Session, gov: Governance, firm: Firm) -> None:
    p = propose(session, gov, T.assign_staff, firm)
    later = p.created_at + timedelta(hours=73)
    report = gov.sweep(session, later)
    assert report.escalated == [p.id] and report.expired == [p.id]
    p = repo.get(session, p.id)
    assert p.status == "expired" and p.decided_by == "policy:sla.assign_staff"
    d = repo.decision_for(session, p.id)
    assert d is not None and (d.action, d.reason_code, d.final_payload) == (
        "expire", "sla_expired", None
    )  # fmt: skip
    n = session.scalar(select(func.count()).select_from(Assignment)
                       .where(Assignment.project_id == firm.project.id))  # fmt: skip
    assert n == 0
    with pytest.raises(ProposalAlreadyDecided, match="already expired"):
        gov.decide(session, p.id, APPROVER, decision("accept", "good_fit"))
    assert gov.expire_overdue(session, later + timedelta(hours=1)) == []
    assert audit.verify(session).ok


def test_decided_proposals_never_expire(session: Session, gov: Governance, firm: Firm) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    gov.decide(session, p.id, APPROVER, decision("reject", "false_positive"))
    assert gov.sweep(session, p.created_at + timedelta(days=30)).expired == []
    assert repo.get(session, p.id).status == "rejected"
