"""Column types and vocabularies shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# JSON on SQLite, JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite drops the offset, so values are stored as naive UTC and handed back aware; mixing
    naive and aware datetimes is a class of bug this removes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(StrEnum):
    delivery_manager = "delivery_manager"
    approver = "approver"
    data_scientist = "data_scientist"
    admin = "admin"


class RoleLevel(StrEnum):
    analyst = "analyst"
    consultant = "consultant"
    senior_consultant = "senior_consultant"
    manager = "manager"
    senior_manager = "senior_manager"
    director = "director"
    partner = "partner"


class EngagementType(StrEnum):
    advisory = "advisory"
    implementation = "implementation"
    managed_service = "managed_service"
    support_retainer = "support_retainer"


class ContractType(StrEnum):
    fixed_fee = "fixed_fee"
    time_and_materials = "time_and_materials"
    retainer = "retainer"


class ProjectStatus(StrEnum):
    planned = "planned"
    active = "active"
    on_hold = "on_hold"
    closed = "closed"


class RequestCategory(StrEnum):
    staffing_request = "staffing_request"
    scope_change = "scope_change"
    status_report = "status_report"
    timesheet_expense = "timesheet_expense"
    billing_invoice = "billing_invoice"
    risk_escalation = "risk_escalation"
    project_setup = "project_setup"
    general_question = "general_question"
