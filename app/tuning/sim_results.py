"""What a simulation found: acceptance per proposal type before and after, as table and plot."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from app.tuning.report import aligned
from app.tuning.runner import TuneOutcome

TYPES = ("assign_staff", "flag_risk", "route_request")


@dataclass
class Tally:
    """Outcomes of one proposal type in one phase."""

    proposed: int = 0
    decided: int = 0  # by a person
    accepted: int = 0
    overridden: int = 0
    rejected: int = 0
    auto_accepted: int = 0  # by a policy rule, never seen by a person
    auto_wrong: int = 0  # of those, ones the approver would have changed
    scored: int = 0  # risk: project-weeks scored to find the flags

    @property
    def acceptance(self) -> float:
        return self.accepted / self.decided if self.decided else math.nan


@dataclass
class Phase:
    label: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in TYPES})
    models: dict[str, str] = field(default_factory=dict)  # proposal type -> model version
    seconds: float = 0.0


@dataclass
class SimulationResult:
    decisions: int
    seed: int
    before: Phase
    after: Phase
    outcomes: list[TuneOutcome]
    promoted: dict[str, str]  # model name -> version now serving
    out_dir: Path
    seconds: float

    def table(self) -> str:
        """Acceptance before and after, per proposal type."""
        header = [
            "type",
            "model before",
            "accepted before",
            "model after",
            "accepted after",
            "change",
        ]
        body = []
        for t in TYPES:
            b, a = self.before.tallies[t], self.after.tallies[t]
            change = (a.acceptance - b.acceptance) * 100
            body.append(
                [
                    t,
                    self.before.models.get(t, "-"),
                    _rate(b),
                    self.after.models.get(t, "-"),
                    _rate(a),
                    "n/a" if math.isnan(change) else f"{change:+.1f} pts",
                ]
            )
        lines = aligned([header, *body])
        autos = []
        for t in TYPES:
            b, a = self.before.tallies[t], self.after.tallies[t]
            if b.auto_accepted or a.auto_accepted:
                autos.append(
                    f"{t}: {b.auto_accepted} before ({b.auto_wrong} of them wrong), "
                    f"{a.auto_accepted} after ({a.auto_wrong} wrong)"
                )
        if autos:
            lines.append("auto-accepted by policy (not counted above): " + "; ".join(autos))
        b, a = self.before.tallies["flag_risk"], self.after.tallies["flag_risk"]
        if b.scored and a.scored:
            # Acceptance cannot see flags that were never raised: the confirmed yield can.
            lines.append(
                f"flag_risk confirmed per 100 project-weeks scored: {100 * b.accepted / b.scored:.1f} "
                f"before ({b.accepted} in {b.scored}), {100 * a.accepted / a.scored:.1f} after "
                f"({a.accepted} in {a.scored})"
            )
        return "\n".join(lines)

    def held_out_table(self) -> str:
        """Champion beside challenger on each model's held-out evaluation set."""
        rows = [["model", "check", "champion", "challenger", "gain"]]
        for o in self.outcomes:
            for c in o.verdict.checks if o.verdict else []:
                if c.kind == "held_out":
                    rows.append(
                        [o.model_name, c.name.split(".", 1)[-1], _num(c.champion), _num(c.challenger),
                         f"{c.gain:+.4f}" if c.known else "-"]
                    )  # fmt: skip
        return "\n".join(aligned(rows))

    def as_dict(self) -> dict[str, Any]:
        def phase(p: Phase) -> dict[str, Any]:
            return {
                "models": p.models,
                "seconds": round(p.seconds, 1),
                **{t: {**vars(x), "acceptance": x.acceptance} for t, x in p.tallies.items()},
            }

        return {
            "decisions": self.decisions,
            "seed": self.seed,
            "before": phase(self.before),
            "after": phase(self.after),
            "promoted": self.promoted,
            "tuning": [
                {
                    "model": o.model_name,
                    "status": o.status,
                    "challenger_version": o.challenger_version,
                    "message": o.message,
                    "checks": [c.as_dict() for c in o.verdict.checks] if o.verdict else [],
                }
                for o in self.outcomes
            ],
            "seconds": round(self.seconds, 1),
        }


def _rate(t: Tally) -> str:
    return "n/a" if math.isnan(t.acceptance) else f"{t.acceptance:.1%} ({t.accepted}/{t.decided})"


def _num(v: float) -> str:
    return "n/a" if math.isnan(v) else f"{v:.4f}"


def acceptance_figure(result: SimulationResult) -> Figure:
    """Acceptance rate per proposal type, before and after tuning."""
    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    x = range(len(TYPES))
    for offset, phase, colour in (
        (-0.2, result.before, "tab:grey"),
        (0.2, result.after, "tab:blue"),
    ):
        values = [phase.tallies[t].acceptance * 100 for t in TYPES]
        bars = ax.bar([i + offset for i in x], values, 0.4, color=colour, label=phase.label)
        ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], fontsize=8)
    ax.set_xticks(list(x), list(TYPES))
    ax.set_ylabel("accepted as proposed (%)")
    ax.set_ylim(0, 118)
    ax.set_title(
        f"Simulated approvers, {result.decisions} decisions per type and phase", fontsize=10
    )
    ax.legend(loc="upper left", ncols=2, fontsize=8)
    fig.tight_layout()
    return fig
