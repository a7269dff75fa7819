"""The pattern every explorer follows.

An explorer is a thin layer: labelled, bounded controls → one pure model call →
one figure updated in place (inside ``batch_update``, never re-created) → a
one-line text readout. Subclasses implement three methods::

    class HalfLifeExplorer(Explorer):
        title = "Half-life"
        demo_changes = [("half_life_h", 12.0)]     # used by generic tests and benchmarks

        def build_controls(self):
            return {"half_life_h": labelled_slider("Half-life (h)", 6, 1, 48, 1)}

        def build_figure(self):
            return FigureWidget(data=[go.Scatter(x=[], y=[])], layout=base_layout(...))

        def update(self, half_life_h):
            result = model(half_life_h)                # may raise CourseInputError
            with self.figure.batch_update():
                self.figure.data[0].y = result.y
            return f"Concentration halves every {half_life_h:g} h"

Invalid input (a :class:`CourseInputError` from the model) is shown in the
explorer's message line; the readout then says no result is shown. Values that only
code can set (NaN or ±inf on a slider, ``None`` or a value outside the options on a
dropdown) get the same treatment: :meth:`Explorer.values` and :meth:`Explorer.set`
check them against the control (:func:`widgets.validation.check_control_value`), so a
model never sees them.

An explorer whose prompt asks the learner to predict declares a ``prediction``
(:class:`widgets.prediction.PredictionSpec`): a box above the controls records the
prediction, and the readout for that setting stays hidden until it is locked. One
instance can ask its own question instead (``PKExplorer(prediction=spec, …)``, as the
clinical cases do) or none (``prediction=None``).

Figures are :class:`widgets.figure.FigureWidget` (plotly's, loaded once per page,
as wide as the explorer); a plain ``plotly.graph_objects.FigureWidget`` is refused,
because several of them on one Voilà page can freeze (see :mod:`widgets.figure`).

Layout (:data:`widgets.style.EXPLORER_STYLE`): controls in a compact grid above the
figure, each slider's track at least 140 px wide however long its label; a refused
setting's message directly under the controls, and the figure dimmed with a "not
updated" caption until a valid setting is drawn. An update sends the readout before
the figure's one update message, so the readout never waits for plotly.

Re-running a cell that builds an explorer closes the explorer of the same class that
the cell's previous run built (JupyterLab names the cell it runs; see
:meth:`Explorer._close_predecessor`), so re-runs do not pile up widgets in the kernel.
"""

from __future__ import annotations

import contextlib
import copy
import html
import re
import weakref
from typing import Any, ClassVar

import ipywidgets as W
import traitlets
from IPython.display import display

from widgets import figure_text, slider_labels
from widgets.figure import FigureWidget
from widgets.figure import PlotlyBundle
from widgets.prediction import Prediction, PredictionSpec
from widgets.style import CONTROL_CELL_PX, EXPLORER_STYLE
from widgets.validation import CourseInputError, check_control_value

#: Default of ``Explorer(prediction=…)``: keep the class's own prediction.
CLASS_PREDICTION = object()

# Every concrete explorer class, by name (filled in by __init_subclass__).
REGISTRY: dict[str, type["Explorer"]] = {}

# Labels take their natural width (wrapping when long, EXPLORER_STYLE); the controls grid sets widths.
CONTROL_STYLE = {"description_width": "initial"}
WIDE_CONTROL = "explorer-control-wide"   # a control that takes a whole row of the grid


class BrowserSafeValue:
    """A numeric control that ignores a missing value from the browser and shows its own again.

    A slider whose track the browser drew with no width sends ``None`` when dragged, and a
    number box may send ``null`` for text that is not a number; ipywidgets would log a
    TraitError and the browser would keep showing a value the kernel does not have."""

    def set_state(self, sync_data):
        if "value" in sync_data and sync_data["value"] is None:
            sync_data = {key: value for key, value in sync_data.items() if key != "value"}
            self.send_state("value")
        if sync_data:
            super().set_state(sync_data)


class FloatSlider(BrowserSafeValue, W.FloatSlider):
    pass


class FloatLogSlider(BrowserSafeValue, W.FloatLogSlider):
    pass


class IntSlider(BrowserSafeValue, W.IntSlider):
    pass


class FloatText(BrowserSafeValue, W.FloatText):
    pass


def labelled_slider(description: str, value: float, low: float, high: float, step: float, **kwargs) -> FloatSlider:
    """A bounded float slider; ``description`` names the quantity and its unit."""
    return FloatSlider(value=value, min=low, max=high, step=step, description=description,
                       continuous_update=False, style=CONTROL_STYLE, **kwargs)


