"""Fixtures for approval-queue tests: the shipped policies and a small firm."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from governance.service import Governance
from tests.governance.factories import Firm, make_firm


@pytest.fixture
def gov() -> Governance:
    return Governance.load()


@pytest.fixture
def firm(session: Session) -> Firm:
    return make_firm(session)
