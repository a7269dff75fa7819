"""The isobologram diagram (notebook 06), drawn as SVG from the Hong 1993 data.

Every number and position comes from :func:`widgets.models.interaction.hong1993` and
:func:`~widgets.models.interaction.hong_interaction_index`, so the figure cannot drift
from the model the explorers use. The layout follows the other course diagrams
(:mod:`widgets.diagrams`): a 960-unit-wide viewBox, ``<text>`` labels, Okabe–Ito colours.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from widgets.models.interaction import hong1993, hong_interaction_index
from widgets.style import OKABE_ITO

WIDTH, HEIGHT = 960, 600
#: Plot area (user units) and axis ranges (mg/kg IV).
LEFT, RIGHT, TOP, BOTTOM = 110, 590, 50, 530
MIDAZOLAM_MAX, KETAMINE_MAX = 0.40, 0.50
X_TICKS = (0.0, 0.1, 0.2, 0.3, 0.4)
Y_TICKS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
SYNERGY_FILL, INFRA_FILL = "#D9EAF3", "#FBF1D9"  # blue and orange at 15 % (widgets.diagrams.tint)


def x_px(midazolam_mg_per_kg: float) -> float:
    return LEFT + midazolam_mg_per_kg / MIDAZOLAM_MAX * (RIGHT - LEFT)


def y_px(ketamine_mg_per_kg: float) -> float:
    return BOTTOM - ketamine_mg_per_kg / KETAMINE_MAX * (BOTTOM - TOP)


def _text(x, y, content, size=16, anchor="start", bold=False, fill="#222222", extra=""):
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{weight} fill="{fill}"{extra}>'
            f"{escape(content)}</text>")


def _lines(x, y, rows, size=16, step=21, anchor="start"):
    spans = "".join(f'<tspan x="{x}"{"" if i == 0 else f" dy={chr(34)}{step}{chr(34)}"}>{escape(r)}</tspan>' for i, r in enumerate(rows))
    return f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}">{spans}</text>'


def isobologram_numbers() -> dict:
    """The values the diagram shows, straight from the model (mg/kg IV; I dimensionless)."""
    h = hong1993()
    index, low, high = hong_interaction_index()
    return {
        "midazolam_ed50": h.midazolam.value_mg_per_kg, "midazolam_ci": (h.midazolam.ci_low_mg_per_kg, h.midazolam.ci_high_mg_per_kg),
        "ketamine_ed50": h.ketamine.value_mg_per_kg, "ketamine_ci": (h.ketamine.ci_low_mg_per_kg, h.ketamine.ci_high_mg_per_kg),
        "combo_midazolam": h.combo_midazolam_mg_per_kg, "combo_ketamine": h.combo_ketamine_mg_per_kg,
        "u_midazolam": h.combo_midazolam_mg_per_kg / h.midazolam.value_mg_per_kg,
        "u_ketamine": h.combo_ketamine_mg_per_kg / h.ketamine.value_mg_per_kg,
        "index": index, "index_low": low, "index_high": high,
    }


def isobologram_svg() -> str:
    n = isobologram_numbers()
    a50, b50 = n["midazolam_ed50"], n["ketamine_ed50"]
    (a_lo, a_hi), (b_lo, b_hi) = n["midazolam_ci"], n["ketamine_ci"]
    dm, dk = n["combo_midazolam"], n["combo_ketamine"]
    um, uk, index = n["u_midazolam"], n["u_ketamine"], n["index"]
    bounds = f"{n['index_low']:.2f} to {n['index_high']:.2f}"
    sum_text = f"I = {um:.2f} + {uk:.2f} = {index:.2f}"
    desc = (
        "An isobologram for hypnosis (no response to a verbal command), with the midazolam dose on the horizontal "
        f"axis and the ketamine dose on the vertical axis, both in mg/kg IV. Midazolam's ED50 alone, {a50:g} mg/kg "
        f"(95% CI {a_lo:g} to {a_hi:g}), is marked on the horizontal axis and ketamine's, {b50:g} mg/kg ({b_lo:g} to "
        f"{b_hi:g}), on the vertical axis. A straight line joins them: the line of additivity, where the interaction "
        "index I is 1. Dose pairs giving the same effect below the line would mean synergy (I below 1), above it "
        f"infra-additivity (I above 1). Hong 1993's combination, midazolam {dm:g} plus ketamine {dk:g} mg/kg, lies "
        f"slightly above the line: I = {um:.2f} + {uk:.2f} = {index:.2f}. Putting the single-drug ED50s at the ends of "
        f"their confidence intervals moves I from {bounds}, so additivity fits the data."
    )
    black, orange, yellow = OKABE_ITO["black"], OKABE_ITO["orange"], OKABE_ITO["yellow"]
    e = []
    e.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>')
    # regions
    e.append(f'<rect x="{LEFT}" y="{TOP}" width="{RIGHT - LEFT}" height="{BOTTOM - TOP}" fill="{INFRA_FILL}"/>')
    e.append(f'<polygon points="{LEFT},{BOTTOM} {x_px(a50):.1f},{BOTTOM} {LEFT},{y_px(b50):.1f}" fill="{SYNERGY_FILL}"/>')
    # grid and axes
    for v in X_TICKS:
        e.append(f'<line x1="{x_px(v):.1f}" y1="{BOTTOM}" x2="{x_px(v):.1f}" y2="{BOTTOM + 8}" stroke="#444444" stroke-width="2"/>')
        e.append(_text(x_px(v), BOTTOM + 28, f"{v:.1f}", 15, "middle", fill="#444444"))
    for v in Y_TICKS:
        e.append(f'<line x1="{LEFT - 8}" y1="{y_px(v):.1f}" x2="{LEFT}" y2="{y_px(v):.1f}" stroke="#444444" stroke-width="2"/>')
        e.append(_text(LEFT - 14, y_px(v) + 5, f"{v:.1f}", 15, "end", fill="#444444"))
    e.append(f'<polyline points="{LEFT},{TOP} {LEFT},{BOTTOM} {RIGHT},{BOTTOM}" fill="none" stroke="#444444" stroke-width="2"/>')
    e.append(_text((LEFT + RIGHT) / 2, BOTTOM + 60, "midazolam dose (mg/kg IV)", 16, "middle", bold=True))
    e.append(_text(0, 0, "ketamine dose (mg/kg IV)", 16, "middle", bold=True,
                   extra=f' transform="translate(34 {(TOP + BOTTOM) / 2}) rotate(-90)"'))
    # region labels
    e.append(_lines(LEFT + 18, y_px(0.078), ["synergy", "I < 1"], 16, 21))
    e.append(_lines(x_px(0.215), y_px(0.455), ["infra-additive", "(antagonism): I > 1"], 16, 21))
    # line of additivity
    e.append(f'<line x1="{x_px(a50):.1f}" y1="{BOTTOM}" x2="{LEFT}" y2="{y_px(b50):.1f}" stroke="{black}" stroke-width="3"/>')
    e.append(_lines(x_px(0.1), y_px(0.185), ["line of additivity", "(I = 1)"], 16, 21))
    # Hong's combination, with its projections onto the axes
    hx, hy = x_px(dm), y_px(dk)
    e.append(f'<line x1="{hx:.1f}" y1="{hy:.1f}" x2="{hx:.1f}" y2="{BOTTOM}" stroke="#777777" stroke-width="1.5" stroke-dasharray="5 4"/>')
    e.append(f'<line x1="{hx:.1f}" y1="{hy:.1f}" x2="{LEFT}" y2="{hy:.1f}" stroke="#777777" stroke-width="1.5" stroke-dasharray="5 4"/>')
    # single-drug ED50s with their 95% CIs (on the axes)
    e.append(f'<line x1="{x_px(a_lo):.1f}" y1="{BOTTOM}" x2="{x_px(a_hi):.1f}" y2="{BOTTOM}" stroke="{black}" stroke-width="6"/>')
    e.append(f'<line x1="{LEFT}" y1="{y_px(b_lo):.1f}" x2="{LEFT}" y2="{y_px(b_hi):.1f}" stroke="{black}" stroke-width="6"/>')
    for cx, cy in ((x_px(a50), BOTTOM), (LEFT, y_px(b50))):
        e.append(f'<rect x="{cx - 9:.1f}" y="{cy - 9:.1f}" width="18" height="18" fill="{orange}" stroke="{black}" stroke-width="2"/>')
    e.append(_lines(x_px(a50) + 16, BOTTOM - 40, [f"midazolam alone: ED50 {a50:g}", f"(95% CI {a_lo:g}–{a_hi:g})"], 15, 19))
    e.append(_lines(LEFT + 18, y_px(b50) - 22, [f"ketamine alone: ED50 {b50:g}", f"(95% CI {b_lo:g}–{b_hi:g})"], 15, 19))
    s = 12
    e.append(f'<polygon points="{hx:.1f},{hy - s:.1f} {hx + s:.1f},{hy:.1f} {hx:.1f},{hy + s:.1f} {hx - s:.1f},{hy:.1f}" '
             f'fill="{yellow}" stroke="{black}" stroke-width="2"/>')
    e.append(_text(hx + 18, hy - 34, "Hong 1993 combination", 16, bold=True))
    e.append(_lines(hx + 18, hy - 13, [f"midazolam {dm:g} + ketamine {dk:g}", sum_text], 15, 19))
    # how to read it
    px = 622
    e.append(_text(px, 62, "Reading the isobologram", 18, bold=True))
    reading = [
        (98, ["Each axis is one drug's dose. The", "squares are each drug's ED50 alone", "(black bars: 95% CI)."]),
        (182, ["Dose pairs on the straight line are", "additive: each drug acts as a", "diluted dose of the other."]),
        (266, ["For a dose pair (a, b) that gives", "the effect, with A50 and B50 the", "ED50s alone, the interaction index",
               "is I = a/A50 + b/B50.", "I < 1 synergy; I > 1 infra-additive."]),
        (390, [f"Hong 1993 (diamond): I = {index:.2f}.", "With the single-drug ED50s at", "the ends of their CIs, I runs",
               f"from {bounds}: additivity", "(I = 1) fits the data."]),
    ]
    e.extend(_lines(px, y, rows, 15, 20) for y, rows in reading)
    body = "\n  ".join(e)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" aria-labelledby="title desc" font-family="DejaVu Sans, Arial, sans-serif" font-size="16" fill="#222222">\n'
        '  <title id="title">Isobologram: midazolam and ketamine for hypnosis (Hong 1993)</title>\n'
        f'  <desc id="desc">{escape(desc)}</desc>\n  {body}\n</svg>\n'
    )