# Text widths in the controls grid, roughly (13 px sans-serif): a label takes at most 15em.
_CHAR_PX, _LABEL_MAX_PX = 7.0, 195


def _fits_a_cell(description: str, labels: Any) -> bool:
    """Whether the longest option label can be read whole in a dropdown in one grid cell."""
    room_px = CONTROL_CELL_PX - min(len(description) * _CHAR_PX * 1.05, _LABEL_MAX_PX) - 40  # 40: gap, arrow
    return max((len(str(label)) for label in labels), default=0) * _CHAR_PX <= room_px


def labelled_dropdown(description: str, options: Any, value: Any = None, wide: bool = False) -> W.Dropdown:
    """A dropdown; it takes a whole row of the controls grid when ``wide`` or when an option's
    label is long, so the chosen option is read in full."""
    kwargs = {} if value is None else {"value": value}
    dropdown = W.Dropdown(options=options, description=description, style=CONTROL_STYLE, **kwargs)
    return dropdown.add_class(WIDE_CONTROL) if wide or not _fits_a_cell(description, dropdown.options) else dropdown


def widget_tree(*roots: W.Widget) -> list[W.Widget]:
    """``roots`` and every widget they hold (children, layouts, styles, …), each once; the
    kernel's shared plotly bundle is left out (every figure uses it)."""
    seen: dict[int, W.Widget] = {}
    stack = list(roots)
    while stack:
        widget = stack.pop()
        if not isinstance(widget, W.Widget) or isinstance(widget, PlotlyBundle) or id(widget) in seen:
            continue
        seen[id(widget)] = widget
        for name in widget.keys:
            value = getattr(widget, name, None)
            stack.extend(value if isinstance(value, (list, tuple)) else [value])
    return list(seen.values())


def _running_cell() -> tuple[str, str] | None:
    """(cell id, request id) of the cell the kernel is running, when the front end names the
    cell (JupyterLab and Notebook 7 do; nbclient and Voilà, which run each cell once, do not)."""
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else None
    except Exception:  # no kernel (plain Python, tests): nothing to close
        return None
    if not parent:
        return None
    cell = (parent.get("metadata") or {}).get("cellId")
    request = (parent.get("header") or {}).get("msg_id")
    return (cell, request) if cell and request else None


# (cell id, explorer class) → (request id, explorers that request built): see Explorer._close_predecessor.
_BUILT_BY_CELL: dict[tuple[str, str], tuple[str, list[weakref.ref]]] = {}


