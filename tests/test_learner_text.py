"""Learner-facing text cites sources; it shows no internal ids, machinery talk or raw values.

Scans every registered explorer (built, then after each demo change) and what every
notebook's code cells display (notebook prose: tests/test_notebook_prose.py, same
scanner). See tests/learner_text.py for what is collected and what counts as a hit.

Question banks (prompts, options, per-option feedback, explanations) are scanned too:
a learner reads all of it once they answer.
"""

from __future__ import annotations

import functools
import re

import pandas as pd
import pytest

import course_data
import learner_text as lt
from widgets.explorer import Explorer
from widgets.explorers import all_explorers

EXPLORERS = all_explorers()

def _check(hits: list[lt.Hit]) -> None:
    assert not hits, f"{len(hits)} learner-text problem(s):\n  " + "\n  ".join(map(str, hits[:40]))


# Notebook prose (markdown cells) is checked by tests/test_notebook_prose.py with the same scanner.


# ---------------------------------------------------------------- explorers
def _explorer_hits(name: str) -> list[lt.Hit]:
    cls = EXPLORERS[name]
    explorer = cls()
    texts = list(lt.explorer_texts(explorer, name))
    for control, value in cls.demo_changes:
        explorer.set(**{control: value})
        texts += lt.explorer_texts(explorer, f"{name} after {control}={value!r}")
    return _unique(h for where, text in texts for h in lt.find_ids(where, text))


def _unique(hits) -> list[lt.Hit]:
    seen, out = set(), []
    for hit in hits:
        if (hit.found, hit.context) not in seen:
            seen.add((hit.found, hit.context))
            out.append(hit)
    return out


@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_text_shows_no_ids_or_machinery(name):
    _check(_explorer_hits(name))


# ---------------------------------------------------------------- what notebooks display
@functools.cache
def _displayed(path) -> list[lt.Displayed]:
    return lt.run_notebook(path)


@pytest.mark.parametrize("path", lt.NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_show_no_ids_raw_values_or_machinery(path):
    from widgets.tables import learner_frame

    hits: list[lt.Hit] = []
    for item in _displayed(path):
        hits += [h for where, text in lt.displayed_texts(item) for h in lt.find_ids(where, text)]
        if isinstance(item.obj, (pd.DataFrame, pd.Series)):
            hits += lt.find_raw_cells(f"{item.where} table", learner_frame(item.obj))
    _check(_unique(hits))


# ---------------------------------------------------------------- question banks
@pytest.mark.parametrize("bank", course_data.question_banks())
def test_question_bank_text_shows_no_ids_or_machinery(bank):
    hits = []
    for question in course_data.questions(bank):
        texts = [("prompt", question["prompt"]), ("explanation", question["explanation"])]
        texts += [(f"option {i}", option["text"]) for i, option in enumerate(question.get("options", []))]
        texts += [(f"option {i} feedback", option["feedback"]) for i, option in enumerate(question.get("options", [])) if "feedback" in option]
        texts += [(f"common error {i}", error["feedback"]) for i, error in enumerate(question.get("common_errors", []))]
        hits += [h for part, text in texts for h in lt.find_ids(f"{bank} {question['id']} {part}", text)]
    _check(_unique(hits))


# ---------------------------------------------------------------- plotly text is escaped
_PLOTLY_TAGS = re.compile(r"<(?:/?(?:b|i|em|sup|sub|span|a|br|extra)\b[^<>]*|br\s*/?)>", re.I)


@pytest.mark.parametrize("name", [n for n, c in EXPLORERS.items() if c.build_figure is not Explorer.build_figure and c().figure is not None])
def test_figure_text_from_data_is_html_escaped(name):
    """plotly renders <b>, <br> … in hover text and labels (and may drop other <…>): every other '<' must be escaped."""
    explorer = EXPLORERS[name]()
    problems = []
    states = [None] + list(EXPLORERS[name].demo_changes)
    for change in states:
        if change:
            explorer.set(**{change[0]: change[1]})
        for key, text in lt.figure_texts(explorer.figure):
            if "template" in key:
                continue  # hovertemplate %{…} syntax is code, not data
            stripped = _PLOTLY_TAGS.sub("", text)
            if "<" in stripped:
                problems.append(f"{key}: {text[:120]!r}")
    assert not problems, f"{name}: unescaped data text in the figure:\n  " + "\n  ".join(problems[:10])


def test_ratings_readout_describes_the_rows_shown():
    """Under "primary evidence only" the readout counts and lists only what the table shows."""
    from widgets.explorers.ratings import RatingsExplorer, rows_for

    explorer = RatingsExplorer(pair="ketamine+benzodiazepines", show="primary evidence only")
    shown = rows_for("ketamine+benzodiazepines", "primary evidence only")
    assert f"showing {len(shown)} of {len(rows_for('ketamine+benzodiazepines'))} rows" in explorer.readout_text
    assert "Caution" not in explorer.readout_text and "TripSit" not in explorer.readout_text
    assert all(citation in explorer.readout_text for citation in shown["citation"])
    explorer.set(show="rows that cite evidence")
    ratings = rows_for("ketamine+benzodiazepines", "rows that cite evidence").query("rater_kind != 'primary evidence'")
    assert f"of these {len(ratings)} ratings" in explorer.readout_text


def test_displayed_tables_read_as_learner_tables():
    """A DataFrame in a notebook shows citations, '—' for gaps and every character of every cell."""
    from IPython.core.interactiveshell import InteractiveShell

    from widgets.tables import install_formatter, learner_frame

    long_text = "x" * 120
    frame = pd.DataFrame({"value_mg": [1.5, float("nan")], "note": [long_text, None], "source_id": ["hong1993", "green2009"]})
    shown = learner_frame(frame)
    assert list(shown.columns) == ["Value (mg)", "Note", "Source"]
    assert shown["Value (mg)"].tolist() == ["1.5", "—"] and shown["Note"].tolist() == [long_text, "—"]
    assert shown["Source"].tolist() == ["Hong 1993", "Green 2009"]
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # no history database in the test home
    shell = InteractiveShell.instance(config=config)
    try:
        install_formatter()
        html_out = shell.display_formatter.format(frame)[0]["text/html"]
        assert long_text in html_out and "NaN" not in html_out and "hong1993" not in html_out
        assert "dtype" not in shell.display_formatter.format(frame["value_mg"])[0]["text/plain"]
    finally:
        InteractiveShell.clear_instance()


def test_scanner_finds_what_it_should():
    """The scanner itself: ids as whole tokens, evidence rows, machinery words, raw cells."""
    source_id = course_data.load("sources")["id"].iloc[0]
    assert lt.find_ids("x", f"see <b>{source_id}</b> here")
    assert not lt.find_ids("x", f"see {source_id}-extended here")  # not a whole token
    assert lt.find_ids("x", "as in mpk:M16 and ca:C20")
    assert lt.find_ids("x", "The evidence base has no value")
    assert lt.find_ids("x", "readout: nan ng/mL")
    assert not lt.find_ids("x", "None of the trials was large")
    assert lt.find_ids("x", "Temperature above 38 °c") and lt.find_ids("x", "by less than 1 kcal, and")
    assert not lt.find_ids("x", "above 38 °C, by 1 kcal/mol")
    frame = pd.DataFrame({"a": ["NaN", "ok", "a long cell cut…"], "b": ["None", "dtype: float64", "fine"]})
    assert len(lt.find_raw_cells("t", frame)) == 4
