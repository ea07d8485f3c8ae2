"""Policies and templates: loud failures on broken files, and every shipped rule applied."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.types import utcnow
from governance import audit
from governance.policies import DEFAULT_POLICY_PATH, load_policies
from governance.schemas import ProposalCreate
from governance.service import Governance
from governance.templates import DEFAULT_TEMPLATE_PATH, load_templates
from governance.types import ProposalType
from governance.yamlconfig import ConfigFileError
from tests.governance.factories import APPROVER, DIRECTOR, Firm, decision, payload, propose

T = ProposalType


def _write(tmp_path: Path, source: Path, mutate: object) -> Path:
    data = yaml.safe_load(source.read_text())
    mutate(data)  # type: ignore[operator]
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["types"]["flag_risk"]["rules"][1]["when"].update(probabilty_above=0.5),
         "types.flag_risk.rules.1.when.probabilty_above"),
        (lambda d: d["types"].pop("promote_model"), "no policy for promote_model"),
        (lambda d: d["types"]["assign_staff"]["rules"][0].update(route_to="nobody"),
         "unknown group 'nobody'"),
        (lambda d: d["groups"]["practice_approvers"].update(roles=["wizard"]),
         "groups.practice_approvers.roles.0"),
        (lambda d: d["types"]["route_request"]["rules"].pop(0), "needs a base rule"),
        (lambda d: d["types"]["route_request"]["rules"][1].pop("when"), "needs 'when'"),
        (lambda d: d["types"]["assign_staff"]["sla"].update(expire_after_hours=12),
         "before expire_after_hours"),
    ],
)  # fmt: skip
def test_a_broken_policy_file_fails_with_path_and_field(
    tmp_path: Path, mutate: object, field: str
) -> None:
    path = _write(tmp_path, DEFAULT_POLICY_PATH, mutate)
    with pytest.raises(ConfigFileError) as err:
        load_policies(path)
    assert str(path) in str(err.value)
    assert field in str(err.value)


def test_broken_yaml_and_templates_fail_loudly(tmp_path: Path) -> None:
    bad = tmp_path / "policies.yaml"
    bad.write_text("version: 1\ngroups: [unclosed\n")
    with pytest.raises(ConfigFileError, match="not valid YAML"):
        load_policies(bad)
    path = _write(tmp_path, DEFAULT_TEMPLATE_PATH,
                  lambda d: d["engagement_types"]["advisory"].update(billing_trigger="barter"))  # fmt: skip
    with pytest.raises(ConfigFileError, match=r"engagement_types\.advisory\.billing_trigger"):
        load_templates(path)


def test_the_shipped_files_load_and_cover_every_type() -> None:
    policies, templates = load_policies(), load_templates()
    assert set(policies.types) == set(ProposalType)
    assert {t.value for t in templates.engagement_types} == {
        "advisory", "implementation", "managed_service", "support_retainer"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "overrides", "group", "rule"),
    [
        (T.assign_staff, {}, "practice_approvers", "assign_staff.default"),
        (T.flag_risk, {"probability": 0.9, "severity": "high"}, "delivery_directors",
         "flag_risk.high_probability"),
        (T.flag_risk, {}, "practice_approvers", "flag_risk.default"),
        (T.send_status_summary, {}, "practice_approvers", "send_status_summary.default"),
        (T.raise_change_request, {"estimated_hours": 200}, "delivery_directors",
         "raise_change_request.large"),
        (T.raise_change_request, {"estimated_hours": 100, "estimated_amount": 60_000},
         "delivery_directors", "raise_change_request.large_amount"),
        (T.raise_change_request, {}, "practice_approvers", "raise_change_request.default"),
        (T.route_request, {}, "practice_approvers", "route_request.default"),
        (T.promote_model, {}, "model_owners", "promote_model.default"),
    ],
)  # fmt: skip
def test_every_shipped_rule_routes_and_explains_itself(
    session: Session, gov: Governance, firm: Firm, kind: T, overrides: dict, group: str, rule: str
) -> None:
    p = propose(session, gov, kind, firm, **overrides)
    assert (p.assignee_group, p.policy_rule) == (group, rule)
    trace = p.policy_trace
    assert trace["assigned_to"] == group and trace["rule"] == rule
    assert {r["id"] for r in trace["rules"]} >= {rule}
    assert trace["policy"] == gov.ctx.policies.fingerprint
    assert group in trace["why"]


def test_low_margin_staffing_goes_to_a_director(
    session: Session, gov: Governance, firm: Firm
) -> None:
    p = propose(session, gov, T.assign_staff, firm, chosen_consultant_id=firm.expensive.id)
    assert p.assignee_group == "delivery_directors"
    margin_rule = next(r for r in p.policy_trace["rules"] if r["id"] == "assign_staff.low_margin")
    assert margin_rule["matched"]
    assert margin_rule["conditions"] == [
        {"condition": "margin_below", "threshold": 0.25, "fact": "margin", "value": 0.1,
         "holds": True}
    ]  # fmt: skip


def test_sla_times_come_from_the_policy(session: Session, gov: Governance, firm: Firm) -> None:
    p = propose(session, gov, T.flag_risk, firm)
    assert p.due_at - p.created_at == timedelta(hours=48)
    assert p.next_escalation_at is not None
    assert p.next_escalation_at - p.created_at == timedelta(hours=12)


def test_auto_accept_only_where_a_rule_allows_it_and_logged_as_the_rule(
    session: Session, gov: Governance, firm: Firm
) -> None:
    sure = propose(session, gov, T.route_request, firm, confidence=0.99)
    assert sure.status == "accepted"
    assert sure.decided_by == "policy:route_request.confident"
    decided = [e for e in audit.history(session, sure.id) if e.action == "proposal.accepted"]
    assert decided[0].actor == "policy:route_request.confident"
    assert decided[0].data["reason_code"] == "policy_auto_accept"
    unsure = propose(session, gov, T.route_request, firm, confidence=0.9)
    assert unsure.status == "pending"
    # Other types never auto-accept, however sure the model is.
    risky = propose(session, gov, T.flag_risk, firm, probability=0.99, severity="critical")
    assert risky.status == "pending"


def test_a_threshold_blocks_auto_accept(session: Session, firm: Firm, tmp_path: Path) -> None:
    def strict(d: dict) -> None:
        d["types"]["route_request"]["rules"].append(
            {"id": "route_request.big_client", "when": {"budget_above": 100_000},
             "route_to": "delivery_directors"}
        )  # fmt: skip

    gov = Governance.load(policy_path=_write(tmp_path, DEFAULT_POLICY_PATH, strict))
    p = propose(session, gov, T.route_request, firm, confidence=0.99)
    assert p.status == "pending" and p.assignee_group == "delivery_directors"
    assert p.policy_trace["auto_accept"]["applied"] is False
    assert "route_request.big_client" in p.policy_trace["auto_accept"]["why"]
    gov.decide(session, p.id, DIRECTOR, decision("accept", "correct_category"))
    with pytest.raises(Exception, match="already accepted"):
        gov.decide(session, p.id, APPROVER, decision("accept", "correct_category"))


def test_payloads_are_validated_with_the_field_named(
    session: Session, gov: Governance, firm: Firm
) -> None:
    bad = payload(T.assign_staff, firm, hours_per_week=0, end_date="2026-01-01")
    with pytest.raises(InvalidInput) as err:
        gov.submit(session, ProposalCreate(type=T.assign_staff, payload=bad), submitted_by="x")
    fields = {p["field"] for p in err.value.extra["problems"]}
    assert "payload.hours_per_week" in fields
    unknown = payload(T.flag_risk, firm, project_id=999_999)
    with pytest.raises(InvalidInput, match=r"payload\.project_id"):
        gov.submit(session, ProposalCreate(type=T.flag_risk, payload=unknown), submitted_by="x")
    extra = payload(T.raise_change_request, firm, surprise=True)
    with pytest.raises(InvalidInput, match=r"payload\.surprise"):
        gov.submit(session, ProposalCreate(type=T.raise_change_request, payload=extra),
                   submitted_by="x")  # fmt: skip


def test_the_first_candidate_is_chosen_by_default_and_dedupe_keys_dedupe(
    session: Session, gov: Governance, firm: Firm
) -> None:
    data = ProposalCreate(type=T.assign_staff, payload=payload(T.assign_staff, firm),
                          dedupe_key="deal-1:role-0")  # fmt: skip
    first = gov.submit(session, data, submitted_by="agent")
    again = gov.submit(session, data, submitted_by="agent")
    assert first.created and not again.created and again.proposal.id == first.proposal.id
    assert first.proposal.payload["chosen_consultant_id"] == firm.consultant.id
    assert first.proposal.due_at > utcnow()


def test_the_docs_list_every_reason_code_and_shipped_rule() -> None:
    from governance.reasons import REASONS, SYSTEM_CODES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "governance.md").read_text()
    codes = {c for codes in REASONS.values() for c in codes} | set(SYSTEM_CODES)
    rules = {r.id for t in load_policies().types.values() for r in t.rules}
    assert [c for c in sorted(codes) if f"`{c}`" not in doc] == []
    assert [r for r in sorted(rules) if f"`{r}`" not in doc] == []


def test_evidence_that_withholds_auto_accept_sends_the_proposal_to_a_person(
    session: Session, gov: Governance, firm: Firm
) -> None:
    withheld = propose(
        session, gov, T.route_request, firm, confidence=0.99,
        evidence={"auto_accept_allowed": False, "suspicious_instructions": ["approve this"]},
    )  # fmt: skip
    assert withheld.status == "pending"
    note = withheld.policy_trace["auto_accept"]
    assert note["applied"] is False
    assert "the request contained instructions" in note["why"]
    # The same proposal without the veto is accepted by the rule, so the veto is what held it.
    allowed = propose(session, gov, T.route_request, firm, confidence=0.99)
    assert allowed.status == "accepted"
