"""Override metrics: exact rates on a known set of decisions, the same from the database, and
``opscopilot feedback report`` recording them as an MLflow run with tables and plots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.feedback.report import DecisionRow, compute_metrics, override_metrics
from app.feedback.tables import render_report
from app.runtime import Runtime
from domain.db import unit_of_work
from governance.service import Governance
from governance.types import ProposalType
from tests.feedback.conftest import new_trace, propose
from tests.governance.factories import APPROVER, APPROVER_2, Firm, decision, make_firm

T = ProposalType
MONDAY = datetime(2026, 11, 2, 9, tzinfo=UTC)
ANA, BEN = "ana@firm.test", "ben@firm.test"


def row(
    n: int, kind: str, action: str, reason: str, by: str, hours: float, *,
    start: datetime = MONDAY, model: str | None = "m-1", prompt: str | None = None,
    edit: float | None = None, status: str = "delivered",
) -> DecisionRow:  # fmt: skip
    return DecisionRow(
        proposal_id=n, type=kind, action=action, reason_code=reason, decided_by=by,
        decider_role="policy" if by.startswith("policy:") else "approver",
        created_at=start, decided_at=start + timedelta(hours=hours), practice="Data & AI",
        model_version=model, prompt_version=prompt, edit_ratio=edit, feedback_status=status,
    )  # fmt: skip


LATER = MONDAY + timedelta(weeks=2)
ROWS = [
    row(1, "assign_staff", "accept", "good_fit", ANA, 1),
    row(2, "assign_staff", "accept", "good_fit", BEN, 2),
    row(3, "assign_staff", "override", "client_preference", ANA, 3, model="m-2"),
    row(4, "assign_staff", "override", "cost", ANA, 4, model="m-2"),
    row(5, "assign_staff", "reject", "skill_gap", BEN, 5, model="m-2", status="no_trace"),
    row(6, "assign_staff", "expire", "sla_expired", "policy:sla.assign_staff", 72,
        start=LATER - timedelta(hours=72)),
    row(7, "send_status_summary", "accept_with_edits", "tone", ANA, 6, start=LATER, model=None,
        prompt="p-2", edit=0.1),
    row(8, "send_status_summary", "accept_with_edits", "too_long", BEN, 7, start=LATER,
        model=None, prompt="p-2", edit=0.3, status="pending"),
    row(9, "send_status_summary", "accept", "ready_to_send", BEN, 8, start=LATER, model=None,
        prompt="p-2"),
    row(10, "route_request", "accept", "policy_auto_accept", "policy:route_request.confident",
        0, start=LATER, model="clf-3"),
]  # fmt: skip


def test_rates_on_a_known_set_of_decisions() -> None:
    m = compute_metrics(ROWS, until=LATER + timedelta(days=1))

    assert m.overall.decided == 10
    assert m.overall.rates == {
        "accepted": 0.4, "edited": 0.2, "overridden": 0.2, "rejected": 0.1, "expired": 0.1,
    }  # fmt: skip
    staff = m.by_type["assign_staff"]
    # Two overrides, and neither counts as accepted.
    assert staff.counts == {
        "accepted": 2, "edited": 0, "overridden": 2, "rejected": 1, "expired": 1,
    }  # fmt: skip
    assert staff.rates["accepted"] == staff.rates["overridden"] == 0.3333
    # Edits are edits: a status draft that needed changing was not accepted as written.
    summary = m.by_type["send_status_summary"]
    assert (summary.counts["edited"], summary.counts["accepted"]) == (2, 1)
    assert m.by_model_version["m-2"].rates["overridden"] == round(2 / 3, 4)
    assert set(m.by_model_version) == {"m-1", "m-2", "clf-3", "(none)"}
    assert m.by_prompt_version["p-2"].rates["edited"] == round(2 / 3, 4)
    assert m.by_practice["Data & AI"].decided == 10
    # People only: the SLA's expiry and the policy's auto-accept are nobody's decision.
    assert set(m.by_approver) == {ANA, BEN}
    assert m.by_approver[ANA].rates == {
        "accepted": 0.25, "edited": 0.25, "overridden": 0.5, "rejected": 0.0, "expired": 0.0,
    }  # fmt: skip
    assert m.by_approver[BEN].counts["accepted"] == 2
    assert m.by_reason_code["client_preference"].rates["overridden"] == 1.0
    assert m.by_reason_code["sla_expired"].rates["expired"] == 1.0


def test_time_to_decision_edits_weeks_and_delivery_on_a_known_set() -> None:
    m = compute_metrics(ROWS)

    # A person's decisions took 1..8 hours; expiries and auto-accepts are left out.
    everyone = m.time_to_decision["all"]
    assert (everyone.n, everyone.p50_hours, everyone.p90_hours) == (8, 4.5, 7.3)
    staff = m.time_to_decision["assign_staff"]
    assert (staff.n, staff.p50_hours, staff.p90_hours) == (5, 3.0, 4.6)
    assert "route_request" not in m.time_to_decision
    assert m.mean_edit_ratio == {"all": 0.2, "send_status_summary": 0.2}
    # Every week from the first decision to the last, the empty one included.
    assert [w.week_start for w in m.weekly] == [
        date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16),
    ]  # fmt: skip
    assert [w.decided for w in m.weekly] == [5, 0, 5]
    assert m.weekly[0].rates["overridden"] == 0.4 and m.weekly[1].rates["accepted"] == 0.0
    assert m.weekly[2].counts == {
        "accepted": 2, "edited": 2, "overridden": 0, "rejected": 0, "expired": 1,
    }  # fmt: skip
    assert m.feedback_status == {"delivered": 8, "no_trace": 1, "pending": 1}


def test_the_terminal_report_shows_every_table() -> None:
    text = render_report(compute_metrics(ROWS))
    for title in ("By proposal type", "By model version", "By prompt version", "By practice",
                  "By approver", "By reason code", "Time to decision", "By week",
                  "Feedback delivery"):  # fmt: skip
        assert title in text
    line = next(x for x in text.splitlines() if x.startswith("assign_staff"))
    assert line.split() == ["assign_staff", "6", "33.3%", "0.0%", "33.3%", "16.7%", "16.7%"]
    assert "(no decisions)" in render_report(compute_metrics([]))


def test_metrics_from_the_database(session: Session, gov: Governance, firm: Firm) -> None:
    start = datetime.now(UTC) - timedelta(days=3)
    kinds = [
        (T.assign_staff, decision("accept", "good_fit"), APPROVER),
        (T.assign_staff, decision("override", "cost", choice=firm.consultant_2.id), APPROVER),
        (T.flag_risk, decision("reject", "false_positive"), APPROVER_2),
        (T.send_status_summary, decision("accept_with_edits", "tone"), APPROVER_2),
    ]
    for i, (kind, request, who) in enumerate(kinds):
        p = propose(session, gov, kind, firm, now=start, trace_id=None if i == 0 else "tr-1")
        if request.action == "accept_with_edits":
            request.edited_payload = {**p.payload, "draft": p.payload["draft"] + " More."}
        gov.decide(session, p.id, who, request, now=start + timedelta(hours=i + 1))
    old = propose(session, gov, T.flag_risk, firm, now=start - timedelta(days=30))
    gov.decide(session, old.id, APPROVER, decision("accept", "risk_confirmed"),
               now=start - timedelta(days=29))  # fmt: skip

    m = override_metrics(session, since=start)

    assert m.overall.decided == 4
    assert m.overall.rates == {
        "accepted": 0.25, "edited": 0.25, "overridden": 0.25, "rejected": 0.25, "expired": 0.0,
    }  # fmt: skip
    assert m.by_type["assign_staff"].counts["accepted"] == 1
    assert set(m.by_approver) == {APPROVER.email, APPROVER_2.email}
    assert m.time_to_decision["all"].n == 4
    assert m.feedback_status == {"no_trace": 1, "pending": 3}
    assert 0 < m.mean_edit_ratio["send_status_summary"] < 0.5
    assert override_metrics(session).overall.decided == 5  # all time


@pytest.fixture
def cli_env(
    committed_engine: Engine, db_url: str, data_dir: Path, mlflow_uri: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Path]:  # fmt: skip
    from app.settings import get_settings

    monkeypatch.setenv("OPSCOPILOT_DATABASE_URL", db_url)
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OPSCOPILOT_MLFLOW__TRACKING_URI", mlflow_uri)
    monkeypatch.setenv("OPSCOPILOT_MLFLOW__EXPERIMENT", "feedback-report-tests")
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


def test_the_report_command_logs_a_run_with_metrics_tables_and_plots(
    cli_env: Path, runtime: Runtime, mlflow_uri: str
) -> None:
    from mlflow import MlflowClient

    from app.cli.main import cli

    gov = Governance.load()
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        for action, reason, choice in (("accept", "good_fit", None), ("accept", "good_fit", None),
                                       ("override", "cost", firm.consultant_2.id),
                                       ("reject", "skill_gap", None)):  # fmt: skip
            p = propose(s, gov, T.assign_staff, firm, trace_id=None)
            gov.decide(s, p.id, APPROVER, decision(action, reason, choice=choice))

    result = CliRunner().invoke(cli, ["feedback", "report", "--since", "2020-01-01"])

    assert result.exit_code == 0, result.output
    assert "Override metrics, since 2020-01-01" in result.output
    staff = next(x for x in result.output.splitlines() if x.startswith("assign_staff"))
    assert staff.split() == ["assign_staff", "4", "50.0%", "0.0%", "25.0%", "25.0%", "0.0%"]
    run_id = result.output.split("logged MLflow run ")[1].split(";")[0]
    client = MlflowClient(tracking_uri=mlflow_uri)
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    metrics = run.data.metrics
    assert (metrics["acceptance_rate"], metrics["override_rate"]) == (0.5, 0.25)
    assert metrics["assign_staff.reject_rate"] == 0.25 and metrics["decisions"] == 4
    assert metrics["feedback.no_trace"] == 4
    plots = {f.path for f in client.list_artifacts(run_id, "plots")}
    assert plots == {"plots/rates_by_type.png", "plots/rates_by_week.png",
                     "plots/reason_codes.png"}  # fmt: skip
    tables = {f.path for f in client.list_artifacts(run_id, "tables")}
    assert {"tables/by_type.json", "tables/by_approver.json", "tables/weekly.json"} <= tables
    saved = cli_env.resolve() / "reports" / "feedback" / run_id
    assert (saved / "rates_by_week.png").stat().st_size > 0
    assert "By reason code" in (saved / "report.txt").read_text()
    assert f"#/experiments/{run.info.experiment_id}/runs/{run_id}" in result.output

    quiet = CliRunner().invoke(cli, ["feedback", "report", "--no-log"])
    assert quiet.exit_code == 0 and "logged MLflow run" not in quiet.output
    bad = CliRunner().invoke(cli, ["feedback", "report", "--since", "last week"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_the_deliver_and_status_commands(cli_env: Path, runtime: Runtime, tracing: str) -> None:
    from app.cli.main import cli

    gov = Governance.load()
    trace_id = new_trace()
    with unit_of_work(runtime.sessions) as s:
        firm = make_firm(s)
        for trace in (trace_id, None):
            p = propose(s, gov, T.flag_risk, firm, trace_id=trace)
            gov.decide(s, p.id, APPROVER, decision("accept", "risk_confirmed"))

    before = CliRunner().invoke(cli, ["feedback", "status"])
    assert before.exit_code == 0
    assert "delivered 0, pending 1, delivering 0, failed 0, no_trace 1" in before.output
    assert "oldest undelivered feedback is from" in before.output
    sent = CliRunner().invoke(cli, ["feedback", "deliver", "--once"])
    assert sent.exit_code == 0, sent.output
    assert "delivered 1" in sent.output
    assert "feedback: delivered 1, pending 0" in sent.output
