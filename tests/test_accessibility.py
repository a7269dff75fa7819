"""Accessibility without a browser: status-colour contrast by the WCAG formula, evidence badges
as real controls, and a text description for every figure (explorers and static figures).

The browser half (axe-core on every page, keyboard and touch on the badges) is
tests/browser/test_accessibility_browser.py.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import plotly.graph_objects as go
import pytest

import course_data
import learner_text as lt
from widgets import evidence, figure_text
from widgets.book_render import figure_html
from widgets.explorers import all_explorers
from widgets.style import STATUS_COLOURS

ROOT = Path(__file__).resolve().parents[1]
AA_SMALL_TEXT = 4.5


# ---------------------------------------------------------------- contrast (WCAG 2.x)
def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour '#rrggbb'."""
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # #767676 is the lightest grey that passes AA on white (4.54:1); #777777 just fails (4.48:1).
    assert contrast_ratio("#767676", "#fff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#fff") == pytest.approx(4.48, abs=0.01)


@functools.cache
def tinted_backgrounds() -> dict[str, str]:
    """Every literal background colour in the widgets' HTML and the book's CSS (colour → where)."""
    found: dict[str, str] = {"#ffffff": "the page (JupyterLab, Voilà, the book)"}
    files = [*ROOT.glob("widgets/**/*.py"), *ROOT.glob("book/static/*.css")]
    for path in files:
        for match in re.finditer(r"background(?:-color)?\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1).lower(), str(path.relative_to(ROOT)))
    return found


def test_the_background_scan_finds_the_tints_in_use():
    backgrounds = tinted_backgrounds()
    assert {"#eef5fb", "#fbfcfd", "#f6f8fa", "#fff3c4"} <= set(backgrounds), backgrounds  # prediction result, book


@pytest.mark.parametrize("status", list(STATUS_COLOURS))
def test_status_colours_meet_wcag_aa_for_small_text_on_every_background(status):
    colour = STATUS_COLOURS[status]
    failing = {bg: f"{contrast_ratio(colour, bg):.2f}:1 ({where})" for bg, where in tinted_backgrounds().items()
               if contrast_ratio(colour, bg) < AA_SMALL_TEXT}
    assert not failing, f"{status} {colour} is below {AA_SMALL_TEXT}:1 on {failing}"


def test_status_colours_stay_distinct_hues():
    """Colour is never the only cue (the word is always shown), but the five must still differ."""
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)


# ---------------------------------------------------------------- badges
class _Tree(HTMLParser):
    """Elements as (tag, attributes, depth); checks that tags are balanced."""

    VOID = {"br", "img", "input", "col", "wbr", "hr"}

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict, int]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), len(self.stack)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> (open: {self.stack})"
        self.stack.pop()


def parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    assert not tree.stack, f"unclosed tags {tree.stack}"
    return tree


def _sources_with_every_status() -> list[str]:
    sources = course_data.load("sources")
    return [sources[sources["evidence_status"] == s]["id"].iloc[0] for s in STATUS_COLOURS
            if (sources["evidence_status"] == s).any()]


@pytest.mark.parametrize("source_id", _sources_with_every_status())
def test_badge_is_a_button_that_opens_the_full_reference_and_meaning(source_id):
    row = course_data.source(source_id)
    markup = evidence.badge_html(source_id)
    tree = parse(markup)
    buttons = [attrs for tag, attrs, _ in tree.elements if tag == "button"]
    panels = [attrs for tag, attrs, _ in tree.elements if "popover" in attrs]
    assert len(panels) == 1 and buttons[0]["popovertarget"] == panels[0]["id"]
    assert buttons[0]["type"] == "button" and "popovertargetaction" not in buttons[0]
    assert buttons[1].get("popovertargetaction") == "hide", "the panel has a Close button"
    assert "title" not in markup.replace("popovertarget", ""), "no hover-only tooltip"
    # Only phrasing content, so a badge may sit inside a sentence (<p>) without breaking it.
    assert not {tag for tag, _, _ in tree.elements} & {"div", "p", "details", "ul", "ol", "table"}
    label, panel = markup.split("popover class", 1)[0], markup.split("popover class", 1)[1]
    assert f"{evidence.PROVENANCE}: </span>" in label and row["evidence_status"] in label
    assert evidence.short_citation(source_id) in label
    text = lt._visible(panel)
    assert evidence.STATUS_MEANING[row["evidence_status"]] in text
    assert evidence.full_citation(source_id)[:40] in text


def test_badge_ids_are_unique_on_a_page():
    ids = re.findall(r"popovertarget='([^']+)'", "".join(evidence.badge_html("ebert1997") for _ in range(5)))
    assert len(set(ids)) == 5


def test_provenance_tag_is_a_button_too():
    markup = evidence.provenance_tag_html("ebert1997")
    tree = parse(markup)
    assert [attrs["popovertarget"] for tag, attrs, _ in tree.elements if tag == "button"][0] in markup.split("popover class")[0]
    assert "[VERIFIED]" in markup and evidence.STATUS_MEANING["VERIFIED"] in markup


