"""The shared toolkit: validation messages, the explorer pattern, badges (quizzes: tests/test_quiz.py)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

import course_data
from widgets import evidence
from widgets.explorer import Explorer, labelled_slider
from widgets.figure import FigureWidget, shared_plotly_bundle
from widgets.validation import CourseInputError, check_choice, check_positive, check_range


def test_validation_messages_name_parameter_value_and_allowed_range():
    with pytest.raises(CourseInputError, match=r"dose_mg_per_kg must be > 0 mg/kg, got -1 mg/kg"):
        check_positive("dose_mg_per_kg", -1, "mg/kg")
    with pytest.raises(CourseInputError, match=r"weight_kg must be between 3 and 200 kg, got 250 kg"):
        check_range("weight_kg", 250, 3, 200, "kg")
    with pytest.raises(CourseInputError, match=r"must be a number"):
        check_range("weight_kg", "heavy", 3, 200, "kg")
    with pytest.raises(CourseInputError, match=r"finite"):
        check_positive("x", float("nan"))
    with pytest.raises(CourseInputError, match=r"one of a, b"):
        check_choice("route", "c", ["a", "b"])
    assert check_range("weight_kg", 70, 3, 200) == 70.0


class _SquareExplorer(Explorer):
    """A minimal explorer used to test the base class (title left empty: not registered)."""

    def build_controls(self):
        return {"side_cm": labelled_slider("Side (cm)", 2, -5, 10, 1)}

    def build_figure(self):
        return FigureWidget(data=[go.Scatter(x=[0, 1], y=[0, 0])], layout=dict(xaxis_title="x (cm)", yaxis_title="area (cm²)"))

    def update(self, side_cm):
        area = check_positive("side_cm", side_cm, "cm") ** 2
        with self.figure.batch_update():
            self.figure.data[0].y = [0, area]
        return f"Area {area:g} cm²"


def test_figure_widgets_share_one_plotly_bundle_per_kernel():
    """Each figure's browser module is a small loader; plotly's 5 MB bundle travels once, in
    one shared model that every figure refers to (not once per figure, as plotly does)."""
    import plotly
    from pathlib import Path

    first, second = (FigureWidget(data=[go.Scatter(x=[0, 1], y=[1, y])]) for y in (2, 3))
    states = [first.get_state(), second.get_state()]
    carrier = shared_plotly_bundle()
    for state in states:
        assert len(state["_esm"]) < 5_000
        assert "_plotly_bundle" in state["_esm"] and plotly.__version__ in state["_esm"]
        assert state["_plotly_bundle"] == f"IPY_MODEL_{carrier.model_id}"
    assert [s["_widget_data"][0]["y"] for s in states] == [[1, 2], [1, 3]]  # still plotly's FigureWidget
    bundle = (Path(plotly.__file__).parent / "package_data" / "widgetbundle.js").read_bytes()
    # bytes travel as one binary buffer (no JSON string of 5 MB in the kernel)
    assert carrier.get_state()["source"] == bundle and len(bundle) > 1_000_000
    # A closed carrier (e.g. after Widget.close_all()) is replaced, never handed to a new figure.
    carrier.close()
    third = FigureWidget()
    assert third._plotly_bundle is shared_plotly_bundle() is not carrier
    assert third._plotly_bundle.comm is not None


def test_explorer_refuses_plotlys_plain_figure_widget():
    class PlainFigureExplorer(_SquareExplorer):
        def build_figure(self):
            return go.FigureWidget(data=[go.Scatter(x=[0, 1], y=[0, 0])])

    with pytest.raises(TypeError, match=r"PlainFigureExplorer.build_figure must return widgets.figure.FigureWidget, not plotly"):
        PlainFigureExplorer()


def test_explorer_updates_figure_in_place_and_readout():
    explorer = _SquareExplorer()
    figure, trace = explorer.figure, explorer.figure.data[0]
    assert explorer.readout_text == "Area 4 cm²"
    explorer.set(side_cm=3)
    assert explorer.readout_text == "Area 9 cm²"
    assert explorer.figure is figure and explorer.figure.data[0] is trace, "figure must be updated, not re-created"
    assert tuple(explorer.figure.data[0].y) == (0, 9)
    assert "Area 9 cm²" in explorer.readout.value and "aria-live" in explorer.readout.value


def test_explorer_shows_invalid_input_as_message_not_traceback():
    explorer = _SquareExplorer()
    explorer.set(side_cm=-2)
    assert "Side must be > 0 cm, got -2 cm" in explorer.message_text  # the control's label, not the model's name
    assert "role='alert'" in explorer.message.value
    assert explorer.readout_text.startswith("No result")
    explorer.set(side_cm=1)
    assert explorer.message_text == "" and explorer.readout_text == "Area 1 cm²"


def test_explorer_rejects_unknown_initial_control():
    with pytest.raises(CourseInputError, match="no control 'colour'"):
        _SquareExplorer(colour="red")


def test_explorer_widget_carries_css_hooks_for_browser_tests():
    explorer = _SquareExplorer()
    assert "course-explorer" in explorer.widget._dom_classes
    assert "explorer-readout" in explorer.readout._dom_classes


def test_badge_shows_status_citation_and_opens_the_full_reference():
    html = evidence.badge_html("ebert1997")
    assert "VERIFIED" in html and "Ebert 1997" in html
    assert "PMID 9311667" in html and "popovertarget=" in html and "title=" not in html
    derived = evidence.badge_html("hirota1999-ki")
    assert "DERIVED" in derived and "4.38" in derived, "a derived badge's panel shows its derivation"


def test_fact_html_formats_value_unit_and_range():
    assert "<b>0.3 µM</b>" in evidence.fact_html("s-ketamine-nmda-ki-ebert")
    assert "<b>79 L/h (69–90)</b>" in evidence.fact_html("ketamine-clearance-kamp")
    assert evidence.format_value(None, 1200, 2400, "ng/mL") == "1200–2400 ng/mL"


def test_references_link_doi_and_pmid():
    html = evidence.references("hirota1999").value
    assert "https://doi.org/10.1097/00000542-199901000-00023" in html
    assert "https://pubmed.ncbi.nlm.nih.gov/9915326/" in html


def test_key_terms_unknown_id_is_a_clear_error():
    with pytest.raises(course_data.CourseDataError, match="unknown glossary id 'nmda-recepter'"):
        evidence.key_terms("nmda-recepter")


def test_display_syncs_figure_state_for_the_browser_view():
    """The browser view starts from _widget_data; it must hold the state after the first update."""
    explorer = _SquareExplorer()
    explorer.set(side_cm=5)
    explorer._ipython_display_()
    assert list(explorer.figure._widget_data[0]["y"]) == [0, 25]
