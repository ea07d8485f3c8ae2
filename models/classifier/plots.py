"""Figures people compare runs by: confusion matrix, reliability diagram, ours vs baselines.

Built on ``matplotlib.figure.Figure`` directly (no pyplot), so no GUI backend or global
figure state is involved.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from models.classifier.metrics import HoldoutReport


def confusion_figure(report: HoldoutReport, title: str = "Held-out confusion matrix") -> Figure:
    labels = report.labels
    cm = report.confusion
    size = max(5.0, 0.7 * len(labels) + 2)
    fig = Figure(figsize=(size, size * 0.85))
    ax = fig.add_subplot()
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted (top label)")
    ax.set_ylabel("true")
    ax.set_title(title)
    top = cm.max() or 1
    for i in range(len(labels)):
        for j in range(len(labels)):
            if cm[i, j]:
                colour = "white" if cm[i, j] > top / 2 else "black"
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8, color=colour)
    fig.tight_layout()
    return fig


def reliability_figure(report: HoldoutReport) -> Figure:
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    if report.reliability:
        conf, acc, _ = zip(*report.reliability, strict=True)
        ax.plot(conf, acc, marker="o", label=f"ours (ECE {report.ece:.3f})")
        for c, a, n in report.reliability:
            ax.annotate(str(n), (c, a), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("confidence (calibrated top probability)")
    ax.set_ylabel("accuracy")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title("Held-out reliability (count per bin)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def comparison_figure(rows: list[tuple[str, float, float]]) -> Figure:
    """Bar chart of held-out macro-F1 for ``(model, macro-F1, accuracy)`` rows."""
    fig = Figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    names = [r[0] for r in rows]
    values = [r[1] for r in rows]
    bars = ax.barh(names, values, color=["tab:blue"] + ["tab:grey"] * (len(rows) - 1))
    for bar, v in zip(bars, values, strict=True):
        ax.text(v + 0.005, bar.get_y() + bar.get_height() / 2, f"{v:.3f}", va="center")
    ax.set_xlim(0, 1.08)
    ax.invert_yaxis()
    ax.set_xlabel("held-out macro-F1")
    ax.set_title("Request classifier vs baselines")
    fig.tight_layout()
    return fig
