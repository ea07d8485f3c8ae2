"""The pages' pure parts: charts, the decision form's translation, history buckets, verdicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest

from app.feedback.report import DecisionRow, compute_metrics
from app.web import charts
from app.web import proposal_view as pv
from app.web.forms import Form
from app.web.model_registry import MetricRow
from app.web.pages import metrics
from app.web.viewer import safe_next
from domain.errors import InvalidInput

STAFF = {
    "project_id": 1,
    "role": "Data Engineer",
    "hours_per_week": 24,
    "start_date": "2027-01-04",
    "end_date": "2027-04-30",
    "candidates": [
        {"consultant_id": 7, "name": "Ana", "score": 0.9, "score_parts": {}, "reasons": []},
        {"consultant_id": 9, "name": "Ben", "score": 0.8, "score_parts": {}, "reasons": []},
    ],
    "chosen_consultant_id": 7,
}


def _draft(**values: str) -> pv.DecisionDraft:
    form = Form(parse_qs("&".join(f"{k}={v}" for k, v in values.items()), keep_blank_values=True))
    return pv.decision_from_form(form)


def test_charts_escape_labels_and_draw_empty_data() -> None:
    svg = charts.bars([charts.Bar("<script>x</script>", 3.0)], title='a "title" & more')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&#34;title&#34; &amp; more" in svg or "&quot;title&quot; &amp; more" in svg
    empty = charts.stacked_columns([("01 Jan", {}), ("08 Jan", {})], ["accepted"], title="t")
    assert empty.startswith("<svg") and "no decisions" in empty
    rows = charts.stacked_rows([("skill-match-1", {"accepted": 3, "overridden": 1})],
                               ["accepted", "overridden"], title="t")  # fmt: skip
    assert "75%" in rows and "Overridden: 1 of 4 (25%)" in rows
    target = charts.bars([charts.Bar("Staffing", 0.8)], title="t", max_value=1, target=0.9,
                         target_label="target 90%")  # fmt: skip
    assert "stroke-dasharray" in target and "target 90%" in target
    assert charts.sparkline([None, 1.0], title="t") == ""


def test_the_form_becomes_the_api_decision() -> None:
    override = pv.to_decision("assign_staff", STAFF, _draft(action="override", choice="9",
                                                              reason_code="cost"))  # fmt: skip
    assert (
        override.action == "override" and override.choice == 9 and override.edited_payload is None
    )

    edit = pv.to_decision(
        "assign_staff", STAFF,
        _draft(action="accept_with_edits", reason_code="other", note="  fewer  ",
               **{"edit.hours_per_week": "16.5", "edit.role": "Lead", "edit.bogus": "x"}),
    )  # fmt: skip
    assert edit.edited_payload is not None
    assert edit.edited_payload["hours_per_week"] == 16.5
    assert edit.edited_payload["role"] == "Lead"
    assert "bogus" not in edit.edited_payload
    assert edit.note == "fewer"

    accept = pv.to_decision("assign_staff", STAFF, _draft(action="accept", reason_code="good_fit"))
    assert accept.choice is None and accept.edited_payload is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"action": "", "reason_code": "cost"}, "Choose what to do"),
        ({"action": "accept", "reason_code": ""}, "Choose a reason code"),
        ({"action": "override", "reason_code": "cost"}, "Pick the option"),
        ({"action": "accept_with_edits", "reason_code": "cost", "edit.hours_per_week": "lots"},
         "hours per week: 'lots' is not a number"),
    ],
)  # fmt: skip
def test_incomplete_forms_say_what_is_missing(values: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        pv.to_decision("assign_staff", STAFF, _draft(**values))


def test_what_each_type_offers_to_edit_and_override() -> None:
    spec = pv.override_spec("assign_staff", STAFF)
    assert spec is not None and [o.value for o in spec.options] == ["9"]
    assert pv.override_spec("send_status_summary", {}) is None
    assert pv.override_spec("promote_model", {}) is None
    risk = pv.override_spec("flag_risk", {"severity": "high"})
    assert risk is not None and "high" not in [o.value for o in risk.options]
    assert pv.edit_fields("route_request", {}) == []
    assert pv.edit_fields("send_status_summary", {"draft": "x"})[0].name == "draft"
    assert pv.option_names("assign_staff", STAFF) == {7: "Ana", 9: "Ben"}


def test_citations_link_to_facts_and_text_is_escaped() -> None:
    html = pv.cite("Budget <b>ok</b> [pj:1, wk:2026-11-23] and [ms:2].")
    assert "&lt;b&gt;ok&lt;/b&gt;" in html
    assert '<a class="cite" href="#fact-pj-1">pj:1</a>' in html
    assert '<a class="cite" href="#fact-wk-2026-11-23">wk:2026-11-23</a>' in html
    assert 'href="#fact-ms-2"' in html


def test_titles_for_every_type() -> None:
    def p(kind: str, payload: dict[str, object]) -> SimpleNamespace:
        return SimpleNamespace(type=kind, payload=payload, project_id=1)

    names = {1: "Contoso · Platform"}
    assert (
        pv.title_of(p("assign_staff", STAFF), names)
        == "Staff a Data Engineer on Contoso · Platform"
    )
    assert pv.title_of(p("flag_risk", {"severity": "high"}), names).startswith("High overrun")
    assert "billing invoice" in pv.title_of(
        p("route_request", {"predicted_category": "billing_invoice"}), names
    )
    promote = p("promote_model", {"model_name": "risk", "challenger_version": "4"})
    assert pv.title_of(promote, {}) == "Promote risk v4"
    assert pv.summary_of(p("send_status_summary", {"draft": "On track [pj:1]."})) == "On track."


def test_weekly_buckets_include_empty_weeks() -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)  # a Thursday

    def row(days_ago: int, action: str, hours: float, role: str = "approver") -> DecisionRow:
        at = now - timedelta(days=days_ago)
        return DecisionRow(days_ago, "assign_staff", action, "good_fit", "sam", role,
                           at - timedelta(hours=hours), at)  # fmt: skip

    rows = [row(0, "accept", 2), row(1, "override", 4), row(2, "accept", 0, role="policy"),
            row(15, "reject", 10)]  # fmt: skip
    starts = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(4)]
    weeks = metrics.weekly(compute_metrics(rows), rows, starts)
    assert [w.start.isoformat() for w in weeks] == [
        "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
    ]  # fmt: skip
    assert weeks[-1].counts["accepted"] == 2 and weeks[-1].counts["overridden"] == 1
    assert weeks[-1].median_hours == 3  # a policy auto-accept is no one's time to decide
    assert weeks[1].counts["rejected"] == 1 and weeks[1].label == "09 Nov"
    assert sum(weeks[0].counts.values()) == 0 and weeks[0].median_hours is None
    assert metrics.reason_counts(compute_metrics(rows)) == [("good_fit", "accepted", 4)]


def test_metric_verdicts_know_which_way_is_better() -> None:
    assert MetricRow("roc_auc", 0.7, 0.75).verdict == "better"
    assert MetricRow("brier", 0.2, 0.25).verdict == "worse"
    assert MetricRow("log_loss", 0.5, 0.5).verdict == "same"
    assert MetricRow("ndcg", None, 0.5).verdict == ""


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/inbox?x=1", "/inbox?x=1"), ("//evil", "/home"), ("https://evil", "/home"),
     ("/\\evil", "/home"), ("", "/home"), (None, "/home")],
)  # fmt: skip
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target, "/home") == expected
