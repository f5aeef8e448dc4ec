"""Inline SVG charts drawn at build time: grouped bars, horizontal share bars, lines.

No JavaScript and no external files: each chart is one ``<svg>`` element with a ``viewBox``,
so it scales with the page and prints. Every label goes through :func:`markup.html`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crawler.report.markup import Markup, html, isolated_text, join
from crawler.report.stories import Series

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C7A00", "#000000")
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 44
MAX_BAR = 28  # a few days of data should not draw bars as wide as the page
# Width of a character of a tick or legend label (12px DejaVu Sans, the CSS's font-size: its
# digits are 7.6 px wide), and the row height of a legend wrapped onto further lines.
CHAR_W, LEGEND_ROW = 7.6, 18


@dataclass(frozen=True)
class ShareRow:
    label: str
    share: float  # 0..1
    note: str  # shown after the bar, e.g. "3 of 12"


def _nice_ceiling(value: float) -> int:
    """The axis top: 1, or the smallest 2, 4, 6, 8 or 10 times a power of ten >= ``value``.

    Even steps keep the middle grid line on a whole number: counts are never 2.5 stories.
    """
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(int(step * magnitude) for step in (1, 2, 4, 6, 8, 10)
                if step * magnitude >= value and (step > 1 or magnitude > 1))


def _frame(label: str, body: Markup, height: int = HEIGHT) -> Markup:
    return html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
        'xmlns="http://www.w3.org/2000/svg">{body}</svg>',
        w=WIDTH, h=height, label=label, body=body,
    )


def _axes(days: Sequence[str], top: int, unit: str = "day") -> Markup:
    """Horizontal grid lines with their values, and every n-th period under the x axis."""
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT
    parts = []
    for value in (0, top // 2, top) if top > 1 else (0, 1):
        y = TOP + plot_h - plot_h * value / top
        parts.append(html('<line class="grid" x1="{x1}" x2="{x2}" y1="{y:.1f}" y2="{y:.1f}"/>'
                          '<text class="tick" x="{tx}" y="{ty:.1f}" text-anchor="end">{v}</text>',
                          x1=LEFT, x2=WIDTH - RIGHT, y=y, tx=LEFT - 6, ty=y + 4, v=value))
    slot = plot_w / max(1, len(days))
    # At most 12 labels, and far enough apart that none overlaps its neighbour: a label that
    # names its year ("2025-01-12") is twice as wide as "01-12" (before, two full dates
    # printed over each other at the start of a chart spanning two years).
    chars = {"year": 4, "month": 7}.get(unit) or (10 if len({d[:4] for d in days}) > 1 else 5)
    step = max(1, math.ceil(len(days) / 12), math.ceil((chars * CHAR_W + 8) / slot))
    shown = [(i, day) for i, day in enumerate(days) if i % step == 0]
    parts.extend(
        html('<text class="tick" x="{x:.1f}" y="{y}" text-anchor="middle">{day}</text>',
             x=LEFT + slot * (i + 0.5), y=HEIGHT - BOTTOM + 16, day=label)
        for (i, _), label in zip(shown, _day_labels([day for _, day in shown], unit), strict=True)
    )
    return join(parts)


def _day_labels(days: Sequence[str], unit: str = "day") -> list[str]:
    """``MM-DD`` under the axis; when the days span more than one year, the first label and
    each one where the year changes say ``YYYY-MM-DD`` (12-30, 01-02 read as going back).
    Months are ``YYYY-MM``, years ``YYYY``."""
    if unit in ("month", "year"):
        return [day[:7 if unit == "month" else 4] for day in days]
    if len({day[:4] for day in days}) < 2:
        return [day[5:] for day in days]
    return [day if i == 0 or day[:4] != days[i - 1][:4] else day[5:]
            for i, day in enumerate(days)]


def _legend(names: Sequence[str]) -> tuple[Markup, int]:
    """Swatches and names under the plot, each entry as wide as its name, wrapped onto
    further rows where the next would cross the chart's right edge (before, a sixth topic's
    name was cut off the chart and its line had no label); and the chart's height with it."""
    parts, x, row = [], float(LEFT), 0
    for i, name in enumerate(names):
        width = 24 + CHAR_W * len(name)
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, row = LEFT, row + 1
        y = HEIGHT - 8 + LEGEND_ROW * row
        parts.append(html('<rect x="{x:.1f}" y="{ry}" width="10" height="10" fill="{color}"/>'
                          '<text class="legend" x="{tx:.1f}" y="{ty}">{name}</text>',
                          x=x, ry=y - 9, tx=x + 14, ty=y, color=PALETTE[i % 8],
                          name=isolated_text(name)))
        x += width + 6
    return join(parts), HEIGHT + LEGEND_ROW * row


