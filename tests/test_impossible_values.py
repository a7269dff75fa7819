"""Values only code can set get the explorer's normal message, never a traceback or a 'nan' readout.

NaN or ±inf on a slider, ``None`` or a value outside the options on a dropdown, -0.0,
and a finite number beyond a slider's range (which goes to the slider's nearest end,
as the slider itself does): every registered explorer, every control, every one of
these values.
"""

from __future__ import annotations

import math

import pytest

from learner_text import RAW_IN_TEXT
from widgets.explorers import all_explorers
from widgets.validation import CourseInputError, check_control_value

EXPLORERS = all_explorers()
IMPOSSIBLE = [float("nan"), float("inf"), float("-inf"), None, -0.0, "no such option", 1e12, -1e12]


def _is_negative_zero(value) -> bool:
    return isinstance(value, float) and value == 0 and math.copysign(1, value) < 0


def _accepted(label, control, value):
    """The value the control check turns ``value`` into, or None if it refuses it."""
    try:
        return (check_control_value(label, control, value, clamp=True),)
    except CourseInputError:
        return None


@pytest.mark.parametrize("name", EXPLORERS)
def test_impossible_values_on_every_control_give_the_normal_message(name):
    explorer = EXPLORERS[name]()
    for control_name, control in explorer.controls.items():
        label = control.description or control_name
        original = control.value
        for value in IMPOSSIBLE:
            accepted = _accepted(label, control, value)
            explorer.set(**{control_name: value})
            where = f"{name}.{control_name} = {value!r}"
            assert "Something went wrong" not in explorer.message_text, f"{where}: {explorer.message_text}"
            for text in (explorer.message_text, explorer.readout_text):
                assert not RAW_IN_TEXT.search(text), f"{where}: raw value in {text!r}"
                assert "-0 " not in text and not text.endswith("-0"), f"{where}: negative zero shown in {text!r}"
            if accepted is None:
                assert explorer.message_text.startswith(label), f"{where}: the message must name the control: {explorer.message_text!r}"
                assert explorer.readout_text.startswith("No result"), where
                assert control.value == original or (isinstance(original, float) and math.isnan(original)), f"{where}: control changed"
            else:
                assert not _is_negative_zero(control.value), f"{where}: -0.0 kept"
                assert control.value == accepted[0]
                if explorer.message_text:  # the model may refuse the value itself: then with its own sentence
                    assert explorer.readout_text.startswith("No result"), where
            explorer.set(**{control_name: original})
            assert control.value == original
        assert not explorer.message_text or explorer.readout_text.startswith("No result"), f"{name}: back to the default"


def _float_controls(explorer) -> list[str]:
    return [n for n, c in explorer.controls.items() if isinstance(c.value, float) and not hasattr(c, "options")]


@pytest.mark.parametrize("name", [n for n, c in EXPLORERS.items() if _float_controls(c())])
def test_nan_written_straight_into_a_slider_is_caught_before_the_model(name):
    """A value assigned to the widget itself (not through ``set``) is checked in ``values()``."""
    explorer = EXPLORERS[name]()
    floats = _float_controls(explorer)
    for control_name in floats:
        control = explorer.controls[control_name]
        original = control.value
        control.value = float("nan")  # sliders accept NaN: traitlets compares it with nothing
        assert explorer.message_text.startswith(control.description), explorer.message_text
        assert "not a number" in explorer.message_text and not RAW_IN_TEXT.search(explorer.readout_text)
        control.value = original
        assert not explorer.message_text or explorer.readout_text.startswith("No result")


def test_control_check_messages():
    import ipywidgets as W

    slider = W.FloatSlider(value=1, min=0.5, max=2, description="Dose (mg/kg)")
    with pytest.raises(CourseInputError, match=r"^Dose \(mg/kg\) must be a finite number between 0.5 and 2, got a value that is not a number$"):
        check_control_value("Dose (mg/kg)", slider, float("nan"))
    with pytest.raises(CourseInputError, match=r"between 0.5 and 2, got 5"):
        check_control_value("Dose (mg/kg)", slider, 5)  # a slider can never hold 5
    assert check_control_value("Dose (mg/kg)", slider, 5, clamp=True) == 2  # set() moves it to the end, as the slider does
    with pytest.raises(CourseInputError, match="finite"):
        check_control_value("Dose (mg/kg)", slider, float("inf"), clamp=True)  # the slider would clamp inf: refused instead
    log = W.FloatLogSlider(value=100, base=10, min=1, max=4)
    assert check_control_value("C", log, 10.0) == 10.0
    with pytest.raises(CourseInputError, match="between 10 and 10000"):
        check_control_value("C", log, 5.0)
    zero = check_control_value("C", W.FloatSlider(value=0, min=-1, max=1), -0.0)
    assert zero == 0 and math.copysign(1, zero) == 1
    menu = W.Dropdown(options=[("Ketamine + SSRIs", "ks"), ("Ketamine + benzodiazepines", "kb")])
    with pytest.raises(CourseInputError, match=r"^Pair: choose one of Ketamine \+ SSRIs, Ketamine \+ benzodiazepines \(nothing is chosen\)$"):
        check_control_value("Pair", menu, None)
    with pytest.raises(CourseInputError, match="must be one of"):
        check_control_value("Pair", menu, "ketamine+alcohol")
    with pytest.raises(CourseInputError, match="ticked or not ticked"):
        check_control_value("Clonus", W.Checkbox(), None)
    with pytest.raises(CourseInputError, match="whole number"):
        check_control_value("Doses", W.IntSlider(value=1, min=1, max=3), 2.5)


@pytest.mark.parametrize("name", [n for n, c in EXPLORERS.items() if c.invalid_change])
def test_a_refused_setting_is_explained_with_the_controls_label_not_a_code_name(name):
    """The model names its parameter (``stop_day must be > 0 days``); the learner reads the
    control's label, and no snake_case name appears in the message or the readout."""
    import re

    explorer = EXPLORERS[name]()
    control, value = explorer.invalid_change
    explorer.controls[control].value = value
    assert explorer.message_text, f"{name}: {control} = {value!r} was not refused"
    for text in (explorer.message_text, explorer.readout_text):
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), f"{name}: code name in {text!r}"
