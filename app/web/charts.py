"""Small SVG charts drawn on the server: no chart library, nothing fetched by the browser.

Each chart scales to its container (``viewBox``), names itself for screen readers, and gives
every mark a ``<title>`` tooltip. Pages put the same numbers in a table next to the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

# Keyed by the override report's outcomes (``app.feedback.report.OUTCOMES``).
OUTCOME_COLORS = {
    "accepted": "#2b8a3e",
    "edited": "#1c7ed6",
    "overridden": "#7048e8",
    "rejected": "#e03131",
    "expired": "#868e96",
}
OUTCOME_LABELS = {
    "accepted": "Accepted",
    "edited": "Edited",
    "overridden": "Overridden",
    "rejected": "Rejected",
    "expired": "Expired",
}
GRID = "#e9ecef"
AXIS_TEXT = "#495057"
EMPTY = "#f1f3f5"
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str = "#4263eb"
    note: str = ""  # shown at the end of the bar instead of the formatted value


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{n}" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-{n}">{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12,
          color: str = AXIS_TEXT, weight: int = 400) -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def _text_width(text: str, size: int = 12) -> float:
    # Close enough for the system sans fonts at these sizes; used only to leave room.
    return len(text) * size * 0.56


def _label_width(labels: Sequence[str], size: int = 12) -> int:
    widest = max((_text_width(_truncate(t, 26), size) for t in labels), default=60.0)
    return int(min(190.0, max(70.0, widest + 16)))


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_columns(
    columns: Sequence[tuple[str, Mapping[str, int]]],
    keys: Sequence[str],
    *,
    title: str,
    colors: Mapping[str, str] = OUTCOME_COLORS,
    labels: Mapping[str, str] = OUTCOME_LABELS,
    height: int = 250,
) -> Markup:
    """One 100 % column per period, split by share of each key; ``n`` under each column.

    Drawn full-width with horizontal positions in percent and no ``viewBox``, so a wide
    chart keeps 11 px labels on a laptop and on a tablet alike.
    """
    left, right, top, bottom = 6.0, 0.5, 10, 42  # left and right in percent, the rest in px
    plot_h = height - top - bottom
    body: list[str] = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        body.append(
            f'<line x1="{left}%" x2="{100 - right}%" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(
            f'<text x="{left - 0.8}%" y="{y + 4:.1f}" font-size="11" fill="{AXIS_TEXT}" '
            f'text-anchor="end">{tick:.0%}</text>'
        )
    slot = (100 - left - right) / max(1, len(columns))
    bar_w = slot * 0.62
    every = max(1, round(len(columns) / 8))  # keep period labels from colliding
    for i, (label, counts) in enumerate(columns):
        x = left + slot * i + (slot - bar_w) / 2
        total = sum(counts.get(k, 0) for k in keys)
        if total == 0:
            body.append(
                f'<rect x="{x:.2f}%" y="{top + plot_h - 2}" width="{bar_w:.2f}%" height="2" '
                f'fill="#ced4da"><title>{escape(label)}: no decisions</title></rect>'
            )
        y = top + plot_h
        for k in keys:
            n = counts.get(k, 0)
            if not n:
                continue
            h = plot_h * n / total
            y -= h
            tip = f"{label} — {labels.get(k, k)}: {n} of {total} ({n / total:.0%})"
            body.append(
                f'<rect x="{x:.2f}%" y="{y:.1f}" width="{bar_w:.2f}%" height="{h:.1f}" '
                f'fill="{colors.get(k, "#adb5bd")}"><title>{escape(tip)}</title></rect>'
            )
        cx = x + bar_w / 2
        if i % every == 0:
            body.append(_pct_text(cx, top + plot_h + 16, label, size=11, color=AXIS_TEXT))
        body.append(_pct_text(cx, top + plot_h + 32, f"n={total}", size=10, color="#868e96"))
    n = next(_ids)
    return Markup(
        f'<svg class="chart" width="100%" height="{height}" role="img" '
        f'aria-labelledby="chart-{n}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{n}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _pct_text(x: float, y: float, text: str, *, size: int, color: str) -> str:
    return (
        f'<text x="{x:.2f}%" y="{y:.1f}" font-size="{size}" fill="{color}" '
        f'text-anchor="middle">{escape(text)}</text>'
    )


def stacked_rows(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    keys: Sequence[str],
    *,
    title: str,
    colors: Mapping[str, str] = OUTCOME_COLORS,
    labels: Mapping[str, str] = OUTCOME_LABELS,
    width: int = 560,
    row_h: int = 30,
) -> Markup:
    """One 100 % bar per row (a type, a model version), split by share of each key."""
    label_w, right, top = _label_width([r[0] for r in rows]), 50, 6
    plot_w = width - label_w - right
    height = top * 2 + row_h * max(1, len(rows))
    body: list[str] = []
    for i, (label, counts) in enumerate(rows):
        y = top + i * row_h
        total = sum(counts.get(k, 0) for k in keys)
        body.append(_text(label_w - 10, y + row_h / 2 + 4, _truncate(label, 26), anchor="end"))
        x = float(label_w)
        bar_h = row_h - 10
        if total == 0:
            body.append(
                f'<rect x="{x}" y="{y + 5}" width="{plot_w}" height="{bar_h}" fill="{EMPTY}"/>'
            )
        for k in keys:
            n = counts.get(k, 0)
            if not n:
                continue
            w = plot_w * n / total
            tip = f"{label} — {labels.get(k, k)}: {n} of {total} ({n / total:.0%})"
            body.append(
                f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{colors.get(k, "#adb5bd")}"><title>{escape(tip)}</title></rect>'
            )
            if w > 34:
                body.append(_text(x + w / 2, y + row_h / 2 + 4, f"{n / total:.0%}",
                                  anchor="middle", size=11, color="#fff", weight=600))  # fmt: skip
            x += w
        body.append(_text(width - right + 8, y + row_h / 2 + 4, f"n={total}", size=11,
                          color="#868e96"))  # fmt: skip
    return _svg(width, height, title, body)


def bars(
    items: Sequence[Bar],
    *,
    title: str,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    max_value: float | None = None,
    target: float | None = None,
    target_label: str = "",
    width: int = 560,
    row_h: int = 28,
) -> Markup:
    """Horizontal bars with a value at the end; an optional dashed target line."""
    label_w, top = _label_width([b.label for b in items]), 6
    right = int(max(56.0, max((_text_width(b.note or fmt(b.value), 11) for b in items),
                              default=0.0) + 14))  # fmt: skip
    plot_w = width - label_w - right
    height = top * 2 + row_h * max(1, len(items)) + (14 if target is not None else 0)
    peak = max_value or max([b.value for b in items] + [target or 0, 1e-9])
    body: list[str] = []
    for i, b in enumerate(items):
        y = top + i * row_h
        w = max(0.0, plot_w * min(b.value, peak) / peak)
        body.append(_text(label_w - 10, y + row_h / 2 + 4, _truncate(b.label, 26), anchor="end"))
        body.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{plot_w}" height="{row_h - 10}" '
            f'fill="{EMPTY}"/>'
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" '
            f'fill="{b.color}"><title>{escape(b.label)}: {escape(b.note or fmt(b.value))}'
            "</title></rect>"
        )
        body.append(_text(label_w + w + 6, y + row_h / 2 + 4, b.note or fmt(b.value), size=11))
    if target is not None:
        x = label_w + plot_w * min(target, peak) / peak
        bottom = top + row_h * max(1, len(items))
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="#212529" '
            'stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
        body.append(_text(x, bottom + 12, target_label or fmt(target), anchor="middle", size=10))
    return _svg(width, height, title, body)


def sparkline(values: Sequence[float | None], *, title: str, width: int = 120,
              height: int = 28, color: str = "#4263eb") -> Markup:  # fmt: skip
    """A tiny trend line; gaps where a value is missing."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Markup("")
    peak = max(v for _, v in points) or 1.0
    step = (width - 4) / max(1, len(values) - 1)
    path = " ".join(
        f"{'M' if j == 0 else 'L'}{2 + i * step:.1f},{height - 2 - (height - 4) * v / peak:.1f}"
        for j, (i, v) in enumerate(points)
    )
    return _svg(
        width, height, title, [f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>']
    )
