"""Figures people compare runs by: reliability (ours beside the baseline) and driver importance.

Figures are built with ``matplotlib.figure.Figure`` directly, never pyplot, so nothing touches
global state or needs a display.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from models.risk.training import Evaluation


def reliability_figure(evaluation: Evaluation, title: str = "overrun-risk") -> Figure:
    """Observed overrun rate against predicted probability on the held-out projects."""
    fig = Figure(figsize=(6.0, 6.5))
    ax, hist = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    m = evaluation.metrics
    styles = {
        "model": ("tab:blue", "o", f"model (Brier {m['brier']:.3f}, ECE {m['ece']:.3f})"),
        evaluation.baseline_name: (
            "tab:orange",
            "s",
            f"{evaluation.baseline_name} (Brier {m['baseline_brier']:.3f}, "
            f"ECE {m['baseline_ece']:.3f})",
        ),
    }
    for name, points in evaluation.reliability().items():
        colour, marker, label = styles[name]
        if points:
            xs, ys, _ = zip(*points, strict=True)
            ax.plot(xs, ys, marker=marker, color=colour, label=label)
    ax.set_ylabel("observed overrun rate")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(
        f"{title}: {evaluation.test_projects} later projects ({evaluation.test_rows} snapshots)"
    )
    ax.legend(loc="upper left", fontsize=8)
    hist.hist(
        [evaluation.p, evaluation.p_baseline],
        bins=10,
        range=(0, 1),
        label=["model", evaluation.baseline_name],
        color=["tab:blue", "tab:orange"],
    )
    hist.set_xlabel("predicted overrun probability")
    hist.set_ylabel("snapshots")
    fig.tight_layout()
    return fig


def importance_figure(evaluation: Evaluation, title: str = "overrun-risk") -> Figure:
    """Mean size of each driver's effect on the held-out projects."""
    items = sorted(evaluation.importance.items(), key=lambda kv: kv[1])
    fig = Figure(figsize=(6.5, 0.35 * len(items) + 1.2))
    ax = fig.subplots()
    ax.barh([k.replace("_", " ") for k, _ in items], [v * 100 for _, v in items], color="tab:blue")
    ax.set_xlabel("mean |change in overrun probability| when set to its typical value (points)")
    ax.set_title(f"{title}: what moves the risk")
    fig.tight_layout()
    return fig
