"""Text descriptions of the course's figures, for readers who cannot see the plot.

plotly draws a figure as SVG that a screen reader cannot explore, so every figure also
comes with words:

* an explorer's figure has a visually hidden description next to it (what is plotted,
  the key pattern, what moving the controls changes, the current readout), rewritten with
  every readout (:func:`explorer_description`, used by :class:`widgets.explorer.Explorer`);
* a static figure from a helper (``bioavailability_figure()``, …) is a
  :class:`DescribedFigure`: its description is printed beneath it in JupyterLab, Voilà and
  the course book.

Both add what can be read off the figure itself (:func:`describe_figure`): its title, axes,
and the series it shows.
"""

from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go
from IPython.display import HTML, display

from widgets.style import VISUALLY_HIDDEN

MAX_SERIES_NAMED = 8
MASKED_NOTE = "The figure is blurred until you lock or skip your prediction."


def plain(text: str | None) -> str:
    """Figure text (plotly allows <br>, <sup>, <b>) as one plain line."""
    text = re.sub(r"<br\s*/?>", " ", text or "", flags=re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def _number(x: float) -> str:
    text = f"{x:.0f}" if abs(x) >= 1000 else f"{x:.3g}"
    return text.replace("-", "−")


def _kind(trace) -> str:
    if trace.type == "bar":
        return "bars"
    if trace.type in ("heatmap", "contour"):
        return "colour map"
    if trace.type == "scatter":
        mode = trace.mode or "lines"
        return "line" if "lines" in mode and "markers" not in mode else "points" if "lines" not in mode else "line with points"
    return trace.type


def _shown(trace) -> bool:
    """Drawn, and with something to draw."""
    if trace.visible is False or trace.visible == "legendonly":
        return False
    if trace.type in ("heatmap", "contour"):
        return trace.z is not None and len(trace.z) > 0
    return any(getattr(trace, axis, None) is not None and len(getattr(trace, axis)) > 0 for axis in ("x", "y"))


def _numbers(values) -> list[float]:
    out = []
    for value in values if values is not None else ():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            out.append(float(value))
    return out


def _axis_sentence(figure: go.Figure, key: str, side: str) -> str:
    """'Horizontal axis: Time (h), 0 to 12' (range from the axis, or from the data shown); for
    categories, the categories."""
    axis = figure.layout[key]
    if axis is None or axis.visible is False:
        return ""
    title = plain(axis.title.text) if axis.title else ""
    letter, suffix = key[0], key[5:]  # suffix: '' for xaxis, '2' for xaxis2
    data = [t for t in figure.data if _shown(t) and (getattr(t, f"{letter}axis", None) or letter) == letter + suffix]
    values = [v for t in data for v in _numbers(getattr(t, letter, None))]
    text = f"{side} axis: {title}" if title else f"{side} axis"
    categories = [plain(str(c)) for c in axis.ticktext] if axis.ticktext else []
    if not categories and (axis.type == "category" or (not values and any(getattr(t, letter, None) is not None for t in data))):
        categories = list(dict.fromkeys(plain(str(v)) for t in data if getattr(t, letter, None) is not None
                                        for v in getattr(t, letter) if v is not None))
    if categories:
        listed = ", ".join(categories[:MAX_SERIES_NAMED])
        more = f" and {len(categories) - MAX_SERIES_NAMED} more" if len(categories) > MAX_SERIES_NAMED else ""
        return f"{text}: {listed}{more}" if title else f"{text} lists: {listed}{more}"
    scale = " (log scale)" if axis.type == "log" and "log" not in title else ""
    if axis.type == "log":
        values = [v for v in values if v > 0]
    elif axis.range is not None and all(isinstance(end, (int, float)) for end in axis.range):
        return f"{text}{scale}, {_number(min(axis.range))} to {_number(max(axis.range))}"
    if values:
        return f"{text}{scale}, data from {_number(min(values))} to {_number(max(values))}"
    return text + scale if title else ""


def describe_figure(figure: go.Figure) -> str:
    """What can be read off a figure: title, axes (with their ranges) and the series shown."""
    sentences = []
    title = plain(figure.layout.title.text) if figure.layout.title else ""
    if title:
        sentences.append(f"Chart: {title}.")
    axes = sorted(k for k in figure.layout if re.fullmatch(r"[xy]axis\d*", k)) or ["xaxis", "yaxis"]
    for key in axes:
        titled_twin = any(other[0] == key[0] and other != key and figure.layout[other].title.text for other in axes)
        if not (figure.layout[key].title.text or "").strip() and titled_twin:
            continue  # a subplot's unlabelled axis shares its quantity with a labelled one
        sentence = _axis_sentence(figure, key, "Horizontal" if key.startswith("x") else "Vertical")
        if sentence and sentence + "." not in sentences:
            sentences.append(sentence + ".")
    series = []
    for trace in figure.data:
        if not _shown(trace):
            continue
        name = plain(trace.name) if trace.name else ""
        if trace.type in ("heatmap", "contour"):
            bar = trace.colorbar.title.text if trace.colorbar and trace.colorbar.title else ""
            name = name or (f"colour shows {plain(bar)}" if bar else "")
        if name:
            series.append(f"{name} ({_kind(trace)})")
    series = list(dict.fromkeys(series))
    if series:
        more = f"; and {len(series) - MAX_SERIES_NAMED} more" if len(series) > MAX_SERIES_NAMED else ""
        sentences.append("Shown: " + "; ".join(series[:MAX_SERIES_NAMED]) + more + ".")
    return " ".join(sentences)


def explorer_description(summary: str, figure: go.Figure, readout: str, masked: bool = False) -> str:
    """An explorer figure's description: its summary (the key pattern, what the controls change),
    what can be read off the figure, and the current readout. While a prediction is pending the
    key pattern and the readout would give the answer away, so only the figure's layout is told."""
    parts = [describe_figure(figure)]
    if masked:
        parts.insert(0, MASKED_NOTE)
    else:
        parts.insert(0, summary)
        if readout:
            parts.append(f"Readout: {readout}")
    return " ".join(p.strip() for p in parts if p and p.strip())


def hidden_description_html(text: str) -> str:
    """The description as a region screen readers reach right after the figure (hidden on screen)."""
    return (f"<div class='figure-description-text' role='note' aria-label='Figure description' style='{VISUALLY_HIDDEN}'>"
            f"Figure description: {html.escape(text)}</div>")


class DescribedFigure(go.Figure):
    """A static plotly figure that carries a description of what it shows, printed beneath it.

    The description lives in ``layout.meta`` so it survives copies of the figure (the course
    book's renderer copies every figure before drawing it)."""

    @property
    def description(self) -> str:
        return figure_description(self)

    def _ipython_display_(self) -> None:
        super()._ipython_display_()
        display(HTML(caption_html(self)))


def described(figure: go.Figure, description: str) -> DescribedFigure:
    """``figure`` with ``description`` (what is plotted and its key pattern, in a sentence or two)."""
    if not description.strip():
        raise ValueError("a figure description must say what the figure shows")
    result = DescribedFigure(figure)
    result.update_layout(meta={"description": " ".join(description.split())})
    return result


def figure_description(figure: go.Figure) -> str:
    """The description a figure carries (empty for a figure without one)."""
    meta = figure.layout.meta
    return (meta or {}).get("description", "") if isinstance(meta, dict) else ""


def caption_html(figure: go.Figure) -> str:
    """The visible caption under a static figure: its description, then (for screen readers)
    what can be read off the figure. Empty for a figure without a description."""
    text = figure_description(figure)
    if not text:
        return ""
    return (f"<p class='figure-caption' style='max-width:60em;margin:2px 0 12px 0;font-size:0.95em;color:#333'>"
            f"<b>About this figure:</b> {html.escape(text)}"
            f"<span style='{VISUALLY_HIDDEN}'> {html.escape(describe_figure(figure))}</span></p>")
