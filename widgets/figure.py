"""The course's one plotly figure widget: plotly's FigureWidget, loaded once per page.

plotly's own ``FigureWidget`` is an anywidget whose browser code is plotly's whole
widget bundle (about 5 MB of JavaScript): every figure sends its own copy to the
browser, and the browser evaluates every copy. anywidget gives each model 2 s to load
its code and initialise; a model that misses this is rejected, and every later update
from the kernel is dropped, so the plot freezes while its controls and readout keep
working. In Voilà all of a page's figures start together, and on a page with several
explorers one of them regularly missed the 2 s.

:class:`FigureWidget` behaves exactly like plotly's, but

* plotly's bundle travels once per kernel, in one :class:`PlotlyBundle` model that
  every figure refers to, instead of once per figure;
* each figure's browser module is a small loader: the first figure on a page evaluates
  the bundle and every other figure reuses that evaluation.

Nothing is fetched from a server or the network, so this works the same in JupyterLab,
Voilà and Binder, offline.
"""

from __future__ import annotations

import functools
from pathlib import Path

import ipywidgets
import plotly
import plotly.graph_objects as go
import traitlets

PLOTLY_WIDGET_BUNDLE = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"

# The key includes plotly's version so that one page never mixes two bundles.
SHARED_BUNDLE_LOADER_ESM = """
const KEY = Symbol.for("ketamine-course:plotly-widget-bundle@%(version)s");
const REF = "IPY_MODEL_";

function plotlyWidgetBundle(model) {
  globalThis[KEY] ??= (async () => {
    const ref = model.get("_plotly_bundle");
    const carrier = await model.widget_manager.get_model(ref.slice(REF.length));
    const url = URL.createObjectURL(new Blob([carrier.get("source")], { type: "text/javascript" }));
    try {
      return await import(/* webpackIgnore: true */ url);
    } finally {
      URL.revokeObjectURL(url);
    }
  })();
  return globalThis[KEY];
}

export default () => {
  let figure;  // plotly's own per-figure widget definition
  return {
    async initialize(context) {
      const bundle = await plotlyWidgetBundle(context.model);
      figure = bundle.default();
      return figure.initialize(context);
    },
    render(context) {
      return figure.render(context);
    },
  };
};
""" % {"version": plotly.__version__}


@functools.cache
def plotly_widget_bundle() -> str:
    """plotly's browser bundle for FigureWidget, read once per kernel."""
    return PLOTLY_WIDGET_BUNDLE.read_text(encoding="utf-8")


class PlotlyBundle(ipywidgets.Widget):
    """A model with no view that carries plotly's browser bundle, once per kernel."""

    source = traitlets.Unicode().tag(sync=True)


_shared_bundle: PlotlyBundle | None = None


def shared_plotly_bundle() -> PlotlyBundle:
    """The kernel's one open :class:`PlotlyBundle` (a new one if it was closed)."""
    global _shared_bundle
    if _shared_bundle is None or _shared_bundle.comm is None:
        _shared_bundle = PlotlyBundle(source=plotly_widget_bundle())
    return _shared_bundle


class FigureWidget(go.FigureWidget):
    """plotly's FigureWidget, its browser code sent once per kernel and evaluated once per page."""

    _esm = SHARED_BUNDLE_LOADER_ESM
    _plotly_bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **ipywidgets.widget_serialization)

    @traitlets.default("_plotly_bundle")
    def _default_plotly_bundle(self) -> PlotlyBundle:
        return shared_plotly_bundle()