def bar_chart(series: Series, label: str) -> Markup:
    """Grouped vertical bars: one group per day, one bar per series."""
    if not series.days:
        return html('<p class="empty">{label}: nothing in this window.</p>', label=label)
    top = _nice_ceiling(max(max(v, default=0) for v in series.values.values()))
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(series.days)
    bar_w = min(slot * 0.8 / len(series.values), MAX_BAR)
    pad = (slot - bar_w * len(series.values)) / 2  # centres each day's group in its slot
    bars = [
        html('<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}">'
             '<title>{day}: {n} {name}</title></rect>',
             x=LEFT + slot * d + pad + bar_w * s, y=TOP + plot_h - plot_h * n / top,
             w=max(bar_w - 1, 0.5), h=plot_h * n / top, color=PALETTE[s % 8],
             day=_period(series, d), n=n, name=isolated_text(name))
        for s, (name, values) in enumerate(series.values.items())
        for d, n in enumerate(values) if n
    ]
    legend, height = _legend(list(series.values))
    return _frame(label, join([_axes(series.days, top, series.unit), *bars, legend]), height)


def line_chart(series: Series, label: str, limit: int = len(PALETTE)) -> Markup:
    """One line per series (the first ``limit``), a dot on every day with a value."""
    if not series.days or not series.values:
        return html('<p class="empty">{label}: nothing in this window.</p>', label=label)
    shown = dict(list(series.values.items())[:limit])
    top = _nice_ceiling(max(max(v, default=0) for v in shown.values()))
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(series.days)
    lines = []
    for s, (name, values) in enumerate(shown.items()):
        points = [(LEFT + slot * (d + 0.5), TOP + plot_h - plot_h * n / top)
                  for d, n in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        lines.append(html('<polyline points="{p}" fill="none" stroke="{c}" stroke-width="2"/>',
                          p=path, c=PALETTE[s]))
        lines.extend(
            html('<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{c}"><title>{day}: {n} {name}'
                 '</title></circle>', x=x, y=y, c=PALETTE[s], day=_period(series, d), n=n,
                 name=isolated_text(name))
            for d, ((x, y), n) in enumerate(zip(points, values, strict=True)) if n
        )
    legend, height = _legend(list(shown))
    return _frame(label, join([_axes(series.days, top, series.unit), *lines, legend]), height)


def share_chart(rows: Sequence[ShareRow], label: str) -> Markup:
    """Horizontal bars, 0 to 100 %, one row per label."""
    if not rows:
        return html('<p class="empty">{label}: nothing in this window.</p>', label=label)
    row_h, name_w, bar_w = 22, 200, WIDTH - 200 - 120
    bars = [
        html('<text class="tick" x="{nx}" y="{ty}" text-anchor="end">{name}</text>'
             '<rect class="track" x="{x}" y="{y}" width="{bw}" height="14"/>'
             '<rect x="{x}" y="{y}" width="{w:.1f}" height="14" fill="{c}">'
             '<title>{full}: {pct:.0%} ({note})</title></rect>'
             '<text class="tick" x="{vx}" y="{ty}">{pct:.0%} · {note}</text>',
             nx=name_w - 8, ty=TOP + row_h * i + 11, name=isolated_text(_clip(row.label)),
             full=isolated_text(row.label),
             x=name_w, y=TOP + row_h * i, bw=bar_w, w=bar_w * row.share, c=PALETTE[0],
             pct=row.share, note=row.note, vx=name_w + bar_w + 8)
        for i, row in enumerate(rows)
    ]
    return _frame(label, join(bars), height=TOP * 2 + row_h * len(rows))


def _period(series: Series, index: int) -> str:
    """A bar's or point's period in its tooltip: the day, "week of" its Monday, the month,
    the year."""
    start = series.days[index]
    return {"week": f"week of {start}", "month": start[:7], "year": start[:4]}.get(
        series.unit, start)


def _clip(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


__all__ = ["PALETTE", "ShareRow", "bar_chart", "line_chart", "share_chart"]
