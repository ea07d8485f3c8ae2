"""Risk features are what was known on the day asked about, computed in a fixed few queries."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from domain.tables import Assignment, ChangeRequest
from models.risk import compute_features, features_on, firm_history, overran
from models.risk.lexicon import note_tone
from tests import factories as f

START = date(2026, 1, 5)  # a Monday
AS_OF = date(2026, 2, 27)  # a Friday, eight weeks in


def _same(a: dict[str, float | str], b: dict[str, float | str]) -> bool:
    def eq(x: float | str, y: float | str) -> bool:
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            return True
        return x == y

    return a.keys() == b.keys() and all(eq(a[k], b[k]) for k in a)


def running_project(session: Session) -> tuple:
    """A 20-week, 800 h project eight weeks in, with a bit of everything recorded."""
    p = f.project(
        session, budget_hours=800.0, start_date=START, end_date=START + timedelta(weeks=20)
    )
    alice, bob = f.consultant(session), f.consultant(session)
    f.assignment(session, p, alice, 40, START, START + timedelta(weeks=20), role="Lead")
    # Bob left after three weeks and Carol took over his role: two churn events.
    f.assignment(session, p, bob, 20, START, START + timedelta(weeks=3), role="Analyst")
    carol = f.consultant(session)
    f.assignment(
        session,
        p,
        carol,
        20,
        START + timedelta(weeks=4),
        START + timedelta(weeks=20),
        role="Analyst",
    )
    for week in range(8):
        friday = START + timedelta(weeks=week, days=4)
        late = week in (2, 5)
        f.time_entry(
            session, p, alice, friday, 40.0, submitted=friday + timedelta(days=9 if late else 0)
        )
    f.status_note(session, p, START + timedelta(weeks=2), "green", 15.0, "Kickoff held.")
    f.status_note(
        session, p, START + timedelta(weeks=6), "amber", 30.0, "Blocked on client data; delays."
    )
    session.add(
        ChangeRequest(
            project_id=p.id,
            title="Extra report",
            hours=80.0,
            status="approved",
            raised_on=START + timedelta(weeks=3),
            decided_on=START + timedelta(weeks=4),
        )
    )
    session.flush()
    return p, alice


def test_features_describe_the_project_on_the_day(session: Session) -> None:
    p, _ = running_project(session)
    (snap,) = features_on(session, [p.id], AS_OF)
    x = snap.features
    # 320 h logged (eight weeks of 40 h) against 800 h budget + 80 h approved change.
    assert x["burn"] == 320.0 / 880.0
    assert x["percent_complete"] == 0.30
    assert math.isclose(float(x["burn_gap"]), 320 / 880 - 0.30)
    assert math.isclose(float(x["schedule_elapsed"]), (AS_OF - START).days / 140)
    assert x["change_requests"] == 1.0
    assert x["team_churn"] == 2 / 3
    assert x["late_time_share"] == 80.0 / 320.0
    assert x["red_amber_share"] == 0.25
    assert float(x["note_tone"]) < 0  # "blocked", "delays"
    assert x["contract_type"] == "fixed_fee"
    assert snap.context["worries"] == ["block", "delay"]


def test_nothing_recorded_after_as_of_changes_the_features(session: Session) -> None:
    p, alice = running_project(session)
    (before,) = features_on(session, [p.id], AS_OF)
    later = AS_OF + timedelta(days=1)
    # Work after the day, and work before it whose timesheet arrived after it.
    f.time_entry(session, p, alice, later + timedelta(days=6), 40.0)
    f.time_entry(session, p, alice, AS_OF - timedelta(days=1), 30.0, submitted=later)
    f.status_note(session, p, later, "red", 10.0, "Everything is late and blocked.")
    session.add_all(
        [
            ChangeRequest(
                project_id=p.id,
                title="Late CR",
                hours=300.0,
                status="approved",
                raised_on=later,
                decided_on=later,
            ),
            ChangeRequest(
                project_id=p.id,
                title="Pending then",
                hours=100.0,
                status="approved",
                raised_on=AS_OF - timedelta(days=3),
                decided_on=later,
            ),
        ]
    )
    f.assignment(
        session, p, f.consultant(session), 40, later, later + timedelta(weeks=2), role="Lead"
    )
    # Alice's assignment is cut short after the day: on the day she was still on the team.
    lead = session.scalars(select(Assignment).where(Assignment.consultant_id == alice.id)).one()
    lead.end_date = later + timedelta(weeks=1)
    # The project row's final values are outcomes, never features.
    p.percent_complete, p.actual_hours = 100.0, 2000.0
    session.flush()
    (after,) = features_on(session, [p.id], AS_OF)
    changed = {
        k for k in before.features if not _same({k: before.features[k]}, {k: after.features[k]})
    }
    # The change request raised before the day counts as raised; its later approval does not
    # move the budget.
    assert changed == {"change_requests", "change_hours_share"}
    assert after.features["burn"] == before.features["burn"]

    # The check can fail: a timesheet submitted on the day does change the burn.
    f.time_entry(session, p, alice, AS_OF, 8.0, submitted=AS_OF)
    (again,) = features_on(session, [p.id], AS_OF)
    assert float(again.features["burn"]) > float(after.features["burn"])


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_batch_costs_the_same_few_queries_as_one_project(
    session: Session, engine: Engine
) -> None:
    projects = [running_project(session)[0] for _ in range(6)]
    with count_queries(engine) as one:
        compute_features(session, [(projects[0].id, AS_OF)])
    with count_queries(engine) as many:
        compute_features(
            session, [(p.id, AS_OF - timedelta(days=7 * i)) for i, p in enumerate(projects)]
        )
    assert len(one) == len(many) <= 5


def test_the_label_counts_approved_change_requests_and_a_ten_percent_margin() -> None:
    assert not overran(1100.0, 1000.0)
    assert overran(1101.0, 1000.0)
    assert not overran(1200.0, 1000.0, approved_change_hours=100.0)
    assert overran(1211.0, 1000.0, approved_change_hours=100.0)


def test_history_snapshots_finished_projects_before_they_closed(session: Session) -> None:
    end = START + timedelta(weeks=12)
    over = f.project(
        session,
        budget_hours=400.0,
        start_date=START,
        end_date=end,
        status="closed",
        closed_on=end,
        actual_hours=470.0,
    )
    # Approved change requests lift the budget to 450 h, so 470 h is within 10 %; the
    # rejected one does not count.
    session.add_all(
        [
            ChangeRequest(
                project_id=over.id, title="a", hours=50.0, status="approved", raised_on=START
            ),
            ChangeRequest(
                project_id=over.id, title="b", hours=500.0, status="rejected", raised_on=START
            ),
        ]
    )
    # No closing record: actual hours come from timesheets (13 x 40 = 520 h > 1.1 x 400).
    early_close = START + timedelta(weeks=5)
    logged = f.project(
        session,
        budget_hours=400.0,
        start_date=START,
        end_date=end,
        status="closed",
        closed_on=early_close,
    )
    who = f.consultant(session)
    for week in range(13):
        f.time_entry(session, logged, who, START + timedelta(weeks=week, days=4), 40.0)
        f.time_entry(session, over, who, START + timedelta(weeks=week, days=4), 30.0)
    f.project(session, start_date=START, end_date=end, status="active")  # still running: no label
    # Imported as totals, without timesheets: nothing to take a snapshot of.
    f.project(
        session, start_date=START, end_date=end, status="closed", closed_on=end, actual_hours=900.0
    )
    session.flush()

    examples = firm_history(session)
    by_project = {e.group: e for e in examples}
    assert set(by_project) == {str(over.id), str(logged.id)}
    assert by_project[str(over.id)].label == 0
    assert by_project[str(logged.id)].label == 1
    # Three snapshots of the first; the second closed after 5 of 12 weeks, so only the 25% one.
    assert sorted(e.stage for e in examples if e.group == str(over.id)) == ["25%", "50%", "75%"]
    assert [e.stage for e in examples if e.group == str(logged.id)] == ["25%"]


def test_note_tone_reads_worry_but_not_negated_worry() -> None:
    assert note_tone(["Blocked by missing access; go-live slipped."])[0] == -1.0
    assert note_tone(["No issues, on track."])[0] == 1.0
    assert note_tone(["Weekly sync held."]) == (0.0, [])
