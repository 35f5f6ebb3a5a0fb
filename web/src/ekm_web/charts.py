"""Charts drawn on the server as inline SVG: no script, no CDN, allowed by the CSP (presentation
attributes, no style attributes). Each chart is an image with a title for screen readers; the
pages show the same figures in a table beside it."""

from __future__ import annotations

import itertools

from markupsafe import Markup, escape

# colours with at least 3:1 contrast against white (WCAG 1.4.11 non-text contrast)
PALETTE = ("#0b4f9c", "#a04a00", "#1e6b2a", "#6a1b9a", "#8a5a00")
_ids = itertools.count(1)


def bar_chart(
    rows: list[tuple[str, list[float]]], series: list[str], title: str, width: int = 640, bar_height: int = 18
) -> Markup:
    """Horizontal bars: one group per row (label, one value per series)."""
    label_width, gap, pad = 170, 8, 4
    n = max(len(series), 1)
    top = 24 + (18 if len(series) > 1 else 0)
    group = n * bar_height + gap
    height = top + len(rows) * group + pad
    peak = max([v for _, values in rows for v in values] + [1])
    scale = (width - label_width - 60) / peak
    chart_id = f"chart-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-t">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    if len(series) > 1:
        x = label_width
        for i, name in enumerate(series):
            parts.append(
                f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{x + 16}" y="15" font-size="12" fill="#1b1b1b">{escape(name)}</text>'
            )
            x += 24 + 8 * len(name)
    for r, (label, values) in enumerate(rows):
        y = top + r * group
        parts.append(
            f'<text x="{label_width - 6}" y="{y + n * bar_height / 2 + 4:.0f}" font-size="12" '
            f'text-anchor="end" fill="#1b1b1b">{escape(str(label)[:28])}</text>'
        )
        for i, value in enumerate(values):
            w = max(value * scale, 0)
            by = y + i * bar_height
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{w:.1f}" height="{bar_height - 3}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{label_width + w + 4:.1f}" y="{by + bar_height - 6}" font-size="12" '
                f'fill="#1b1b1b">{escape(_number(value))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
