"""Every registered explorer, driven headlessly through its own demo changes."""

from __future__ import annotations

import re

import numpy as np
import plotly.io as pio

import pytest

from widgets.explorers import all_explorers

EXPLORERS = all_explorers()


def _figure_data(explorer):
    """The figure (data and layout) as JSON text, so any change to it is visible."""
    return pio.to_json(explorer.figure, validate=False) if explorer.figure is not None else None


@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_builds_with_a_readout_and_labelled_controls(name):
    explorer = EXPLORERS[name]()
    assert explorer.readout_text and not explorer.message_text, f"{name} default state: {explorer.message_text}"
    for control_name, control in explorer.controls.items():
        assert control.description, f"{name}.{control_name} has no description"
    if explorer.figure is not None:
        layout = explorer.figure.layout
        assert layout.title.text, f"{name}: figure has no title"
        for letter in ("x", "y"):
            numeric = any(
                getattr(trace, letter, None) is not None
                and len(getattr(trace, letter)) > 0
                and np.issubdtype(np.asarray(getattr(trace, letter)).dtype, np.number)
                for trace in explorer.figure.data
            )
            axes = [getattr(layout, a) for a in dir(layout) if a.startswith(f"{letter}axis") and getattr(layout, a, None) is not None]
            titles = [axis.title.text or "" for axis in axes]
            categorical = any(axis.ticktext is not None or axis.type == "category" for axis in axes)
            if numeric and not categorical:
                assert any(re.search(r"\(.+\)", t) for t in titles), (
                    f"{name}: the numeric {letter} axis needs a title naming its unit in parentheses, e.g. 'Time (h)'; titles: {titles}"
                )


@pytest.mark.parametrize("name", EXPLORERS)
def test_each_demo_change_updates_readout_and_figure_in_place(name):
    cls = EXPLORERS[name]
    assert cls.demo_changes, f"{name} declares no demo_changes"
    explorer = cls()
    figure = explorer.figure
    for control, value in cls.demo_changes:
        before_text, before_data = explorer.readout_text, _figure_data(explorer)
        explorer.set(**{control: value})
        assert not explorer.message_text, f"{name}: {control}={value!r} gave message {explorer.message_text!r}"
        assert explorer.readout_text != before_text, f"{name}: {control}={value!r} did not change the readout"
        if figure is not None:
            assert explorer.figure is figure, f"{name}: figure was re-created"
            assert _figure_data(explorer) != before_data, f"{name}: {control}={value!r} did not change the figure"


@pytest.mark.parametrize("name", [n for n, c in EXPLORERS.items() if c.invalid_change])
def test_invalid_change_gives_a_message_not_a_traceback(name):
    cls = EXPLORERS[name]
    explorer = cls()
    control, value = cls.invalid_change
    explorer.set(**{control: value})
    assert explorer.message_text and "Something went wrong" not in explorer.message_text
    assert explorer.readout_text.startswith("No result")
