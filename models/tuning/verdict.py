"""Whether a challenger should be proposed for promotion.

A challenger is proposed when it agrees with recent decisions it never trained on clearly
better than the champion, and no held-out evaluation number is worse by more than that
number's noise allowance. Numbers that could not be computed are reported, never counted as
a pass or a failure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

# recent: on decisions held out; held_out: on the evaluation sets; info: shown, never decides
Kind = Literal["recent", "held_out", "info"]


@dataclass(frozen=True)
class Check:
    """One number, champion beside challenger."""

    name: str
    kind: Kind
    champion: float
    challenger: float
    higher_is_better: bool = True
    # held-out: how much worse the challenger may be before it counts as a regression
    tolerance: float = 0.0
    primary: bool = False  # recent: the number the promotion is decided on
    note: str = ""

    @property
    def gain(self) -> float:
        """Challenger minus champion, positive when the challenger is better."""
        d = self.challenger - self.champion
        return d if self.higher_is_better else -d

    @property
    def known(self) -> bool:
        return not (math.isnan(self.champion) or math.isnan(self.challenger))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "champion": None if math.isnan(self.champion) else round(self.champion, 4),
            "challenger": None if math.isnan(self.challenger) else round(self.challenger, 4),
            "gain": round(self.gain, 4) if self.known else None,
            "higher_is_better": self.higher_is_better,
            "primary": self.primary,
            "note": self.note,
        }


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reasons: list[str]
    checks: list[Check]

    def as_dict(self) -> dict[str, Any]:
        return {
            "promote": self.promote,
            "reasons": self.reasons,
            "checks": [c.as_dict() for c in self.checks],
        }


def judge(
    checks: Sequence[Check], *, recent_decisions: int, min_recent: int = 10, min_gain: float = 0.02
) -> Verdict:
    """Promote when the primary recent number gains ``min_gain`` and nothing held out regresses."""
    reasons: list[str] = []
    ok = True
    primary = [c for c in checks if c.kind == "recent" and c.primary]
    if recent_decisions < min_recent:
        ok = False
        reasons.append(
            f"only {recent_decisions} recent decisions held out; at least {min_recent} are needed "
            "to compare on decisions the challenger never saw"
        )
    for c in primary:
        if not c.known:
            ok = False
            reasons.append(f"{c.name}: could not be computed")
        elif c.gain < min_gain:
            ok = False
            reasons.append(
                f"{c.name}: challenger {c.challenger:.3f} vs champion {c.champion:.3f}, "
                f"a gain of {c.gain:+.3f} (needs {min_gain:+.2f})"
            )
        else:
            reasons.append(
                f"{c.name}: challenger {c.challenger:.3f} vs champion {c.champion:.3f} "
                f"({c.gain:+.3f})"
            )
    if not primary:
        ok = False
        reasons.append("no recent-decision comparison to decide on")
    for c in checks:
        if c.kind != "held_out":
            continue
        if not c.known:
            reasons.append(f"held-out {c.name}: not computed ({c.note or 'no data'})")
        elif c.gain < -c.tolerance:
            ok = False
            reasons.append(
                f"held-out {c.name} is worse: {c.challenger:.4f} vs {c.champion:.4f} "
                f"(allowed {c.tolerance:.3f})"
            )
    return Verdict(ok, reasons, list(checks))
