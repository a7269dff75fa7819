"""Accessible names for ipywidgets' sliders: a workaround for a defect of ipywidgets 8.1.9.

ipywidgets draws a slider as its description, a ``<label>``, beside a noUiSlider handle,
a ``<div role="slider">``. A ``<label>`` names only form controls, and the handle is a div,
so a screen reader announces the handle without its name ("slider, 0.5") and axe-core
reports ``aria-input-field-name`` (serious) on every slider. (ipywidgets' text boxes,
dropdowns and checkboxes are named: their labels point at them with ``for``.)

:func:`ensure_slider_labels` creates, once per kernel, one widget that has no view: when its
model starts in the browser (JupyterLab or Voilà; the course book has no live widgets) it
watches the page and points each unnamed slider handle's ``aria-labelledby`` at that
slider's own label, so the name follows the description. tests/browser checks the names
(and axe-core's audit of every page); drop this module once ipywidgets names its handles.
"""

from __future__ import annotations

import anywidget

SLIDER_LABELS_ESM = """
const KEY = Symbol.for("ketamine-course:slider-labels");
let counter = 0;

function nameSliders(root) {
  for (const handle of root.querySelectorAll('.widget-slider .noUi-handle[role="slider"]:not([aria-labelledby])')) {
    const label = handle.closest('.widget-slider')?.querySelector(':scope > .widget-label');
    if (!label || !label.textContent.trim()) continue;
    label.id ||= `course-slider-label-${++counter}`;
    handle.setAttribute('aria-labelledby', label.id);
  }
}

export default {
  initialize() {
    if (globalThis[KEY]) return;  // one watcher per page, however many kernels or notebooks
    let pending = null;
    globalThis[KEY] = new MutationObserver(() => {
      pending ??= setTimeout(() => { pending = null; nameSliders(document.body); }, 50);
    });
    globalThis[KEY].observe(document.body, { childList: true, subtree: true });
    nameSliders(document.body);
  },
};
"""


class SliderLabels(anywidget.AnyWidget):
    """A model with no view that names every ipywidgets slider on the page (see the module)."""

    _esm = SLIDER_LABELS_ESM


_slider_labels: SliderLabels | None = None


def ensure_slider_labels() -> SliderLabels:
    """The kernel's one open :class:`SliderLabels` (a new one if it was closed)."""
    global _slider_labels
    if _slider_labels is None or _slider_labels.comm is None:
        _slider_labels = SliderLabels()
    return _slider_labels
