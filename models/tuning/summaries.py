"""Status summaries: how much approvers edit each prompt version's drafts, and why.

Nothing is trained here. ``send_status_summary`` drafts are accepted as written, edited
(``accept_with_edits`` records the edit size in characters) or rejected; per prompt version
this says which one approvers had to change least.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from models.tuning.records import DecisionRecord

KIND = "send_status_summary"


@dataclass(frozen=True)
class PromptStats:
    prompt: str  # "<prompt id> <version>"
    decisions: int
    as_written: int
    edited: int
    rejected: int
    mean_edit_chars: float  # over drafts that were sent; as written counts as 0
    median_edit_chars: float
    reasons: dict[str, int]

    @property
    def as_written_rate(self) -> float:
        return self.as_written / self.decisions if self.decisions else math.nan


def prompt_label(record: DecisionRecord) -> str:
    return f"{record.prompt_id or 'unknown prompt'} {record.prompt_version or '?'}"


def by_prompt_version(records: Sequence[DecisionRecord]) -> list[PromptStats]:
    """One row per prompt version, fewest characters edited first."""
    groups: dict[str, list[DecisionRecord]] = {}
    for r in records:
        if r.type == KIND:
            groups.setdefault(prompt_label(r), []).append(r)
    rows = []
    for label, rs in groups.items():
        sent = [r for r in rs if r.action in ("accept", "accept_with_edits")]
        sizes = [float(r.edit_size or 0) if r.action == "accept_with_edits" else 0.0 for r in sent]
        rows.append(
            PromptStats(
                prompt=label,
                decisions=len(rs),
                as_written=sum(r.action == "accept" for r in rs),
                edited=sum(r.action == "accept_with_edits" for r in rs),
                rejected=sum(r.action == "reject" for r in rs),
                mean_edit_chars=statistics.fmean(sizes) if sizes else math.nan,
                median_edit_chars=statistics.median(sizes) if sizes else math.nan,
                reasons=dict(Counter(r.reason_code for r in rs).most_common()),
            )
        )
    return sorted(rows, key=lambda s: (math.isnan(s.mean_edit_chars), s.mean_edit_chars))


def fewest_edits(stats: Sequence[PromptStats], min_decisions: int = 10) -> PromptStats | None:
    """The version with the smallest mean edit among those with ``min_decisions`` or more."""
    eligible = [
        s for s in stats if s.decisions >= min_decisions and not math.isnan(s.mean_edit_chars)
    ]
    return min(eligible, key=lambda s: (s.mean_edit_chars, -s.as_written_rate), default=None)