class Explorer:
    """Base class: controls → model → figure (updated in place) + readout."""

    title: ClassVar[str] = ""
    #: Guidance shown above the controls ("Predict, then move …").
    prompt: ClassVar[str] = ""
    #: (control name, new value) pairs that must each change the readout: used by
    #: the generic headless tests, the browser tests and the benchmarks.
    demo_changes: ClassVar[list[tuple[str, Any]]] = []
    #: A (control name, value) pair that the model must reject with a message, if any.
    invalid_change: ClassVar[tuple[str, Any] | None] = None
    #: The recorded prediction the learner makes before the readout is shown, if any
    #: (a :class:`widgets.prediction.PredictionSpec`).
    prediction: ClassVar[PredictionSpec | None] = None
    #: For readers who cannot see the plot: what the figure shows, its key pattern, and what
    #: moving the controls changes, in a sentence or two. The figure's title, axes and series
    #: and the current readout are added to it (:mod:`widgets.figure_text`).
    figure_summary: ClassVar[str] = ""
    #: A key to the figure's marks, shown as text under the figure (it wraps to any width,
    #: where a note drawn inside a plotly figure would be cut off on a narrow screen).
    figure_key: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.title:
            REGISTRY[cls.__name__] = cls

    def __init__(self, *, prediction: PredictionSpec | None | object = CLASS_PREDICTION, prompt: str | None = None,
                 **initial: Any):
        """``initial``: starting control values. ``prediction``: this instance's recorded
        prediction, replacing the class's (``None``: no prediction box). ``prompt``: this
        instance's guidance, replacing the class's (a clinical case asks its own question)."""
        if prompt is not None:
            self.prompt = str(prompt)
        self.controls: dict[str, W.ValueWidget] = self.build_controls()
        for name, value in initial.items():
            if name not in self.controls:
                raise CourseInputError(f"{type(self).__name__} has no control {name!r}; controls: {', '.join(self.controls)}")
            self.controls[name].value = check_control_value(self._label(name), self.controls[name], value)
        if prediction is not CLASS_PREDICTION:
            self.prediction = prediction
        self.prediction_box = Prediction(self, self.prediction) if self.prediction else None
        self.figure: FigureWidget | None = self.build_figure()
        if self.figure is not None and not isinstance(self.figure, FigureWidget):
            raise TypeError(
                f"{type(self).__name__}.build_figure must return widgets.figure.FigureWidget, "
                f"not {type(self.figure).__module__}.{type(self.figure).__name__}"
            )
        self.readout = W.HTML().add_class("explorer-readout")
        self.message = W.HTML().add_class("explorer-message")
        # Takes no room on screen: its text is for screen readers (visually hidden).
        self.figure_description = W.HTML(layout=W.Layout(height="0px", margin="0px", overflow="hidden")).add_class("figure-description")
        self.figure_description_text = ""
        self.figure_caption = W.HTML().add_class("explorer-figure-caption")
        self.readout_text = ""
        self.message_text = ""
        self.figure_current = True
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        heading = f"<h3 style='margin:4px 0'>{html.escape(self.title)}</h3>" if self.title else ""
        parts: list[W.Widget] = [W.HTML(EXPLORER_STYLE + heading).add_class("explorer-title")]
        if self.prompt:
            parts.append(W.HTML(f"<p style='margin:2px 0 6px 0;max-width:60em'>{html.escape(self.prompt)}</p>").add_class("explorer-prompt"))
        if self.prediction_box is not None:
            parts.append(self.prediction_box.widget)
        # The message sits under the controls that caused it, above the figure it says is not updated.
        parts.extend([W.Box(list(self.controls.values())).add_class("explorer-controls"), self.message])
        parts.extend(self.extra_widgets_above())
        if self.figure is not None:
            parts.extend([self.figure_caption, self.figure.add_class("explorer-figure"), self.figure_description])
            if self.figure_key:
                parts.append(W.HTML(f"<p>{html.escape(self.figure_key)}</p>").add_class("explorer-figure-key"))
        parts.append(self.readout)
        parts.extend(self.extra_widgets_below())
        self.widget = W.VBox(parts).add_class("course-explorer")
        # Lets the browser tests map a rendered explorer back to its class and demo changes.
        self.widget.add_class(f"explorer-class-{type(self).__name__}")
        self.refresh()
        self._close_predecessor()

    # ---------------------------------------------------------------- to override
    def build_controls(self) -> dict[str, W.ValueWidget]:
        raise NotImplementedError

    def build_figure(self) -> FigureWidget | None:
        return None

    def update(self, **values: Any) -> str:
        """Call the model, update ``self.figure`` in place, return the readout line."""
        raise NotImplementedError

    def extra_widgets_above(self) -> list[W.Widget]:
        return []

    def extra_widgets_below(self) -> list[W.Widget]:
        return []

    # ---------------------------------------------------------------- machinery
    def values(self) -> dict[str, Any]:
        """The controls' values, each checked against its control (CourseInputError names the control)."""
        return {name: check_control_value(self._label(name), control, control.value) for name, control in self.controls.items()}

    def _label(self, name: str) -> str:
        return self.controls[name].description or name

    def _on_change(self, _change: dict) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the current control values and redraw.

        The figure's edits are held in one batch until the readout and message are set, so the
        browser gets the readout first and then one figure update."""
        with self.figure.batch_update() if self.figure is not None else contextlib.nullcontext():
            try:
                text = self.update(**self.values())
            except CourseInputError as exc:
                self._show_refusal(exc)
                return
            except Exception as exc:  # a bug, but the learner should still get a sentence, not a traceback
                self._show_message(f"Something went wrong in this explorer ({type(exc).__name__}: {exc}). Please report it.")
                self._show_readout("No result.")
                self._mark_figure(current=False)
                return
            self._show_message("")
            self._show_readout(text)
            self._mark_figure(current=True)

    def _show_refusal(self, exc: CourseInputError) -> None:
        text = self._in_learner_terms(str(exc))
        self._show_message(text)
        self._show_readout("No result: " + text)
        self._mark_figure(current=False)

    def _in_learner_terms(self, text: str) -> str:
        """A model names its parameter ("stop_day must be > 0 days"); the learner sees the control's
        label, without its unit or aside ("Stop after (days)" → "Stop after must be > 0 days")."""
        for name in sorted(self.controls, key=len, reverse=True):
            if text.startswith(name + " ") and self._label(name) != name:
                label = re.split(r"\s*[(,]", self._label(name), maxsplit=1)[0].strip()
                return (label or name) + text[len(name):]
        return text

    def _mark_figure(self, current: bool) -> None:
        """Dim the figure with a caption while it shows an earlier setting than the controls."""
        if self.figure is None or current == self.figure_current:
            return
        self.figure_current = current
        if current:
            self.widget.remove_class("explorer-not-updated")
            self.figure_caption.value = ""
        else:
            self.widget.add_class("explorer-not-updated")
            self.figure_caption.value = ("<div class='not-updated-caption' role='note'>Figure not updated: it still shows "
                                         "the last valid setting (see the message above).</div>")

    def _show_readout(self, text: str) -> None:
        # readout_text is the model's line; readout_shown is what the learner sees: masked while a
        # prediction about this setting is pending, then shown with the prediction beside it.
        self.readout_text = text
        shown, beside = (text, "") if self.prediction_box is None else self.prediction_box.readout_parts(text)
        self.readout_shown = shown
        self.readout.value = (
            f"<div role='status' aria-live='polite' style='font-size:1.05em;padding:4px 0'>"
            f"<b>Readout:</b> {html.escape(shown)}</div>{beside}"
        )
        self._describe_figure()

    def _describe_figure(self) -> None:
        """Rewrite the figure's text description with the readout (hidden on screen, read by screen readers)."""
        if self.figure is None:
            return
        masked = self.prediction_box is not None and self.prediction_box.masked
        self.figure_description_text = figure_text.explorer_description(
            self.figure_summary, self.figure, self.readout_shown, masked=masked)
        self.figure_description.value = figure_text.hidden_description_html(self.figure_description_text)

    def _show_message(self, text: str) -> None:
        self.message_text = text
        self.message.value = (
            f"<div role='alert' style='color:#8a2b00;background:#fff3e6;border-left:4px solid #D55E00;"
            f"padding:6px 10px'>⚠ {html.escape(text)}</div>" if text else ""
        )

    def set(self, **values: Any) -> "Explorer":
        """Set controls as a learner would (each change triggers an update).

        A number beyond a slider's range goes to its nearest end, as the slider does; a
        value the control cannot take (NaN, ±inf, None, not an option) is refused with the
        explorer's message, as the model's own refusals are, and the control keeps its value."""
        for name, value in values.items():
            control = self.controls[name]
            try:
                control.value = check_control_value(self._label(name), control, value, clamp=True)
            except (CourseInputError, traitlets.TraitError) as exc:
                self._show_refusal(exc if isinstance(exc, CourseInputError) else CourseInputError(
                    f"{self._label(name)} cannot be set to {value!r}"))
                return self
        return self

    # ---------------------------------------------------------------- lifetime
    def close(self) -> None:
        """Close every widget of this explorer: its views leave the page and the kernel frees them."""
        for widget in widget_tree(self.widget, *self.controls.values(), *([self.figure] if self.figure is not None else [])):
            widget.close()

    def _close_predecessor(self) -> None:
        """Close the explorers of this class that an earlier run of the running cell built.

        Explorers built by the same run are kept (a cell may show several), and without a cell
        id (nbclient, Voilà, plain Python) nothing is closed."""
        running = _running_cell()
        if running is None:
            return
        cell, request = running
        key = (cell, type(self).__name__)
        built_by, explorers = _BUILT_BY_CELL.get(key, (None, []))
        if built_by != request:
            for ref in explorers:
                old = ref()
                if old is not None and old is not self:
                    old.close()
            explorers = []
        _BUILT_BY_CELL[key] = (request, [*explorers, weakref.ref(self)])

    def sync_figure_state(self) -> None:
        """Copy the figure's current state into the traits its browser view starts from.

        plotly does this itself only when a FigureWidget is displayed on its own;
        inside our VBox it never happens, so without this the browser would show
        the figure as first constructed and lose every change made before display
        (including the first update)."""
        if self.figure is not None:
            self.figure._widget_layout = copy.deepcopy(self.figure._layout_obj._props)
            self.figure._widget_data = copy.deepcopy(self.figure._data)

    def _ipython_display_(self) -> None:
        self.sync_figure_state()
        slider_labels.ensure_slider_labels()  # screen readers hear each slider's name (ipywidgets 8.1.9 defect)
        display(self.widget)
