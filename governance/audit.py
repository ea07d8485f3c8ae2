"""The append-only, hash-chained audit log.

Each event's hash is ``sha256(prev_hash + canonical_json(content))`` where the content holds
its sequence number, time, actor, action, proposal and data. Changing, deleting, inserting or
reordering any stored event breaks a link that ``verify`` reports. The head row (last sequence
and hash) also catches events cut off the end; anchoring the head hash somewhere outside the
database (``opscopilot audit verify`` prints it) protects against rewriting the whole chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from governance.hashing import canonical_json, jsonable, sha256_hex
from governance.tables import AuditEvent, AuditHead
from governance.uow import GENESIS, HEAD_ID, begin_write


def _content(
    seq: int, at: datetime, actor: str, action: str, proposal_id: int | None, data: Any
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "proposal_id": proposal_id,
        "data": data,
    }


def link_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return sha256_hex(prev_hash + canonical_json(content))


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    data: dict[str, Any],
    at: datetime,
    proposal_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    begin_write(session)
    seq, prev = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).one()
    # Store exactly what is hashed, so re-reading the row reproduces the hash.
    stored = jsonable(data)
    at = at.astimezone(UTC)
    digest = link_hash(prev, _content(seq + 1, at, actor, action, proposal_id, stored))
    row = AuditEvent(
        seq=seq + 1,
        at=at,
        actor=actor,
        action=action,
        proposal_id=proposal_id,
        data=stored,
        prev_hash=prev,
        hash=digest,
    )
    session.add(row)
    session.execute(
        update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=seq + 1, hash=digest)
    )
    return row


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""

    def report(self) -> str:
        if self.ok:
            return f"chain intact: {self.events} events (head {self.head_hash})"
        return f"chain broken at event {self.broken_at}: {self.problem}"


def verify(session: Session, *, batch: int = 1000) -> Verification:
    """Walk the chain in order and report the first broken link, if any."""
    expected, prev, count = 1, GENESIS, 0
    rows = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    )
    for row in rows:
        if row.seq != expected:
            what = "missing" if row.seq > expected else "duplicated or out of order"
            return Verification(
                False, count, prev, expected,
                f"expected event {expected} but found {row.seq} (events {what})",
            )  # fmt: skip
        if row.prev_hash != prev:
            return Verification(
                False, count, prev, row.seq,
                f"does not follow event {row.seq - 1}: prev_hash {row.prev_hash[:12]}… "
                f"!= {prev[:12]}… (an event was changed, reordered or removed before it)",
            )  # fmt: skip
        content = _content(row.seq, row.at, row.actor, row.action, row.proposal_id, row.data)
        if link_hash(prev, content) != row.hash:
            return Verification(
                False, count, prev, row.seq,
                "content does not match its hash (the event was changed)",
            )  # fmt: skip
        prev, expected, count = row.hash, expected + 1, count + 1
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).one_or_none()
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    if head_seq != count or head_hash != prev:
        return Verification(
            False, count, prev, count + 1,
            f"the chain head records {head_seq} events but {count} are stored "
            "(events were removed from the end, or the head was altered)",
        )  # fmt: skip
    return Verification(True, count, prev)


def history(session: Session, proposal_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.proposal_id == proposal_id).order_by(AuditEvent.seq)
        )
    )
