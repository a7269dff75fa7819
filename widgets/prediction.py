"""Recorded predictions: "predict, then check" made concrete (issue 14 §3).

An explorer declares one :class:`PredictionSpec` as its ``prediction`` class
attribute: a question, the control setting it is about, and how the explorer's
model answers it there. The explorer then shows a :class:`Prediction` box above its
controls. The pattern is the claim checker's (notebook 11): the learner commits
first (a choice or a number, then "Lock my prediction"), and only then sees the
answer. Until then, the readout for that setting is replaced by a note and the
figure is blurred. Locking moves the controls to the setting, keeps the prediction
beside the readout and says how close it was ("You predicted 150 ng/mL; the model
gives 177 ng/mL: 15 % low"); the prediction is saved in the learner's progress.
An instructor demonstrating can press Skip.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Callable

import ipywidgets as W

from widgets import answers, progress

Truth = float | tuple[float, float] | str
MASK_TEXT = "Hidden for this setting until you lock your prediction above (instructors: press Skip)."
CLOSE_FRACTION = 0.05

#: While a prediction is pending at its setting, everything in the explorer except its title,
#: prompt, prediction box, controls, readout and message is blurred (figure, tables).
PREDICTION_STYLE = """<style>
.course-explorer.prediction-pending > :not(.explorer-title):not(.explorer-prompt):not(.prediction-box):not(.explorer-controls):not(.explorer-readout):not(.explorer-message) {
  filter: blur(7px); opacity: 0.55; pointer-events: none; user-select: none; }
.prediction-box .widget-radio-box label { height: auto !important; line-height: 1.4 !important;
  white-space: normal !important; display: flex !important; align-items: flex-start; margin: 2px 0 4px 0 !important; }
