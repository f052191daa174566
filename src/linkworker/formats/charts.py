"""Charts of the caseload report: bars in plain characters (terminal, Markdown) and inline
SVG (the HTML page). A suppressed figure is drawn as a stub with its '<5', never to scale."""

from __future__ import annotations

import html
from collections.abc import Sequence

from linkworker.formats.report_document import Cell, ReportTable
from linkworker.formats.text import number
from linkworker.reports.disclosure import SUPPRESSED

Points = Sequence[tuple[str, Cell]]


def chart_points(table: ReportTable) -> list[tuple[str, Cell]]:
    """(label, value) pairs a chart draws from a table (its total row left out)."""
    if table.chart == "months":
        return [(str(r[0]), r[1]) for r in table.rows[:-1]]
    if table.chart == "outcomes":
        return [(str(r[0]), r[7]) for r in table.rows]
    if table.chart == "shares":
        # Each group twice: its share of those counted, then of the practice population.
        return [
            point
            for r in table.rows
            if not str(r[0]).startswith("All ")
            for point in ((f"{r[0]}: referred", r[2]), (f"{r[0]}: practice", r[4]))
        ]
    return []


def text_bars(points: Points, width: int = 30, unit: str = "") -> list[str]:
    """Horizontal bars in plain characters: '█' scaled to the largest value.

    A suppressed value draws a '░' stub and its '<5'; a missing one just its words.
    """
    numbers = [v for _, v in points if isinstance(v, (int, float))]
    top = max(numbers, default=0) or 1
    name_width = max((len(n) for n, _ in points), default=0)
    lines = []
    for name, value in points:
        if isinstance(value, (int, float)):
            bar = "█" * round(width * value / top) if value else ""
            shown = f"{number(value)}{unit}"
        elif value == SUPPRESSED:
            bar, shown = "░", str(value)
        else:
            bar, shown = "", str(value) if value is not None else "no data"
        lines.append(f"{name.ljust(name_width)} {bar} {shown}".rstrip())
    return lines


def _svg_text(x: float, y: float, text: str, anchor: str = "start", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{html.escape(text)}</text>"
    )


def _svg_start(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{html.escape(title)}" class="chart">',
        f"<title>{html.escape(title)}</title>",
    ]


def _rect(x: float, y: float, width: float, height: float, paint: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" {paint}/>'


def months_svg(points: Points, title: str) -> str:
    """Vertical bars, one a month; a suppressed month is an outlined stub labelled '<5'."""
    width, height, left, bottom, top_pad = 640, 240, 40, 40, 24
    base = height - bottom
    plot_h = base - top_pad
    top = max([*(v for _, v in points if isinstance(v, (int, float))), 5])
    slot = (width - left - 10) / max(1, len(points))
    bar_w = max(4.0, slot * 0.7)
    parts = _svg_start(width, height, title)
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#333"/>')
    for i, (name, value) in enumerate(points):
        x = left + i * slot + (slot - bar_w) / 2
        if isinstance(value, (int, float)):
            h = plot_h * value / top
            parts.append(_rect(x, base - h, bar_w, h, 'fill="#005eb8"'))
            shown = number(value)
        else:
            h = plot_h * 2.5 / top
            outline = 'fill="none" stroke="#005eb8" stroke-dasharray="3 2"'
            parts.append(_rect(x, base - h, bar_w, h, outline))
            shown = str(value) if value is not None else ""
        middle = x + bar_w / 2
        parts.append(_svg_text(middle, base - h - 4, shown, "middle"))
        parts.append(_svg_text(middle, base + 14, name[:3], "middle", 10))
        parts.append(_svg_text(middle, base + 26, name[-4:], "middle", 9))
    parts.append("</svg>")
    return "".join(parts)


def outcomes_svg(points: Points, title: str) -> str:
    """Horizontal bars 0-100%: the share of people whose score improved."""
    row_h, left, width = 26, 230, 640
    height = row_h * len(points) + 40
    scale = width - left - 60
    parts = _svg_start(width, height, title)
    for i, (name, value) in enumerate(points):
        y = 10 + i * row_h
        parts.append(_svg_text(left - 8, y + 15, name, "end"))
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{scale}" height="{row_h - 10}" fill="#e8edee"/>'
        )
        if isinstance(value, (int, float)):
            parts.append(
                f'<rect x="{left}" y="{y + 4}" width="{scale * value / 100:.1f}" '
                f'height="{row_h - 10}" fill="#007f3b"/>'
            )
            parts.append(_svg_text(left + scale + 6, y + 15, f"{number(value)}%"))
        else:
            parts.append(
                _svg_text(left + scale + 6, y + 15, "no data" if value is None else str(value))
            )
    base = 10 + len(points) * row_h
    for pct in (0, 50, 100):
        x = left + scale * pct / 100
        parts.append(_svg_text(x, base + 14, f"{pct}%", "middle", 9))
    parts.append("</svg>")
    return "".join(parts)


def chart_svg(table: ReportTable) -> str:
    """The table's chart as inline SVG ('' for a table without one)."""
    points = chart_points(table)
    if table.chart == "months":
        return months_svg(points, table.title)
    if table.chart == "outcomes":
        return outcomes_svg(points, "Share of people whose score improved")
    if table.chart == "shares":
        return outcomes_svg(points, table.title)
    return ""
