"""The course's one plotly figure widget: plotly's FigureWidget, loaded once per page,
fitted to its container and quiet on the wire.

plotly's own ``FigureWidget`` is an anywidget whose browser code is plotly's whole
widget bundle (about 5 MB of JavaScript): every figure sends its own copy to the
browser, and the browser evaluates every copy. anywidget gives each model 2 s to load
its code and initialise; a model that misses this is rejected, and every later update
from the kernel is dropped, so the plot freezes while its controls and readout keep
working. In Voilà all of a page's figures start together, and on a page with several
explorers one of them regularly missed the 2 s.

:class:`FigureWidget` behaves like plotly's, but

* plotly's bundle travels once per kernel, as one binary buffer of one
  :class:`PlotlyBundle` model that every figure refers to (bytes, not a JSON string:
  about 20 MB less kernel memory at its peak), instead of once per figure;
* each figure's browser module is a small loader: the first figure on a page evaluates
  the bundle and every other figure reuses that evaluation. The loader's ``initialize``
  returns at once, so evaluating plotly's bundle no longer counts against anywidget's
  2 s (only loading this small loader does; a page kept busy for over 2 s by other work
  can still miss them), keeps the kernel's messages until plotly is ready and then
  applies them in order (those sent before the whole figure was sent again are dropped:
  it holds them already);
* the figure follows its container's width (one ``ResizeObserver`` per figure, see
  below): layouts give a height and no width, and a figure is first drawn once its
  element has a width, so it is drawn once at the right size;
* an update costs one message each way at most. plotly 7.1.0's view answers every
  update with the full difference between plotly's computed defaults and the figure
  (tens of kB per update, which the kernel then echoed back) and a layout difference
  under a name the kernel does not know (each answered by a ValueError traceback in
  the kernel log); the edit counters were synced after every update; and every hover
  or click went to the kernel. The course never reads computed defaults or point
  events, so :func:`adapt_plotly_view` turns these off (point events come back on with
  ``point_events=True``).

Nothing is fetched from a server or the network, so this works the same in JupyterLab,
Voilà and Binder, offline. ``tests/browser/test_geometry.py`` and the browser
benchmark check the adaptation against the installed plotly.
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

// plotly.py %(version)s's FigureView, adapted once per page for the course (widgets/figure.py):
// no computed-default or layout deltas sent back after each update, point events only when
// asked for, and drawn at, then kept at, its container's width.
function adaptPlotlyView(bundle) {
  const view = bundle.FigureView.prototype;
  const draw = view.perform_render, remove = view.remove, sendPoints = view._send_points_callback_message;
  view._sendTraceDeltas = function () {};
  view._sendLayoutDelta = function () {};
  view._send_points_callback_message = function (...args) {
    if (this.model.get("_point_events")) return sendPoints.apply(this, args);
  };
  view.perform_render = function () {
    let drawnWidth = 0;
    this.sizeObserver = new ResizeObserver(() => {
      const width = this.el.clientWidth;
      if (width === 0) return;  // hidden (a collapsed output, a background tab): nothing to fit
      if (!drawnWidth) {
        drawnWidth = width;
        draw.call(this);  // plotly sizes a new plot to its element's width
      } else if (Math.abs(width - drawnWidth) > 1) {
        drawnWidth = width;
        this.autosizeFigure();
      }
    });
    this.sizeObserver.observe(this.el);
  };
  view.remove = function () {
    if (this.sizeObserver) this.sizeObserver.disconnect();
    return remove.call(this);
  };
  return bundle;
}

function plotlyWidgetBundle(model) {
  globalThis[KEY] ??= (async () => {
    const ref = model.get("_plotly_bundle");
    const carrier = await model.widget_manager.get_model(ref.slice(REF.length));
    const url = URL.createObjectURL(new Blob([carrier.get("source")], { type: "text/javascript" }));
    try {
      return adaptPlotlyView(await import(/* webpackIgnore: true */ url));
    } finally {
      URL.revokeObjectURL(url);
    }
  })();
  return globalThis[KEY];
}

// The kernel's messages to a figure (plotly.py's _py2js_* traits).
const MESSAGES = ["addTraces", "deleteTraces", "moveTraces", "restyle", "relayout", "update", "animate",
                  "removeLayoutProps", "removeTraceProps"];

// Apply messages that arrived before plotly was ready, in order, as plotly's FigureModel would have,
// except that a trace a batch update leaves alone ("_undefined_") keeps its value instead of losing it.
function replay(bundle, model, early) {
  const figureModel = bundle.FigureModel.prototype;
  const keep = (data) => data && Object.fromEntries(Object.entries(data).map(([key, values]) =>
    [key, Array.isArray(values) ? values.map((v) => (v === "_undefined_" ? undefined : v)) : values]));
  for (const [name, value] of early) {
    const message = { ...value, restyle_data: keep(value.restyle_data), style_data: keep(value.style_data) };
    const shim = {
      model: { get: (key) => (key === "_py2js_" + name ? message : model.get(key)) },
      _normalize_trace_indexes: figureModel._normalize_trace_indexes,
    };
    figureModel["do_" + name].call(shim);
  }
}

export default () => {
  let figure;  // plotly's own per-figure widget definition
  let ready;
  return {
    // anywidget gives initialize 2 s, and a model that misses it never hears from the kernel again.
    // Evaluating plotly's bundle can take longer on a slow machine, so initialize returns at once,
    // keeps the kernel's messages until plotly is ready, and applies them then; render waits.
    initialize(context) {
      let early = [];
      const keepers = {}, model = context.model;
      // The whole figure sent again (Explorer.sync_figure_state) already holds every earlier message.
      const superseded = () => { early = []; };
      for (const name of MESSAGES) {
        keepers[name] = () => {
          const value = model.get("_py2js_" + name);
          if (value !== null && value !== undefined) early.push([name, value]);
        };
        model.on("change:_py2js_" + name, keepers[name]);
      }
      for (const trait of ["_widget_data", "_widget_layout"]) model.on("change:" + trait, superseded);
      ready = plotlyWidgetBundle(model).then((bundle) => {
        for (const name of MESSAGES) model.off("change:_py2js_" + name, keepers[name]);
        for (const trait of ["_widget_data", "_widget_layout"]) model.off("change:" + trait, superseded);
        figure = bundle.default();
        figure.initialize(context);
        replay(bundle, model, early);
      });
    },
    async render(context) {
      await ready;
      return figure.render(context);
    },
  };
};
""" % {"version": plotly.__version__}


