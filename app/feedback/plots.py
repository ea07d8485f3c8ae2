"""The report's charts. ``matplotlib.figure.Figure`` directly (no pyplot): safe off the main
thread and nothing global to close."""

from __future__ import annotations

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from app.feedback.report import OUTCOMES, OverrideMetrics, Rates

COLOURS = {
    "accepted": "#2e7d32",
    "edited": "#9ccc65",
    "overridden": "#ef6c00",
    "rejected": "#c62828",
    "expired": "#9e9e9e",
}
TOP_REASONS = 20


def _stacked(ax: object, labels: list[str], groups: list[Rates], *, share: bool) -> None:
    left = [0.0] * len(groups)
    for o in OUTCOMES:
        widths = [float(g.rate(o) if share else g.counts.get(o, 0)) for g in groups]
        ax.barh(labels, widths, left=left, color=COLOURS[o], label=o)  # type: ignore[attr-defined]
        left = [a + b for a, b in zip(left, widths, strict=True)]


def rates_by_type_figure(m: OverrideMetrics) -> Figure:
    """One 100 % bar per proposal type, split by outcome, with how many were decided."""
    labels = [f"{k} (n={r.decided})" for k, r in m.by_type.items()] or ["(no decisions)"]
    groups = list(m.by_type.values()) or [m.overall]
    fig = Figure(figsize=(9, 0.55 * len(labels) + 1.8))
    ax = fig.add_subplot()
    _stacked(ax, labels, groups, share=True)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.invert_yaxis()
    ax.set_title("Outcome of each proposal type")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(OUTCOMES), fontsize=8)
    fig.tight_layout()
    return fig


def rates_over_time_figure(m: OverrideMetrics) -> Figure:
    """Weekly outcome rates (lines, at mid-week) over weekly decision counts (bars)."""
    fig = Figure(figsize=(10, 4.5))
    ax = fig.add_subplot()
    mondays = [float(mdates.date2num(w.week_start)) for w in m.weekly]
    counts = ax.twinx()
    counts.bar(mondays, [w.decided for w in m.weekly], width=6.3, align="edge",
               color="#e0e0e0", label="decided")  # fmt: skip
    counts.set_ylabel("decisions per week")
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Lines in front of the bars.
    ax.set_zorder(counts.get_zorder() + 1)
    ax.patch.set_visible(False)
    middles = [d + 3.5 for d in mondays]
    for o in OUTCOMES:
        # A week without decisions has no rate: a gap in the line, not a drop to zero.
        shares = [w.rate(o) if w.decided else float("nan") for w in m.weekly]
        ax.plot(middles, shares, marker="o", ms=3, color=COLOURS[o], label=o)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_ylabel("share of the week's decisions")
    ax.set_title("Outcome rates by week")
    ax.legend(loc="upper left", fontsize=8, ncol=len(OUTCOMES))
    if not mondays:
        ax.text(0.5, 0.5, "no decisions", ha="center", transform=ax.transAxes)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    fig.tight_layout()
    return fig


def reason_codes_figure(m: OverrideMetrics) -> Figure:
    """How often each reason code was given, split by outcome (the most used first)."""
    ranked = sorted(m.by_reason_code.items(), key=lambda kv: (-kv[1].decided, kv[0]))
    ranked = ranked[:TOP_REASONS]
    labels = [k for k, _ in ranked] or ["(no decisions)"]
    groups = [r for _, r in ranked] or [m.overall]
    fig = Figure(figsize=(9, 0.4 * len(labels) + 1.8))
    ax = fig.add_subplot()
    _stacked(ax, labels, groups, share=False)
    ax.invert_yaxis()
    ax.set_xlabel("decisions")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Reason codes given by approvers (and the policy engine)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


FIGURES = {
    "rates_by_type.png": rates_by_type_figure,
    "rates_by_week.png": rates_over_time_figure,
    "reason_codes.png": reason_codes_figure,
}
