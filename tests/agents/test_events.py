"""Inbound events start proactive runs: risk re-scores that flag once, and project set-up."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from agents import chat
from agents.copilot import Copilot
from agents.ports import Requester
from agents.tables import ChatThread
from app.runtime import Runtime
from domain.db import unit_of_work
from domain.tables import Project, TimeEntry
from tests.agents.fakes import RecordingSink
from tests.agents.firm import TODAY, Firm


def _alerts(runtime: Runtime, owner: Requester) -> list[str]:
    with unit_of_work(runtime.sessions) as s:
        thread = s.scalar(
            select(ChatThread).where(
                ChatThread.owner_id == owner.user_id, ChatThread.kind == "alerts"
            )
        )
        return [m.content for m in chat.messages(s, thread.id)] if thread else []


def _book_hours(runtime: Runtime, project_id: int, consultant_id: int, hours: float) -> None:
    with unit_of_work(runtime.sessions) as s:
        s.add(
            TimeEntry(
                project_id=project_id,
                consultant_id=consultant_id,
                hours=hours,
                work_date=TODAY - timedelta(days=1),
                submitted_on=TODAY,
            )
        )


def _set_progress(runtime: Runtime, project_id: int, percent: float) -> None:
    with unit_of_work(runtime.sessions) as s:
        s.execute(update(Project).where(Project.id == project_id).values(percent_complete=percent))


def test_a_project_is_flagged_once_when_it_crosses_the_threshold(
    copilot: Copilot, sink: RecordingSink, firm: Firm, dm: Requester, runtime: Runtime
) -> None:
    event = {"project_id": firm.northwind}
    healthy = copilot.handle_event("timesheet.submitted", event)
    assert healthy is not None and healthy.status == "done" and sink.submitted == []

    _book_hours(runtime, firm.northwind, firm.people["Eli Novak"], 500)  # burn 100% at 40%
    crossed = copilot.handle_event("timesheet.submitted", event)
    again = copilot.handle_event("status.updated", event)

    [flag] = sink.submitted
    assert flag.type == "flag_risk" and flag.payload["project_id"] == firm.northwind
    assert crossed is not None and crossed.status == "awaiting_decision"
    assert again is not None and again.status == "done" and again.proposals == []
    assert "already flagged" in again.reply
    # The copilot asked on its own account, and told the project's delivery manager.
    assert flag.requester.role == "system"
    [alert] = _alerts(runtime, dm)
    assert "Overrun risk" in alert and "waiting for approval" in alert


def test_a_project_that_recovers_and_slips_again_is_flagged_again(
    copilot: Copilot, sink: RecordingSink, firm: Firm, dm: Requester, runtime: Runtime
) -> None:
    event = {"project_id": firm.fabrikam_migration}
    copilot.handle_event("timesheet.submitted", event)
    _set_progress(runtime, firm.fabrikam_migration, 95)  # the work caught up with the burn
    copilot.handle_event("status.updated", event)
    copilot.handle_event("status.updated", event)
    _set_progress(runtime, firm.fabrikam_migration, 40)
    copilot.handle_event("status.updated", event)

    assert [p.type for p in sink.submitted] == ["flag_risk", "flag_risk"]


def test_a_redelivered_event_runs_once(
    copilot: Copilot, sink: RecordingSink, firm: Firm, dm: Requester
) -> None:
    event = {"project_id": firm.fabrikam_migration, "event_id": "evt-42"}
    first = copilot.handle_event("timesheet.submitted", event)
    second = copilot.handle_event("timesheet.submitted", event)

    assert first is not None and second is not None
    assert second.status == "duplicate" and second.run_key == first.run_key
    assert len(sink.submitted) == 1


def test_an_approved_deal_proposes_set_up_and_staffing(
    copilot: Copilot, sink: RecordingSink, firm: Firm, dm: Requester, runtime: Runtime
) -> None:
    with unit_of_work(runtime.sessions) as s:
        external_id = s.get(Project, firm.contoso).external_id  # type: ignore[union-attr]
    deal = {
        "deal_id": "D-7",
        "client": "Contoso Ltd",
        "project_name": "Contoso Cloud Data Platform",
        "project_external_id": external_id,
        "start_date": "2027-01-04",
        "end_date": "2027-06-30",
        "budget_hours": 2000,
        "roles": [
            {"role": "data engineer", "skills": ["Spark"], "hours_per_week": 32},
            {"role": "BI analyst", "skills": ["Power BI"], "hours_per_week": 16},
        ],
    }
    result = copilot.handle_event("deal.approved", deal)

    assert result is not None
    setup = sink.of_type("route_request")[0]
    assert setup.payload["predicted_category"] == "project_setup"
    assert "D-7" in setup.payload["text"] and "data engineer, BI analyst" in setup.payload["text"]
    engineer, analyst = sink.of_type("assign_staff")
    assert engineer.payload["candidates"][0]["name"] == "Ana Costa"
    assert engineer.payload["start_date"] == "2027-01-04"
    assert analyst.payload["candidates"][0]["name"] == "Eli Novak"
    assert analyst.payload["hours_per_week"] == 16
    assert len(copilot.waiting_for(result.run_key)) == 3


def test_a_deal_for_a_project_not_yet_created_waits_for_it_before_staffing(
    copilot: Copilot, sink: RecordingSink, firm: Firm, dm: Requester
) -> None:
    deal = {
        "deal_id": "D-8",
        "project_name": "Tailspin Mobile App",
        "delivery_manager_email": dm.email,
        "roles": [{"role": "developer", "skills": ["Java"]}],
    }
    result = copilot.handle_event("deal.approved", deal)

    assert result is not None
    assert [p.type for p in sink.submitted] == ["route_request"]
    assert "once the project exists" in result.reply


def test_events_the_copilot_does_not_handle_or_cannot_place_do_nothing(
    copilot: Copilot, sink: RecordingSink, firm: Firm, dm: Requester, runtime: Runtime
) -> None:
    assert copilot.handle_event("invoice.released", {"project_id": firm.contoso}) is None
    unknown = copilot.handle_event("timesheet.submitted", {"project_id": 999_999})

    assert unknown is not None and unknown.status == "done"
    assert "names no project I know" in unknown.reply
    assert sink.submitted == []
    assert _alerts(runtime, dm) == []
