"""Shared look: a colour-blind-safe plotly template readable on a projector.

The palette is Okabe & Ito's (2008) eight colours; traces also differ by line
dash or marker symbol so that colour is never the only cue.
"""

from __future__ import annotations

import html

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


def wrap_label(text: str, max_chars: int = 34) -> str:
    """``text`` in lines of at most about ``max_chars`` characters, broken at spaces with ``<br>``.

    plotly never wraps an axis title, subplot title or legend entry: one wider than the plot is
    cut off at the figure's edge, and figures are as narrow as a laptop's notebook column.
    Text that already has line breaks is left as it is."""
    if len(text) <= max_chars or "<br>" in text:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > max_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])


def base_layout(title: str, x_title: str, y_title: str, **extra) -> dict:
    """Layout dict for a FigureWidget constructor (axis titles must carry units; long ones wrap)."""
    layout = dict(
        template="plotly_white+" + TEMPLATE_NAME,
        title=dict(text=title),
        xaxis=dict(title=dict(text=wrap_label(x_title))),
        yaxis=dict(title=dict(text=wrap_label(y_title))),
        # No width: a figure takes its container's (widgets.figure.FigureWidget follows it in an
        # explorer; JupyterLab and the course book size plain figures to the page).
        height=460,
    )
    layout.update(extra)
    return layout


#: How an explorer is laid out (widgets.explorer): one <style> block in each explorer's title.
#: Controls sit in a grid of cells at least CONTROL_CELL_PX wide (two columns beside a
#: 1280-px laptop's file browser, three on a 1400-px screen). A label wraps instead of
#: squeezing its slider: the track keeps at least 140 px.
CONTROL_CELL_PX = 380
#: A part of an explorer (a long table) that scrolls inside it, so controls and readout stay in view.
SCROLL_PANEL = "explorer-scroll-panel"


def scroll_panel(inner_html: str, label: str) -> str:
    """``inner_html`` in a box that scrolls inside its explorer; keyboard users reach and scroll it
    (``tabindex``) and screen readers hear it named ``label``."""
    return (f"<div class='{SCROLL_PANEL}' tabindex='0' role='region' aria-label='{html.escape(label, quote=True)}'>"
            f"{inner_html}</div>")
EXPLORER_STYLE = f"""<style>
.course-explorer {{ width: 100%; min-width: 0; }}
.course-explorer .explorer-controls {{ display: grid; gap: 6px 22px; align-items: center; margin: 4px 0 2px 0;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, {CONTROL_CELL_PX}px), 1fr)); }}
.course-explorer .explorer-controls > .widget-inline-hbox, .course-explorer .explorer-controls > .jupyter-widgets {{
  width: auto !important; min-width: 0; max-width: 100%; height: auto; min-height: var(--jp-widgets-inline-height, 28px);
  margin: 0; align-items: center; }}
.course-explorer .explorer-controls > .explorer-control-wide {{ grid-column: 1 / -1; }}
.course-explorer .explorer-controls .widget-label {{ white-space: normal; overflow: visible; text-overflow: clip;
  height: auto; line-height: 1.25; max-width: 15em; }}
.course-explorer .explorer-controls .widget-checkbox label, .course-explorer .explorer-controls .widget-checkbox .widget-label-basic {{
  white-space: normal; height: auto; line-height: 1.25; }}
.course-explorer .explorer-controls .widget-hslider .slider-container {{ flex: 1 1 140px; min-width: 140px; }}
.course-explorer .explorer-controls .widget-readout {{ flex: none; }}
.course-explorer .explorer-controls select {{ min-width: 6em; }}
.course-explorer .explorer-figure {{ width: 100%; min-width: 0; max-width: 100%; overflow: hidden; }}
.course-explorer.explorer-not-updated .explorer-figure {{ opacity: 0.35; filter: grayscale(0.7); }}
.course-explorer .not-updated-caption {{ display: inline-block; margin: 2px 0; padding: 2px 8px; color: #5b3200;
  background: #fff3e6; border: 1px dashed #D55E00; border-radius: 3px; }}
.course-explorer .explorer-readout .widget-html-content {{ min-height: 1.6em; }}
.course-explorer .widget-html > .widget-html-content {{ line-height: 1.45; }}
.course-explorer .{SCROLL_PANEL} {{ max-height: 55vh; overflow-y: auto; }}
.course-explorer .explorer-figure-key p {{ margin: 2px 0 6px 0; max-width: 60em; font-size: 0.92em; color: #333; }}
</style>"""
