"""Training on a small crafted history: the model finds the signal, stays calibrated, and
explains a project with the drivers that made it risky."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy.orm import Session

from domain.tables import ChangeRequest, Project, StatusNote, TimeEntry
from models.risk import RiskService, features_on, firm_history
from models.risk.evaluation import NotEnoughHistory, time_split
from models.risk.service import SEVERITIES
from models.risk.training import FIRM_SPEC, fit, train_and_evaluate
from tests import factories as f

ORIGIN = date(2024, 1, 1)  # a Monday
WEEKS = 12
CALM = "Weekly sync held. Deliverables accepted, on track."
WORRIED = "Blocked waiting on client data; testing slipped, scope creep concerns."


def _project(
    session: Session,
    start: date,
    troubled: bool,
    who,
    *,
    closed: bool,
    rng: random.Random,
    weeks_run: int = WEEKS,
) -> Project:
    """A 12-week, 480 h project. Troubled ones raise change requests that get turned down,
    write worried status notes and file timesheets late, while burning and reporting progress
    exactly like calm ones until the back half; that is where their overrun shows."""
    end = start + timedelta(weeks=WEEKS)
    p = f.project(
        session,
        budget_hours=480.0,
        start_date=start,
        end_date=end,
        status="closed" if closed else "active",
    )
    f.assignment(session, p, who, 40, start, end)
    rows: list[object] = []
    for week in range(weeks_run):
        friday = start + timedelta(weeks=week, days=4)
        late = rng.random() < (0.6 if troubled else 0.1)
        rows.append(
            TimeEntry(
                project_id=p.id,
                consultant_id=who.id,
                work_date=friday,
                hours=40.0 + rng.uniform(-3, 3),
                description="work",
                submitted_on=friday + timedelta(days=10 if late else 0),
            )
        )
        if week % 2 == 1:
            rows.append(
                StatusNote(
                    project_id=p.id,
                    author="PM",
                    note_date=friday,
                    rag=("red" if rng.random() < 0.5 else "amber") if troubled else "green",
                    percent_complete=100.0 * (week + 1) / WEEKS,
                    text=WORRIED if troubled else CALM,
                )
            )
    if troubled:
        for k in (1, 2):
            rows.append(
                ChangeRequest(
                    project_id=p.id,
                    title=f"CR {k}",
                    hours=60.0,
                    status="rejected",
                    raised_on=start + timedelta(weeks=k),
                    decided_on=start + timedelta(weeks=k + 1),
                )
            )
    session.add_all(rows)
    if closed:
        # Outcomes are noisy: one project in eight goes the other way.
        overruns = troubled != (rng.random() < 0.125)
        p.actual_hours = 480.0 * (1.35 if overruns else 0.95)
        p.closed_on = end
    session.flush()
    return p


def build_history(session: Session, n: int = 60, seed: int = 3) -> list[Project]:
    """``n`` finished projects, one starting every week, 40 % of them troubled."""
    rng = random.Random(seed)
    who = f.consultant(session)
    return [
        _project(
            session, ORIGIN + timedelta(weeks=i), rng.random() < 0.4, who, closed=True, rng=rng
        )
        for i in range(n)
    ]


def live_pair(session: Session, start: date) -> tuple[Project, Project]:
    """A troubled and a calm project, six weeks into their twelve."""
    rng = random.Random(1)
    who = f.consultant(session)
    troubled = _project(session, start, True, who, closed=False, rng=rng, weeks_run=6)
    calm = _project(session, start, False, who, closed=False, rng=rng, weeks_run=6)
    return troubled, calm


@pytest.fixture
def history(session: Session) -> list:
    build_history(session)
    return firm_history(session)


def test_the_model_learns_the_crafted_signal_on_later_projects(history: list) -> None:
    result = train_and_evaluate(history, FIRM_SPEC, threshold=0.5, test_share=0.3)
    ev, m = result.evaluation, result.evaluation.metrics
    assert ev.test_projects == 18 and ev.train_projects == 42
    # Burn and progress look alike on both kinds of project, so the burn rule sees nothing and
    # the model has to use change requests, status notes and late timesheets.
    assert m["roc_auc"] > 0.8
    assert m["roc_auc"] > m["baseline_roc_auc"] + 0.2
    assert m["brier"] < m["base_rate_brier"]
    # Calibrated-ish: predicted and observed overrun rates agree on the unseen projects.
    assert abs(ev.p.mean() - ev.y.mean()) < 0.15
    assert m["ece"] < 0.2
    assert {"25%", "50%", "75%"} == set(ev.by_stage)


def test_the_split_is_by_time_and_keeps_each_project_on_one_side(history: list) -> None:
    split = time_split(history, 0.3)
    train, test = {e.group for e in split.train}, {e.group for e in split.test}
    assert not train & test
    ends = {side: [e.ended_on for e in rows if e.ended_on] for side, rows in vars(split).items()}
    assert len(ends["test"]) == len(split.test)
    assert min(ends["test"]) >= max(ends["train"])


def test_drivers_point_the_right_way_on_a_crafted_project(session: Session, history: list) -> None:
    model = fit(history, FIRM_SPEC)
    troubled, calm = live_pair(session, ORIGIN + timedelta(weeks=80))
    service = RiskService(model, "test", flag_threshold=0.3, bands=(0.25, 0.5, 0.75))
    as_of = troubled.start_date + timedelta(weeks=6)
    bad, good = service.assess(session, [troubled.id, calm.id], as_of)
    assert bad.probability > good.probability + 0.15
    assert (bad.flagged, good.flagged) == (bad.probability >= 0.3, good.probability >= 0.3)
    assert SEVERITIES.index(bad.severity) > SEVERITIES.index(good.severity)

    raised = {d.factor: d for d in bad.drivers if d.effect > 0}
    assert raised.keys() & {"change_requests", "status_notes", "late_time"}
    assert all(
        d.effect < 0 for d in good.drivers if d.factor in ("change_requests", "status_notes")
    )
    if "change_requests" in raised:
        assert (
            raised["change_requests"].sentence == "2 change requests raised (120 h, 25% of budget)"
        )
    if "status_notes" in raised:
        assert raised["status_notes"].sentence.startswith("last 3 status notes: ")
    # The effects are what the model says when the factor is set to its typical value.
    (snap,) = features_on(session, [troubled.id], as_of)
    top = bad.drivers[0]
    typical = dict(snap.features) | {k: model.reference[k] for k in model.groups[top.factor]}
    assert np.isclose(bad.probability - model.predict([typical])[0], top.effect, atol=1e-3)


def test_a_history_with_one_outcome_is_refused(session: Session) -> None:
    rng = random.Random(0)
    who = f.consultant(session)
    for i in range(12):
        _project(session, ORIGIN + timedelta(weeks=i), False, who, closed=True, rng=rng)
    examples = [e for e in firm_history(session) if e.label == 0]
    with pytest.raises(NotEnoughHistory, match="no overruns"):
        train_and_evaluate(examples, FIRM_SPEC, threshold=0.5)


def test_the_eval_reports_held_out_rows_beside_the_burn_rule(session: Session) -> None:
    from evals.risk import evaluate

    build_history(session)
    rows = {r.metric: r for r in evaluate(session)}
    assert set(rows) == {"roc_auc", "brier", "ece", "flag_precision", "flag_recall"}
    assert all(r.baseline_name == "burn-rate rule" for r in rows.values())
    assert rows["roc_auc"].ours > (rows["roc_auc"].baseline or 1.0)
    assert not rows["brier"].higher_is_better
    assert rows["brier"].ours < (rows["brier"].baseline or 0.0)
    assert "18 later projects" in rows["roc_auc"].note
