"""Proposal and decision persistence. Functions flush; the caller's unit of work commits."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import ColumnElement

from domain.errors import InvalidInput, NotFound
from domain.types import MAX_ID
from governance import access
from governance.actor import Actor
from governance.hashing import content_hash
from governance.policies import Policies
from governance.schemas import ProposalFilters
from governance.tables import Decision, Proposal

HASHED_FIELDS = (
    "type",
    "payload",
    "evidence",
    "model_version",
    "prompt_id",
    "prompt_version",
    "requested_by",
    "thread_id",
    "run_id",
    "mlflow_trace_id",
)


def hash_of(values: dict[str, Any]) -> str:
    """The content hash: what was proposed, by which model and prompt, for whom, from which run."""
    return content_hash({k: values.get(k) for k in HASHED_FIELDS})


def content_intact(p: Proposal) -> bool:
    return hash_of({k: getattr(p, k) for k in HASHED_FIELDS}) == p.content_hash


def get(session: Session, proposal_id: int) -> Proposal:
    p = session.get(Proposal, proposal_id, populate_existing=True)
    if p is None:
        raise NotFound.of("proposal", proposal_id)
    return p


def by_dedupe_key(session: Session, key: str) -> Proposal | None:
    return session.scalar(select(Proposal).where(Proposal.dedupe_key == key))


def decision_for(session: Session, proposal_id: int) -> Decision | None:
    return session.scalar(select(Decision).where(Decision.proposal_id == proposal_id))


def decision_by_key(session: Session, decided_by: str, key: str) -> Decision | None:
    return session.scalar(
        select(Decision).where(Decision.decided_by == decided_by, Decision.idempotency_key == key)
    )


def _guarded_update(session: Session, p: Proposal, values: dict[str, Any]) -> bool:
    # The transition happens only if nobody changed the proposal since it was read: one
    # statement, correct on SQLite and PostgreSQL alike, whatever locks the caller holds.
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Proposal)
            .where(Proposal.id == p.id, Proposal.status == "pending", Proposal.version == p.version)
            .values(version=p.version + 1, **values)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return False
    for key, value in {"version": p.version + 1, **values}.items():
        set_committed_value(p, key, value)
    return True


def mark_decided(session: Session, p: Proposal, *, status: str, by: str, at: datetime) -> bool:
    return _guarded_update(session, p, {"status": status, "decided_by": by, "decided_at": at})


def mark_escalated(
    session: Session,
    p: Proposal,
    *,
    level: int,
    group: str | None,
    at: datetime | None,
    next_at: datetime | None,
) -> bool:
    values: dict[str, Any] = {"escalation_level": level, "next_escalation_at": next_at}
    if group is not None:
        values |= {"escalated_to": group, "escalated_at": at}
    return _guarded_update(session, p, values)


def due_for_escalation(session: Session, now: datetime, limit: int = 500) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.status == "pending", Proposal.next_escalation_at <= now)
            .order_by(Proposal.next_escalation_at)
            .limit(limit)
        )
    )


def due_for_expiry(session: Session, now: datetime, limit: int = 500) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.status == "pending", Proposal.due_at <= now)
            .order_by(Proposal.due_at)
            .limit(limit)
        )
    )


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"before": last_id}).encode()).decode().rstrip("=")


_NOT_A_CURSOR = "cursor: not a cursor this API returned; pass next_cursor from the previous page"


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)["before"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(_NOT_A_CURSOR) from exc
    # A cursor holds a proposal id; one outside the id column is forged.
    if not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise InvalidInput(_NOT_A_CURSOR)
    return value


def list_page(
    session: Session,
    policies: Policies,
    actor: Actor,
    filters: ProposalFilters,
    *,
    now: datetime,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Proposal], str | None]:
    """Newest first, only what ``actor`` may see; ``next_cursor`` continues after the last row."""
    where: list[ColumnElement[bool]] = [access.visible_sql(policies, actor)]
    if filters.status:
        where.append(Proposal.status == filters.status)
    if filters.type:
        where.append(Proposal.type == filters.type.value)
    if filters.project_id is not None:
        where.append(Proposal.project_id == filters.project_id)
    if filters.practice:
        where.append(Proposal.practice == filters.practice)
    if filters.assigned_to_me:
        where.append(access.assigned_sql(policies, actor))
    if filters.overdue is True:
        where += [Proposal.status == "pending", Proposal.due_at < now]
    elif filters.overdue is False:
        where.append((Proposal.status != "pending") | (Proposal.due_at >= now))
    if cursor:
        where.append(Proposal.id < decode_cursor(cursor))
    rows = list(
        session.scalars(
            select(Proposal).where(*where).order_by(Proposal.id.desc()).limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].id) if more and rows else None
