"""Shared look: a colour-blind-safe plotly template readable on a projector.

The palette is Okabe & Ito's (2008) eight colours; traces also differ by line
dash or marker symbol so that colour is never the only cue.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Okabe–Ito, ordered so the first colours are the most distinct on white.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
PALETTE = list(OKABE_ITO.values())
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross"]

# Colours for evidence statuses; always shown with the status word too. Darker shades of the
# Okabe–Ito hues (bluish green, blue, orange, vermillion, reddish purple), so that the word meets
# WCAG AA for small text (4.5:1) on white and on every tinted background the course uses
# (tests/test_accessibility.py computes the ratios). The plain Okabe–Ito shades reach only
# 2.3:1 (orange) to 3.9:1 on white.
STATUS_COLOURS = {
    "VERIFIED": "#00734F",
    "VERIFIED-2°": "#0065A0",
    "PARTIAL": "#805A00",
    "UNVERIFIED": "#B03C00",
    "DERIVED": "#994477",
}

#: Hides text on screen but keeps it for screen readers (the usual "visually hidden" rule).
VISUALLY_HIDDEN = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
                   "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0")

TEMPLATE_NAME = "course"
FIGURE_WIDTH_PX = 960

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=dict(
        colorway=PALETTE,
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=15, color="#222"),
        title=dict(font=dict(size=18), x=0.01, xanchor="left"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=70, r=30, t=60, b=60),
        xaxis=dict(showgrid=True, gridcolor="#e5e5e5", linecolor="#444", ticks="outside", zeroline=False, title=dict(standoff=8)),
        yaxis=dict(showgrid=True, gridcolor="#e5e5e5", linecolor="#444", ticks="outside", zeroline=False, title=dict(standoff=8)),
        legend=dict(bgcolor="rgba(255,255,255,0.85)", bordercolor="#ccc", borderwidth=1),
        hoverlabel=dict(font=dict(size=14)),
    )
)
pio.templates.default = "plotly_white+" + TEMPLATE_NAME


def line_style(index: int) -> dict:
    """Colour and dash for the ``index``-th trace (never colour alone)."""
    return dict(color=PALETTE[index % len(PALETTE)], dash=DASHES[index % len(DASHES)], width=3)


def base_layout(title: str, x_title: str, y_title: str, **extra) -> dict:
    """Layout dict for a FigureWidget constructor (axis titles must carry units)."""
    layout = dict(
        template="plotly_white+" + TEMPLATE_NAME,
        title=dict(text=title),
        xaxis=dict(title=dict(text=x_title)),
        yaxis=dict(title=dict(text=y_title)),
        height=460,
        # An explicit width: inside an ipywidgets box the plot does not autosize
        # and would stay at plotly's 700 px default, cramping legends and labels.
        width=FIGURE_WIDTH_PX,
    )
    layout.update(extra)
    return layout