.prediction-box .widget-radio-box label input { order: -1; flex: none; float: none !important; margin: 0.1em 0.55em 0 1px !important; }
.prediction-box .widget-radio-box { flex-grow: 0; max-width: 60em; }
.prediction-box .widget-html-content, .explorer-readout .widget-html-content { line-height: 1.45; }
</style>"""


@dataclass(frozen=True)
class PredictionSpec:
    """One prediction an explorer asks for.

    ``setting``: control values the question is about (other controls keep the
    values the explorer was built with). ``truth(values)`` computes the answer with
    the explorer's model from the full control values at that setting: a number, a
    (low, high) range of published values, or one of ``choices``. ``detail(values)``
    may add the number behind a choice ("predicted occupancy 0.25 %").
    ``notebook`` (or a function of the values) is where the prediction is recorded.
    """

    id: str
    notebook: str | Callable[[dict[str, Any]], str]
    question: str
    setting: dict[str, Any]
    truth: Callable[[dict[str, Any]], Truth]
    unit: str = ""
    choices: tuple[str, ...] | Callable[[dict[str, Any]], tuple[str, ...]] = ()
    detail: Callable[[dict[str, Any]], str] | None = None
    source: str = "the model gives"
    #: A count (events, targets): compared by difference ("2 too few") rather than by ratio.
    count: bool = False


def closeness(predicted: float, truth: float | tuple[float, float], count: bool = False) -> tuple[str, float | None]:
    """How far ``predicted`` is from ``truth`` (a value or a (low, high) range), in words, and as a signed
    fraction of the truth (None where a fraction means nothing). ``count``: whole numbers, compared by difference."""
    if isinstance(truth, tuple):
        low, high = truth
        if low <= predicted <= high:
            return "inside that range", 0.0
        if predicted > high:
            ratio = predicted / high if high > 0 else math.inf
            return ((f"{answers.format_number(ratio)} times the highest value" if ratio >= 2
                     else f"{(ratio - 1) * 100:.0f} % above the highest value"), (predicted - high) / abs(high) if high else None)
        ratio = low / predicted if predicted > 0 else math.inf
        return ((f"{answers.format_number(ratio)} times lower than the lowest value" if ratio >= 2
                 else f"{(1 - predicted / low) * 100:.0f} % below the lowest value"), (predicted - low) / abs(low) if low else None)
    difference = predicted - truth
    if math.isclose(predicted, truth, rel_tol=1e-9, abs_tol=1e-12):
        return "exactly right", 0.0
    if count:
        n = answers.format_number(abs(difference))
        return f"{n} too {'many' if difference > 0 else 'few'}", difference / abs(truth) if truth else None
    if truth == 0 or predicted * truth < 0:
        return f"{answers.format_number(abs(difference))} too {'high' if difference > 0 else 'low'}", None
    fraction, ratio = difference / abs(truth), predicted / truth
    if abs(fraction) <= CLOSE_FRACTION:
        text = f"close (within {CLOSE_FRACTION * 100:.0f} %)"
    elif ratio >= 2:
        text = f"{answers.format_number(ratio)} times too high"
    elif ratio <= 0.5:
        text = f"{answers.format_number(1 / ratio)} times too low"
    else:
        text = f"{abs(fraction) * 100:.0f} % {'high' if fraction > 0 else 'low'}"
    return text, fraction


#: Singular of the count units, for "1 event".
SINGULAR = {"events": "event", "hypotheses": "hypothesis", "targets": "target", "ratings": "rating", "days": "day"}


def with_unit(value: float, unit: str) -> str:
    """'240 ng/mL', '1 event', '3 events'."""
    if not unit:
        return answers.format_number(value)
    return f"{answers.format_number(value)} {SINGULAR.get(unit, unit) if value == 1 else unit}"


def _value_label(control: W.ValueWidget, value: Any) -> str:
    """How a control shows ``value`` (a dropdown's label, a number, on/off)."""
    for option in getattr(control, "options", ()) or ():
        label, option_value = option if isinstance(option, tuple) else (option, option)
        if option_value == value:
            return str(label)
    if isinstance(value, bool):
        return "ticked" if value else "not ticked"
    return answers.format_number(value) if isinstance(value, (int, float)) else str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return a == b


class Prediction:
    """The prediction box of one explorer (see the module docstring)."""

    def __init__(self, explorer, spec: PredictionSpec, store: progress.ProgressStore | None = None):
        unknown = set(spec.setting) - set(explorer.controls)
        if unknown:
            raise ValueError(f"{type(explorer).__name__} prediction {spec.id!r} names unknown controls {sorted(unknown)}")
        self.explorer = explorer
        self.spec = spec
        self._store = store
        self.setting = {**explorer.values(), **spec.setting}
        self.state = "pending"  # then "locked" or "skipped"
        self.result_text = ""
        where = "; ".join(f"{explorer.controls[name].description}: {_value_label(explorer.controls[name], value)}"
                          for name, value in spec.setting.items())
        self.question = W.HTML(
            f"{PREDICTION_STYLE}<div style='max-width:60em'><b>Predict first.</b> {html.escape(spec.question)}"
            + (f" <span style='color:#555'>(at {html.escape(where)})</span>" if where else "") + "</div>")
        if self.choices:
            self.input: W.ValueWidget = W.RadioButtons(options=list(self.choices), value=None, layout=W.Layout(width="auto"))
            entry = [self.input]
        else:
            self.input = W.Text(placeholder="your prediction", continuous_update=True, layout=W.Layout(width="12em"))
            entry = [self.input, W.Label(spec.unit)]
        self.input.observe(self._on_input, names="value")
        self.lock_button = W.Button(description="Lock my prediction", button_style="primary", disabled=True,
                                    tooltip="Commit to your prediction; then the readout for this setting is shown")
        self.skip_button = W.Button(description="Skip", tooltip="Show the readout without a prediction (for instructors demonstrating)")
        self.lock_button.on_click(lambda _b: self.lock())
        self.skip_button.on_click(lambda _b: self.skip())
        self.status = W.HTML().add_class("prediction-status")
        self.widget = W.VBox(
            [self.question, W.HBox(entry, layout=W.Layout(flex_flow="row wrap", align_items="center")),
             W.HBox([self.lock_button, self.skip_button]), self.status],
            layout=W.Layout(border="1px solid #0072B2", padding="4px 10px", margin="4px 0 8px 0"),
        ).add_class("prediction-box")

    # ------------------------------------------------------------ state
    @property
    def store(self) -> progress.ProgressStore:
        return self._store or progress.store()

    @property
    def choices(self) -> tuple[str, ...]:
        choices = self.spec.choices
        return tuple(choices(self.setting)) if callable(choices) else tuple(choices)

    @property
    def notebook(self) -> str:
        return self.spec.notebook(self.setting) if callable(self.spec.notebook) else self.spec.notebook

    def at_setting(self) -> bool:
        # the controls' raw values: a value the explorer refuses (NaN, None) is simply not the setting
        controls = self.explorer.controls
        return all(_same(controls[name].value, value) for name, value in self.setting.items())

    @property
    def masked(self) -> bool:
        return self.state == "pending" and self.at_setting()

    def truth(self) -> Truth:
        """The explorer's model's answer at the setting."""
        return self.spec.truth(self.setting)

    # ------------------------------------------------------------ readout
    def readout_parts(self, text: str) -> tuple[str, str]:
        """(readout text, HTML shown beside it): masked while pending at the setting; the reveal once locked."""
        self.explorer.widget.remove_class("prediction-pending")
        if self.masked:
            self.explorer.widget.add_class("prediction-pending")
            return MASK_TEXT, ""
        if self.state == "locked":
            return text, (f"<div class='prediction-result' style='margin:2px 0 4px 0;padding:3px 8px;border-left:4px solid #0072B2;"
                          f"background:#eef5fb;max-width:60em'><b>Your prediction:</b> {html.escape(self.result_text)}</div>")
        return text, ""

    # ------------------------------------------------------------ actions
    def _on_input(self, change: dict) -> None:
        if self.state == "pending":
            self.lock_button.disabled = change["new"] in (None, "")
            self.status.value = ""

    def lock(self, value: Any = None) -> str:
        """Lock the prediction (``value``: set the input first, as a learner would); return the reveal text."""
        if self.state != "pending":
            return self.result_text
        if value is not None:
            self.input.value = value if self.choices else str(value)
        truth = self.truth()
        model_text = self.answer_text(truth)
        if self.choices:
            if self.input.value is None:
                return self._say("Choose one option first.")
            predicted_text = self.input.value
            right = self.input.value == truth
            how, error = ("right" if right else "not this time"), None
            self.result_text = f"You predicted “{predicted_text}”; {self.spec.source} {model_text}: {how}."
        else:
            number = answers.parse_number(self.input.value, self.spec.unit)
            if number is None:
                return self._say(f"Please enter a number{f' in {self.spec.unit}' if self.spec.unit else ''} (for example 150).")
            predicted_text = with_unit(number, self.spec.unit)
            how, error = closeness(number, truth, self.spec.count)
            right = None
            self.result_text = f"You predicted {predicted_text}; {self.spec.source} {model_text}: {how}."
        self.state = "locked"
        self.input.disabled = self.lock_button.disabled = self.skip_button.disabled = True
        self.status.value = f"<div style='color:#00734f'>Locked: {html.escape(predicted_text)}. The result is beside the readout.</div>"
        self.widget.add_class("prediction-settled")
        self.store.record_prediction(self.notebook, self.spec.id, self.spec.question, predicted_text, model_text, how,
                                     error_fraction=error, right=right)
        self._show_setting()
        return self.result_text

    def answer_text(self, truth: Truth | None = None) -> str:
        """The explorer's answer as the learner reads it ('240 ng/mL', '30–40 min', '“about 0.1 %” (…)')."""
        truth = self.truth() if truth is None else truth
        if self.choices:
            detail = f" ({self.spec.detail(self.setting)})" if self.spec.detail else ""
            return f"“{truth}”{detail}"
        if isinstance(truth, tuple):
            return f"{answers.format_number(truth[0])}–{with_unit(truth[1], self.spec.unit)}"
        return with_unit(truth, self.spec.unit)

    def static_html(self) -> str:
        """For a page without a kernel (the course book): the question with its answer folded, and the
        explorer's readout no longer hidden (no prediction can be locked there)."""
        if self.state == "pending":
            self.state = "skipped"
            self.explorer.refresh()
        question = self.question.value.replace(PREDICTION_STYLE, "")
        answer = f"{self.spec.source[0].upper()}{self.spec.source[1:]} {self.answer_text()}."
        return (f"<div class='prediction-box book-prediction'>{question}"
                f"<details><summary>Show the answer</summary><p>{html.escape(answer)}</p></details></div>")

    def skip(self) -> None:
        """Show the readout without a prediction (nothing is recorded)."""
        if self.state != "pending":
            return
        self.state = "skipped"
        self.input.disabled = self.lock_button.disabled = self.skip_button.disabled = True
        self.status.value = "<div style='color:#555'>Skipped: the readout is shown without a prediction.</div>"
        self.widget.add_class("prediction-settled")
        self.explorer.refresh()

    def _say(self, text: str) -> str:
        self.status.value = f"<div role='alert' style='color:#8a2b00'>{html.escape(text)}</div>"
        return ""

    def _show_setting(self) -> None:
        """Move the explorer to the setting the prediction is about (and redraw its readout)."""
        if self.at_setting():
            self.explorer.refresh()
        else:
            self.explorer.set(**{k: v for k, v in self.setting.items() if not _same(self.explorer.values()[k], v)})