# ---------------------------------------------------------------- figure descriptions
def test_describe_figure_names_title_axes_ranges_and_the_series_drawn():
    fig = go.Figure([
        go.Scatter(x=[0, 2, 10], y=[5, 1, 3], mode="lines", name="plasma"),
        go.Scatter(x=[1], y=[2], mode="markers", name="measured"),
        go.Scatter(x=[1, 2], y=[1, 2], name="hidden", visible=False),
        go.Scatter(x=[], y=[], name="empty"),
    ])
    fig.update_layout(title="Level<br><sup>teaching model</sup>", xaxis_title="Time (h)", yaxis_title="Level (ng/mL)")
    text = figure_text.describe_figure(fig)
    assert text.startswith("Chart: Level teaching model.")
    assert "Horizontal axis: Time (h), data from 0 to 10." in text
    assert "Vertical axis: Level (ng/mL), data from 1 to 5." in text
    assert "Shown: plasma (line); measured (points)." in text
    assert "hidden" not in text and "empty" not in text


def test_describe_figure_lists_categories_and_log_scales():
    fig = go.Figure(go.Bar(x=[3, 4], y=["alpha", "beta"], orientation="h", name="count"))
    fig.update_layout(xaxis=dict(type="log", title="Dose (mg)"))
    text = figure_text.describe_figure(fig)
    assert "Vertical axis lists: alpha, beta." in text
    assert "Horizontal axis: Dose (mg) (log scale), data from 3 to 4." in text


FIGURE_EXPLORERS = [name for name, cls in all_explorers().items() if cls().figure is not None]


@pytest.mark.parametrize("name", FIGURE_EXPLORERS)
def test_every_explorer_figure_has_a_description_that_follows_the_readout(name):
    cls = all_explorers()[name]
    assert len(cls.figure_summary.split()) >= 15, f"{name}: figure_summary should say what is plotted and its key pattern"
    explorer = cls()
    if explorer.prediction_box is not None:
        explorer.prediction_box.skip()
    region = explorer.figure_description
    children = list(explorer.widget.children)
    assert children[children.index(explorer.figure) + 1] is region, "the description follows the figure"
    tree = parse(region.value)
    assert tree.elements[0][1].get("role") == "note" and "clip" in tree.elements[0][1]["style"]
    text = explorer.figure_description_text
    assert cls.figure_summary in text and figure_text.plain(explorer.figure.layout.title.text) in text
    assert f"Readout: {explorer.readout_shown}" in text
    for control, value in cls.demo_changes:
        explorer.set(**{control: value})
        assert f"Readout: {explorer.readout_shown}" in explorer.figure_description_text, f"{name}: description not updated"
    assert not lt.find_ids(name, region.value)


def test_a_pending_prediction_is_not_given_away_by_the_description():
    predicting = [cls for cls in all_explorers().values() if cls.prediction is not None and cls().figure is not None]
    assert predicting
    for cls in predicting:
        explorer = cls().set(**cls.prediction.setting)
        assert explorer.prediction_box.masked, cls.__name__
        text = explorer.figure_description_text
        assert figure_text.MASKED_NOTE in text and cls.figure_summary not in text and "Readout:" not in text
        explorer.prediction_box.skip()
        assert cls.figure_summary in explorer.figure_description_text


@functools.cache
def _displayed(path: Path):
    return lt.run_notebook(path)


@pytest.mark.parametrize("path", lt.NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_a_notebook_displays_has_a_description(path):
    from plotly.basedatatypes import BaseFigure
    from widgets.explorer import Explorer

    for item in _displayed(path):
        obj = item.obj
        if isinstance(obj, BaseFigure):
            assert isinstance(obj, figure_text.DescribedFigure) and len(obj.description.split()) >= 15, \
                f"{item.where}: a figure without a description (use widgets.figure_text.described)"
        elif isinstance(obj, Explorer) and obj.figure is not None:
            assert obj.figure_description_text.strip(), f"{item.where}: {type(obj).__name__} has no figure description"


def test_static_figure_caption_shows_in_the_notebook_and_the_book(monkeypatch):
    from widgets.explorers.pk import bioavailability_figure

    fig = bioavailability_figure()
    shown = []
    monkeypatch.setattr(figure_text, "display", lambda obj: shown.append(obj))
    monkeypatch.setattr(go.Figure, "_ipython_display_", lambda self: shown.append(self))
    fig._ipython_display_()
    assert shown[0] is fig and "About this figure:" in shown[1].data and html.escape(fig.description) in shown[1].data
    book = figure_html(fig)
    assert book.index("plotly-graph-div") < book.index("About this figure:")
    assert html.escape(figure_text.describe_figure(fig)) in book  # and, for screen readers, what can be read off it
    with pytest.raises(ValueError):
        figure_text.described(go.Figure(), " ")
