"""Reading decisions from the approval queue for tuning (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.tuning.records import read_decisions
from governance.service import Governance
from governance.types import ProposalType
from tests.governance.factories import DIRECTOR, Firm, decision, make_firm, propose


@pytest.fixture
def gov() -> Governance:
    return Governance.load()


@pytest.fixture
def firm(session: Session) -> Firm:
    return make_firm(session)


def test_people_decisions_are_read_with_the_request_wording_and_the_risk_features(
    session: Session, gov: Governance, firm: Firm
) -> None:
    routed = propose(session, gov, ProposalType.route_request, firm)
    gov.decide(session, routed.id, DIRECTOR,
               decision("override", "wrong_category", choice="scope_change"))  # fmt: skip
    flagged = propose(session, gov, ProposalType.flag_risk, firm)
    gov.decide(session, flagged.id, DIRECTOR, decision("reject", "false_positive"))
    # Confident enough for the policy to accept on its own: nobody looked, nothing to learn.
    propose(session, gov, ProposalType.route_request, firm, confidence=0.99)
    pending = propose(session, gov, ProposalType.flag_risk, firm)

    records = read_decisions(session, ["route_request", "flag_risk"])

    assert [r.proposal_id for r in records] == [routed.id, flagged.id]
    route, flag = records
    assert route.text == "Please add a data engineer"
    assert (route.payload["predicted_category"], route.final_payload) == (
        "staffing_request",
        {**route.payload, "predicted_category": "scope_change"},
    )
    # The proposal kept only one feature: the rest are recomputed as the project stood.
    assert flag.action == "reject" and flag.features is not None
    assert {"burn", "schedule_elapsed", "contract_type"} <= set(flag.features)
    assert flag.features["contract_type"] == firm.project.contract_type
    assert pending.id not in {r.proposal_id for r in records}