@functools.cache
def plotly_widget_bundle() -> bytes:
    """plotly's browser bundle for FigureWidget (UTF-8 bytes), read once per kernel."""
    return PLOTLY_WIDGET_BUNDLE.read_bytes()


class PlotlyBundle(ipywidgets.Widget):
    """A model with no view that carries plotly's browser bundle, once per kernel."""

    source = traitlets.Bytes().tag(sync=True)


_shared_bundle: PlotlyBundle | None = None


def shared_plotly_bundle() -> PlotlyBundle:
    """The kernel's one open :class:`PlotlyBundle` (a new one if it was closed)."""
    global _shared_bundle
    if _shared_bundle is None or _shared_bundle.comm is None:
        _shared_bundle = PlotlyBundle(source=plotly_widget_bundle())
    return _shared_bundle


class FigureWidget(go.FigureWidget):
    """plotly's FigureWidget, its browser code sent once per kernel and evaluated once per page,
    as wide as its container, and answering an update with nothing (see the module docstring).

    ``point_events=True`` sends hover, click and selection events to the kernel, for
    ``trace.on_click`` and the like (off by default: every hover would be a message)."""

    _esm = SHARED_BUNDLE_LOADER_ESM
    _plotly_bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **ipywidgets.widget_serialization)
    _point_events = traitlets.Bool(False).tag(sync=True)
    # Kernel-side only: plotly syncs them after every update for the deltas the view no longer sends.
    _last_layout_edit_id = traitlets.Integer(0)
    _last_trace_edit_id = traitlets.Integer(0)

    def __init__(self, *args, point_events: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if point_events:
            self._point_events = True

    @traitlets.default("_plotly_bundle")
    def _default_plotly_bundle(self) -> PlotlyBundle:
        return shared_plotly_bundle()
