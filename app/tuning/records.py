"""Reading decided proposals from the approval queue as ``models.tuning`` records.

Expired proposals (nobody decided) and policy auto-accepts (nobody looked) carry no human
judgement and are left out. Routing proposals made from a stored request get its wording;
risk flags whose proposal did not keep the feature snapshot get the project's features
recomputed as they stood on the day the flag was raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables import IncomingRequest
from governance.tables import Decision, Proposal
from models.risk.features import CATEGORICAL, NUMERIC, compute_features
from models.tuning.records import DecisionRecord

RISK_INPUTS = (*NUMERIC, *CATEGORICAL)


def read_decisions(session: Session, kinds: Sequence[str]) -> list[DecisionRecord]:
    """Decisions people made on proposals of ``kinds``, oldest first."""
    rows = session.execute(
        select(Proposal, Decision)
        .join(Decision, Decision.proposal_id == Proposal.id)
        .where(
            Proposal.type.in_(list(kinds)),
            Decision.action != "expire",
            Decision.decider_role != "policy",
        )
        .order_by(Decision.decided_at, Proposal.id)
    ).all()
    records = [
        DecisionRecord(
            proposal_id=p.id,
            type=p.type,
            action=d.action,
            reason_code=d.reason_code,
            decided_at=d.decided_at,
            decided_by=d.decided_by,
            payload=p.payload,
            final_payload=d.final_payload,
            evidence=p.evidence or {},
            model_version=p.model_version,
            prompt_id=p.prompt_id,
            prompt_version=p.prompt_version,
            edit_size=d.edit_size,
            project_id=p.project_id,
            created_at=p.created_at,
        )
        for p, d in rows
    ]
    return _with_request_texts(session, _with_risk_features(session, records))


def _with_request_texts(session: Session, records: list[DecisionRecord]) -> list[DecisionRecord]:
    wanted = {
        int(r.payload["request_id"])
        for r in records
        if r.type == "route_request" and not r.payload.get("text") and r.payload.get("request_id")
    }
    if not wanted:
        return records
    texts = {
        rid: "\n".join(part for part in (subject, body) if part)
        for rid, subject, body in session.execute(
            select(IncomingRequest.id, IncomingRequest.subject, IncomingRequest.body).where(
                IncomingRequest.id.in_(wanted)
            )
        )
    }
    return [
        replace(r, text=texts.get(int(r.payload["request_id"])))
        if r.type == "route_request" and r.payload.get("request_id") in texts
        else r
        for r in records
    ]


def _has_snapshot(record: DecisionRecord) -> bool:
    features = record.evidence.get("features")
    return isinstance(features, dict) and all(k in features for k in RISK_INPUTS)


def _scored_on(record: DecisionRecord) -> date | None:
    """The day the project was scored: as the proposal says, else the day it was made."""
    features = record.evidence.get("features")
    if isinstance(features, dict) and isinstance(features.get("as_of"), str):
        try:
            return date.fromisoformat(features["as_of"])
        except ValueError:
            pass
    return record.created_at.date() if record.created_at is not None else None


def _with_risk_features(session: Session, records: list[DecisionRecord]) -> list[DecisionRecord]:
    missing: list[tuple[int, int, date]] = []
    for i, r in enumerate(records):
        if r.type == "flag_risk" and not _has_snapshot(r) and r.project_id is not None:
            day = _scored_on(r)
            if day is not None:
                missing.append((i, r.project_id, day))
    if not missing:
        return records
    snaps = compute_features(session, [(pid, day) for _, pid, day in missing])
    found = {(s.project_id, s.as_of): s.features for s in snaps}
    out = list(records)
    for i, pid, day in missing:
        features = found.get((pid, day))
        if features is not None:
            out[i] = replace(out[i], features=features)
    return out
