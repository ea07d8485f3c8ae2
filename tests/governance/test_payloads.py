"""Payload schemas hold ids and hours to what the tables can store, whoever submits."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from governance.payloads import validate_payload
from governance.types import ProposalType

CHANGE = {"project_id": 1, "title": "Two extra interfaces", "scope_delta": "Two more interfaces",
          "estimated_hours": 80}  # fmt: skip


def test_an_id_beyond_the_id_columns_is_refused_by_name() -> None:
    risk = {"project_id": 2**40, "probability": 0.6, "severity": "medium", "drivers": []}

    with pytest.raises(InvalidInput, match="project_id"):
        validate_payload(ProposalType.flag_risk, risk)

    assert validate_payload(ProposalType.flag_risk, {**risk, "project_id": 7})["project_id"] == 7


@pytest.mark.parametrize("hours", [float("inf"), float("nan"), 1e308])
def test_change_request_hours_must_be_finite_and_bounded(hours: float) -> None:
    change = {**CHANGE, "estimated_hours": hours}

    with pytest.raises(InvalidInput, match=r"payload\.estimated_hours"):
        validate_payload(ProposalType.raise_change_request, change)


def test_a_change_request_with_sensible_hours_is_accepted() -> None:
    valid = validate_payload(ProposalType.raise_change_request, CHANGE)
    assert valid["estimated_hours"] == 80
