"""Column types and vocabularies shared by the tables, and the bounds input must keep to fit
in them (used by every request schema, so no request reaches a column it would overflow)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError
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


# -- Bounds on input ---------------------------------------------------------------------------
# Request schemas use these so that no input reaches a column it cannot fit: ids are PostgreSQL
# ``integer`` columns, PostgreSQL text refuses NUL, dates stay in a window that date arithmetic
# (weeks ahead, time-zone shifts) cannot push past year 1 or 9999, and hours and money stay
# where sums and products of them remain finite.

MAX_ID = 2**31 - 1
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
MAX_HOURS = 1_000_000.0  # about 500 person-years: more than any project or change request
MAX_MONEY = 1e12
# The largest integer a JSON number carries exactly; no figure of a firm comes near it.
MAX_JSON_NUMBER = 2**53

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Hours = Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]


def no_nul(value: str) -> str:
    """``value`` unchanged if it has no NUL character, which PostgreSQL text cannot hold."""
    if "\x00" in value:
        raise PydanticCustomError(
            "nul_character",
            "contains a NUL character (\\x00) at position {position}; remove it",
            {"position": value.index("\x00")},
        )
    return value


# Put length limits before ``NoNul``: pydantic then reports them as "String should have at
# most N characters" (``Annotated[str, Field(max_length=80), NoNul]``).
NoNul = AfterValidator(no_nul)
Text = Annotated[str, NoNul]


def _in_window(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise PydanticCustomError("timezone_required", "give a timezone, e.g. 2026-11-01T00:00:00Z")
    # The local date is checked first: 9999-12-31T23:59-12:00 overflows on the way to UTC.
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "must lie between {first} and {last}",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value.astimezone(UTC)


# A timezone-aware moment within the date window, handed on in UTC.
Moment = Annotated[datetime, AfterValidator(_in_window)]


def _unstorable(value: Any, key: str) -> str | None:
    """Why ``value``, found under ``key``, cannot be stored or computed with; None if it can."""
    if isinstance(value, str):
        return "contains a NUL character (\\x00)" if "\x00" in value else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"is {value}; send a finite number"
    if abs(value) > MAX_JSON_NUMBER:
        return f"is {value:g}, beyond the largest number accepted ({MAX_JSON_NUMBER})"
    if isinstance(value, int) and (key == "id" or key.endswith("_id")) and abs(value) > MAX_ID:
        return f"is {value}, larger than any id (at most {MAX_ID})"
    return None


def _first_unstorable(value: Any, path: str = "", key: str = "") -> tuple[str, str] | None:
    if isinstance(value, dict):
        for k, v in value.items():
            if "\x00" in str(k):
                return f"{path}{k!r}", "has a NUL character (\\x00) in its name"
            if found := _first_unstorable(v, f"{path}{k}.", str(k)):
                return found
        return None
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            if found := _first_unstorable(v, f"{path}{i}.", key):
                return found
        return None
    reason = _unstorable(value, key)
    return (path.rstrip(".") or "the value", reason) if reason else None


def storable_json(value: Any) -> Any:
    """``value`` unchanged if every string, number and id in it fits the tables.

    Free-form JSON (payloads, evidence, event data) is checked once, on the way in, before
    anything hashes it or binds it to a query: no NUL characters, only finite numbers within
    ``MAX_JSON_NUMBER``, and integers under an ``id`` or ``*_id`` key that fit an id column.
    """
    if found := _first_unstorable(value):
        where, reason = found
        raise PydanticCustomError(
            "unstorable_json", "{where} {reason}", {"where": where, "reason": reason}
        )
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(storable_json)]
