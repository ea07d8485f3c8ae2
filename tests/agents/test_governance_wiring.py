"""The copilot plugged into the real approval queue: submit, decide, resume; events in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from agents.adapters import SkillMatchRecommender
from agents.adapters.governance import (
    CopilotDecisionListener,
    CopilotEventSubscriber,
    GovernanceSink,
    RecommenderCandidateSource,
)
from agents.copilot import Copilot
from agents.ports import Requester
from app.runtime import Runtime
from domain import users
from domain.db import unit_of_work
from domain.tables import Project
from governance.actor import Actor
from governance.errors import SegregationOfDuties
from governance.event_schemas import EventIn
from governance.listeners import StaffingNeed
from governance.schemas import DecisionCreate
from governance.service import Governance
from governance.tables import Proposal
from tests.agents.conversation import Conversation
from tests.agents.firm import TODAY, Firm

STAFFING = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"


@pytest.fixture
def governance() -> Governance:
    return Governance.load()


@pytest.fixture
def wired(make_copilot: Callable[..., Copilot], governance: Governance) -> Copilot:
    copilot = make_copilot(proposals=GovernanceSink(governance))
    governance.add_decision_listener(CopilotDecisionListener(copilot))
    governance.add_event_subscriber(CopilotEventSubscriber(copilot))
    return copilot


def _approver(runtime: Runtime) -> Actor:
    with unit_of_work(runtime.sessions) as s:
        user = users.create_user(
            s, email="rita@example.com", name="Rita", role="approver", practices=["Data & AI"]
        )
        return Actor.of(user)


def test_a_decision_in_the_queue_resumes_the_conversation(
    wired: Copilot,
    governance: Governance,
    talk_to: Callable[[Copilot], Conversation],
    dm: Requester,
    runtime: Runtime,
) -> None:
    conversation = talk_to(wired)
    turn = conversation.say(STAFFING)
    with unit_of_work(runtime.sessions) as s:
        row = s.scalar(select(Proposal))
        assert row is not None
        assert (row.type, row.status) == ("assign_staff", "pending")
        assert row.requested_by == dm.email and row.submitted_by == "copilot"
        assert (row.thread_id, row.run_id) == (conversation.thread, turn.run_key)
        assert row.dedupe_key == f"{turn.run_key}:staff"
        assert row.model_version == "skill-match-1"
        assert row.evidence["request"] == STAFFING
        pid = row.id
    assert turn.proposals[0]["id"] == str(pid)

    approver = _approver(runtime)
    with unit_of_work(runtime.sessions) as s:
        governance.decide(s, pid, approver, DecisionCreate(action="accept", reason_code="good_fit"))

    assert wired.waiting_for(turn.run_key) == []
    last = conversation.history()[-1]
    assert f"Proposal {pid}" in last and "was accepted by rita@example.com" in last


def test_the_requester_cannot_approve_what_the_copilot_proposed_for_them(
    wired: Copilot,
    governance: Governance,
    talk_to: Callable[[Copilot], Conversation],
    dm: Requester,
    runtime: Runtime,
) -> None:
    """Segregation of duties holds for agent proposals: they are the asker's, not the bot's."""
    turn = talk_to(wired).say(STAFFING)
    pid = int(turn.proposals[0]["id"])
    with unit_of_work(runtime.sessions) as s:
        user = users.get_user_by_email(s, dm.email)  # promoted to approver after asking
        user.role = "approver"
        user.practices = ["Data & AI"]
    with pytest.raises(SegregationOfDuties), unit_of_work(runtime.sessions) as s:
        governance.decide(
            s, pid, Actor.of(user), DecisionCreate(action="accept", reason_code="good_fit")
        )
    assert wired.waiting_for(turn.run_key) == [str(pid)]


def test_a_status_update_event_in_the_queue_re_scores_risk(
    wired: Copilot, governance: Governance, firm: Firm, dm: Requester, runtime: Runtime
) -> None:
    with unit_of_work(runtime.sessions) as s:
        external_id = s.get(Project, firm.fabrikam_migration).external_id  # type: ignore[union-attr]
        governance.ingest_event(
            s,
            EventIn(
                id="evt-status-1",
                type="status.updated",
                data={
                    "project_external_id": external_id,
                    "author": "Dana",
                    "note_date": (TODAY - timedelta(days=1)).isoformat(),
                    "rag": "red",
                    "text": "Cutover slipped again.",
                },
            ),
            received_by="integration@example.com",
        )

    with unit_of_work(runtime.sessions) as s:
        flags = s.scalars(select(Proposal).where(Proposal.type == "flag_risk")).all()
        assert [(f.project_id, f.requested_by) for f in flags] == [
            (firm.fabrikam_migration, "copilot@system")
        ]


def test_governance_handlers_rank_candidates_with_the_recommender(
    firm: Firm, runtime: Runtime
) -> None:
    source = RecommenderCandidateSource(SkillMatchRecommender(), limit=2)
    need = StaffingNeed(
        project_id=firm.contoso,
        role="data engineer",
        hours_per_week=30,
        start_date=TODAY + timedelta(days=100),
        end_date=TODAY + timedelta(days=200),
        skills=("Spark", "Azure"),
    )
    with unit_of_work(runtime.sessions) as s:
        found = source.candidates(s, need)
    assert [c.name for c in found] == ["Ana Costa", "Ben Okafor"]
