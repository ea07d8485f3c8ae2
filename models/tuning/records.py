"""One decided proposal as the learning code sees it, and the time split every tuner uses.

The caller (``app.tuning.records``) reads proposals and decisions from the queue and builds
these; nothing here touches a database. Expired proposals carry no human signal and policy
auto-accepts were never looked at by a person, so callers leave both out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DecisionRecord:
    """A proposal and what a person decided about it."""

    proposal_id: int
    type: str  # proposal type, e.g. "assign_staff"
    action: str  # accept, accept_with_edits, override or reject
    reason_code: str
    decided_at: datetime
    decided_by: str
    payload: Mapping[str, Any]  # as proposed
    final_payload: Mapping[str, Any] | None  # as applied; None when rejected
    evidence: Mapping[str, Any] = field(default_factory=dict)
    model_version: str | None = None
    prompt_id: str | None = None
    prompt_version: str | None = None
    edit_size: int | None = None
    project_id: int | None = None
    created_at: datetime | None = None
    # The request's wording for ``route_request`` proposals made from a stored request.
    text: str | None = None
    # Risk features of the project when the proposal was made, if the caller recomputed them
    # (the proposal's own snapshot in ``evidence["features"]`` is preferred).
    features: Mapping[str, Any] | None = None

    @property
    def applied(self) -> bool:
        """The proposal's effect happened (accepted, edited or overridden)."""
        return self.action in ("accept", "accept_with_edits", "override")


def split_recent(
    records: Sequence[DecisionRecord], recent_share: float
) -> tuple[list[DecisionRecord], list[DecisionRecord]]:
    """``(older, recent)``: the most recent ``recent_share`` of decisions by decision time.

    The recent part is never trained on: a challenger and the champion are compared on it, as
    on decisions still to come.
    """
    if not 0.0 <= recent_share < 1.0:
        raise ValueError(f"recent_share must be in [0, 1), got {recent_share}")
    ordered = sorted(records, key=lambda r: (r.decided_at, r.proposal_id))
    n_recent = round(len(ordered) * recent_share)
    cut = len(ordered) - n_recent
    return ordered[:cut], ordered[cut:]


def of_type(records: Sequence[DecisionRecord], kind: str) -> list[DecisionRecord]:
    return [r for r in records if r.type == kind]


def counts(records: Sequence[DecisionRecord]) -> dict[str, int]:
    """Decisions per action, in a stable order."""
    out = dict.fromkeys(("accept", "accept_with_edits", "override", "reject"), 0)
    for r in records:
        out[r.action] = out.get(r.action, 0) + 1
    return out
