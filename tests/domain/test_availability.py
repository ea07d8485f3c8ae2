"""Availability is computed for any window from capacity and assignments."""

from datetime import date

from sqlalchemy.orm import Session

from domain.availability import availability
from tests import factories as f


def test_free_hours_follow_the_busiest_week_of_the_window(session: Session) -> None:
    p = f.project(session)
    busy = f.consultant(session)
    f.assignment(session, p, busy, 30, date(2026, 3, 2), date(2026, 3, 8))  # one week only
    f.assignment(session, p, busy, 5, date(2026, 3, 2), date(2026, 3, 29))
    free = f.consultant(session)

    a = availability(session, date(2026, 3, 2), date(2026, 3, 29), [busy.id, free.id])
    assert a[busy.id].peak_committed_hours == 35
    assert a[busy.id].free_hours == 5
    # Over the four weeks the mean load is (35 + 5 + 5 + 5) / 4.
    assert a[busy.id].mean_committed_hours == 12.5
    assert a[free.id].free_hours == 40


def test_assignments_outside_the_window_do_not_count(session: Session) -> None:
    p = f.project(session)
    c = f.consultant(session, weekly_capacity_hours=32.0)
    f.assignment(session, p, c, 32, date(2026, 1, 5), date(2026, 2, 27))
    a = availability(session, date(2026, 3, 2), date(2026, 3, 27), [c.id])
    assert a[c.id].free_hours == 32


def test_a_project_can_be_left_out_when_re_planning_it(session: Session) -> None:
    p, other = f.project(session), f.project(session)
    c = f.consultant(session)
    f.assignment(session, p, c, 20, date(2026, 3, 2), date(2026, 3, 27))
    f.assignment(session, other, c, 10, date(2026, 3, 2), date(2026, 3, 27))
    a = availability(session, date(2026, 3, 2), date(2026, 3, 27), [c.id], exclude_project_id=p.id)
    assert a[c.id].free_hours == 30


def test_an_assignment_counts_in_every_week_it_touches_by_a_single_day(session: Session) -> None:
    # Window Wed 4 Mar - Tue 17 Mar 2026: weeks starting Mon 2, 9 and 16 March.
    p = f.project(session)
    ends_on_day_one, starts_on_a_sunday, both_edges = (f.consultant(session) for _ in range(3))
    f.assignment(session, p, ends_on_day_one, 10, date(2026, 2, 1), date(2026, 3, 4))
    f.assignment(session, p, starts_on_a_sunday, 10, date(2026, 3, 15), date(2026, 4, 30))
    f.assignment(session, p, both_edges, 10, date(2026, 3, 8), date(2026, 3, 16))
    outside = f.consultant(session)
    f.assignment(session, p, outside, 10, date(2026, 2, 1), date(2026, 3, 3))  # the day before

    a = availability(session, date(2026, 3, 4), date(2026, 3, 17))
    # (hours in week 1 + week 2 + week 3) / 3
    assert a[ends_on_day_one.id].mean_committed_hours == 10 / 3
    assert a[starts_on_a_sunday.id].mean_committed_hours == 20 / 3
    assert a[both_edges.id].mean_committed_hours == 10
    assert a[outside.id].peak_committed_hours == 0
