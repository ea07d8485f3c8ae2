"""What the app plugs into the approval queue, as protocols, and how they are called.

Listeners run after the transaction commits: whatever they do, the decision or event they hear
about is already stored. A listener that raises is logged and the next one still runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from governance.payloads import Candidate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecisionNotice:
    """What a listener hears about a decision (or an expiry, or an auto-accept)."""

    proposal_id: int
    proposal_type: str
    action: str
    status: str
    decided_by: str
    reason_code: str
    note: str
    final_payload: dict[str, Any] | None
    thread_id: str | None = None
    run_id: str | None = None
    mlflow_trace_id: str | None = None
    model_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EventNotice:
    """A stored inbound event and what processing it produced."""

    event_id: str
    type: str
    payload: dict[str, Any]
    result: dict[str, Any]


@runtime_checkable
class DecisionListener(Protocol):
    """Told after a decision commits (the agent resumes its paused run; MLflow feedback)."""

    def on_decision(self, notice: DecisionNotice) -> None: ...


@runtime_checkable
class EventSubscriber(Protocol):
    """Told after an inbound event commits (the agent reacts to deals, timesheets, ...)."""

    def on_event(self, notice: EventNotice) -> None: ...


@dataclass(frozen=True)
class StaffingNeed:
    project_id: int
    role: str
    hours_per_week: float
    start_date: date
    end_date: date
    skills: tuple[str, ...] = ()
    role_level: str | None = None


@runtime_checkable
class CandidateSource(Protocol):
    """Ranks consultants for a staffing need (the staffing recommender plugs in here)."""

    def candidates(self, session: Session, need: StaffingNeed) -> list[Candidate]: ...


@runtime_checkable
class ModelPromoter(Protocol):
    """Makes a registered model version the champion (the MLflow registry plugs in here).

    Called inside the decision's transaction, as its last step: if it raises, the decision is
    not recorded.
    """

    def promote(self, model_name: str, version: str) -> dict[str, Any]: ...


class NoCandidates:
    """The default source until a recommender is plugged in: an approver picks the person."""

    def candidates(self, session: Session, need: StaffingNeed) -> list[Candidate]:
        return []


class RecordOnlyPromoter:
    """The default promoter: the promotion is recorded (audit, outbox) and applied by others."""

    def promote(self, model_name: str, version: str) -> dict[str, Any]:
        return {"applied": False, "note": "no model registry plugged in"}


def notify_decisions(listeners: Iterable[DecisionListener], notices: list[DecisionNotice]) -> None:
    for notice in notices:
        for listener in listeners:
            try:
                listener.on_decision(notice)
            except Exception:
                log.exception(
                    "decision listener %r failed for proposal %s (the decision is stored)",
                    listener,
                    notice.proposal_id,
                )


def notify_event(subscribers: Iterable[EventSubscriber], notice: EventNotice) -> None:
    for sub in subscribers:
        try:
            sub.on_event(notice)
        except Exception:
            log.exception(
                "event subscriber %r failed for event %s (the event is stored)",
                sub,
                notice.event_id,
            )
