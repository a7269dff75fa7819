"""Claim checker (notebook 11): grade the source texts' claims, then compare with the course.

Filters (source text, topic) → the list of graded claims and a stacked bar of
verdicts per source text (updated in place). For the claim on screen the learner
first picks a verdict, with the grading rubric shown under the buttons; only then
is the "Reveal" button enabled, which shows the course's verdict with its rubric
definition, the evidence badges and the reason, and updates a running tally of
agreement. ``verdict_rubric_table()`` renders the same rubric for notebook 11.
"""

from __future__ import annotations

import html

import ipywidgets as W
import plotly.graph_objects as go

from widgets import progress
from widgets.evidence import badge_html
from widgets.explorer import CONTROL_STYLE, Explorer, labelled_dropdown
from widgets.figure import FigureWidget
from widgets.models import claims as model
from widgets.style import OKABE_ITO, base_layout

#: Colour and fill pattern per verdict (pattern too, so colour is never the only cue).
VERDICT_STYLE = {
    "supported": (OKABE_ITO["bluish_green"], ""),
    "partly supported": (OKABE_ITO["orange"], "/"),
    "unsupported": ("#8c8c8c", "."),
    "contradicted": (OKABE_ITO["vermillion"], "x"),
}
TOPIC_LABELS = {t: t.replace("-", " ") for t in ("what-it-is", "clinical-use", "source-quality")}


def _topic_label(topic: str) -> str:
    return "all topics" if topic == model.ALL else TOPIC_LABELS.get(topic, topic)


def _swatch(verdict: str) -> str:
    """A small square in the verdict's bar colour (the text itself stays dark, for contrast)."""
    return (f"<span aria-hidden='true' style='display:inline-block;width:0.8em;height:0.8em;margin-right:0.3em;"
            f"background:{VERDICT_STYLE[verdict][0]};border:1px solid #333;vertical-align:-0.05em'></span>")


def rubric_html(heading: str = "How to grade") -> str:
    """The four verdict definitions (from the claims schema) as a small HTML list."""
    items = "".join(f"<li>{_swatch(v)}<b>{html.escape(v)}</b>: {html.escape(meaning)}</li>"
                    for v, meaning in model.verdict_rubric().items())
    return (f"<div class='verdict-rubric' style='max-width:60em;margin:2px 0 4px 0;font-size:0.92em'>"
            f"<b>{html.escape(heading)}.</b> {html.escape(model.rubric_guidance())}"
            f"<ul style='margin:2px 0 0 0;padding-left:1.4em'>{items}</ul></div>")


def verdict_rubric_table() -> W.HTML:
    """The grading rubric as a widget, for notebook 11 (the same text the claim checker shows)."""
    return W.HTML(rubric_html("The rubric"))


class ClaimCheckerExplorer(Explorer):
    title = "Claim checker: the source texts graded"
    figure_summary = (
        "Stacked horizontal bars, one per source text, counting its graded claims by the course's verdict: supported, "
        "partly supported, unsupported, contradicted. Choosing a source text or a topic changes which claims are "
        "counted."
    )
    prompt = ("Choose a source text and a topic, read the claim, and decide how well the evidence supports it. "
              "Pick your verdict first; then press Reveal to see the course's verdict, its sources and why. "
              "The bars summarise every graded claim of each text for the chosen topic.")
    demo_changes = [("seed", "004_453cddbf4f9d5479.txt"), ("topic", "mechanism"), ("seed", model.ALL)]

    # ------------------------------------------------------------------ building
    def build_controls(self):
        self.claims = model.load_claims()
        self.tally = model.Tally()
        self.current_claim: dict | None = None
        self.result_text = ""
        self._syncing = False
        seeds = [("All source texts", model.ALL)] + [(model.seed_label(s), s) for s in model.seed_files()]
        topic_options = [("All topics", model.ALL)] + [(_topic_label(t), t) for t in model.topics()]
        self._build_claim_card()
        return {
            "seed": labelled_dropdown("Source text", seeds, model.ALL),
            "topic": labelled_dropdown("Topic", topic_options, model.ALL),
        }

    def _build_claim_card(self) -> None:
        self.claim_picker = W.Dropdown(description="Claim", options=[], style=CONTROL_STYLE,
                                       layout=W.Layout(width="95%", max_width="60em"))
        self.claim_picker.observe(self._on_claim_picked, names="value")
        self.claim_html = W.HTML().add_class("claim-card")
        self.verdict_picker = W.ToggleButtons(
            options=[(v, v) for v in model.VERDICTS], value=None, description="Your verdict",
            style={**CONTROL_STYLE, "button_width": "11.5em"},
            tooltips=[model.verdict_rubric()[v] for v in model.VERDICTS],
        )
        self.verdict_picker.observe(self._on_verdict_picked, names="value")
        self.rubric_html = W.HTML(rubric_html()).add_class("claim-rubric")
        self.reveal_button = W.Button(description="Reveal", button_style="primary", disabled=True,
                                      tooltip="Pick your verdict first, then reveal the course's verdict")
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.next_button = W.Button(description="Next claim", tooltip="Go to the next claim in the list")
        self.next_button.on_click(lambda _b: self.next_claim())
        self.result_html = W.HTML().add_class("claim-result")
        self.tally_html = W.HTML().add_class("claim-tally")
        self._show_tally()

    def extra_widgets_above(self):
        return [self.claim_picker, self.claim_html, self.verdict_picker, self.rubric_html,
                W.HBox([self.reveal_button, self.next_button]), self.result_html, self.tally_html]

    def _figure_state(self, seed: str, topic: str) -> tuple[list[dict], str]:
        """Per-verdict bar values (x, text, opacity) and the title for the current filters."""
        counts = model.verdict_counts(model.filter_claims(self.claims, model.ALL, topic))
        opacity = [1.0 if seed in (model.ALL, s) else 0.3 for s in model.seed_files()]
        traces = []
        for verdict in model.VERDICTS:
            values = [int(v) for v in counts[verdict]]
            traces.append(dict(x=values, text=[str(v) if v else "" for v in values], opacity=opacity))
        title = f"Verdicts per source text ({_topic_label(topic)}: {int(counts.values.sum())} claims)"
        return traces, title

    def build_figure(self):
        # The initial state is drawn from the model here, not only in update(): changes made to a
        # FigureWidget before it is first displayed do not reach the browser.
        state, title = self._figure_state(self.controls["seed"].value, self.controls["topic"].value)
        labels = [model.seed_label(s) for s in model.seed_files()]
        traces = []
        for verdict, values in zip(model.VERDICTS, state):
            colour, pattern = VERDICT_STYLE[verdict]
            traces.append(go.Bar(
                name=verdict, y=labels, x=values["x"], orientation="h", text=values["text"],
                marker=dict(color=colour, opacity=values["opacity"], pattern=dict(shape=pattern, fgcolor="#333"),
                            line=dict(color="#333", width=1)),
                textposition="inside", insidetextanchor="middle",
                hovertemplate="%{y}<br>" + verdict + ": %{x} claims<extra></extra>",
            ))
        layout = base_layout(title, "Claims graded (count)", "",
                             barmode="stack", height=350, margin=dict(l=330, r=30, t=60, b=120),
                             legend=dict(orientation="h", y=-0.28, yanchor="top", x=0, traceorder="normal",
                                         title=dict(text="Course verdict: ")))
        layout["yaxis"]["autorange"] = "reversed"
        layout["xaxis"]["rangemode"] = "tozero"
        return FigureWidget(data=traces, layout=layout)

    # ------------------------------------------------------------------ updating
    def update(self, seed, topic):
        shown = model.filter_claims(self.claims, seed, topic)
        state, title = self._figure_state(seed, topic)
        with self.figure.batch_update():
            for trace, values in zip(self.figure.data, state):
                trace.x = values["x"]
                trace.text = values["text"]
                trace.marker.opacity = values["opacity"]
            self.figure.layout.title.text = title
        self._set_claim_list(shown)
        where = "all source texts" if seed == model.ALL else model.seed_label(seed)
        if shown.empty:
            return f"No graded claims from {where} on {_topic_label(topic)}."
        tally = ", ".join(f"{int((shown['verdict'] == v).sum())} {v}" for v in model.VERDICTS)
        noun = "claim" if len(shown) == 1 else "claims"
        return f"{len(shown)} {noun} from {where} on {_topic_label(topic)}: {tally}."

    def _set_claim_list(self, shown) -> None:
        self._syncing = True
        try:
            self.claim_picker.options = [
                (f"{i + 1}. {row.claim[:90]}{'…' if len(row.claim) > 90 else ''}", row.id)
                for i, row in enumerate(shown.itertuples())
            ]
            self.claim_picker.value = shown["id"].iloc[0] if len(shown) else None
        finally:
            self._syncing = False
        self._show_claim(self.claim_picker.value)

    def _on_claim_picked(self, change) -> None:
        if not self._syncing:
            self._show_claim(change["new"])

    def _show_claim(self, claim_id: str | None) -> None:
        self.current_claim = model.claim_by_id(self.claims, claim_id) if claim_id else None
        self.verdict_picker.value = None
        self.verdict_picker.disabled = self.current_claim is None
        self.reveal_button.disabled = True
        self.next_button.disabled = len(self.claim_picker.options) < 2
        self.result_html.value = ""
        self.result_text = ""
        if self.current_claim is None:
            self.claim_html.value = "<p><i>No claim matches these filters. Choose another source text or topic.</i></p>"
            return
        c = self.current_claim
        quote = (f"<blockquote style='margin:4px 0 4px 1em;color:#444;font-style:italic'>“{html.escape(c['quote'])}”</blockquote>"
                 if c.get("quote") else "")
        self.claim_html.value = (
            f"<div style='border-left:4px solid #0072B2;padding:4px 10px;margin:6px 0;max-width:60em'>"
            f"<div style='font-size:0.9em;color:#555'>{html.escape(model.seed_label(c['seed_file']))} · "
            f"topic: {html.escape(_topic_label(c['topic']))}</div>"
            f"{quote}<div><b>Claim:</b> {html.escape(c['claim'])}</div></div>"
        )

    def _on_verdict_picked(self, change) -> None:
        self.reveal_button.disabled = change["new"] is None or self.current_claim is None or bool(self.result_text)

    # ------------------------------------------------------------------ actions
    def reveal(self) -> str:
        """Show the course's verdict for the claim on screen (needs the learner's verdict first)."""
        if self.current_claim is None or self.verdict_picker.value is None:
            self._show_message("Pick your verdict first, then press Reveal.")
            return ""
        c = self.current_claim
        mine = self.verdict_picker.value
        agree = self.tally.record(c["id"], mine, c["verdict"])
        steps = model.verdict_distance(mine, c["verdict"])
        if agree:
            judgement = "You agree with the course."
        elif steps == 1:
            judgement = "One step away from the course's verdict."
        else:
            judgement = f"{steps} steps away from the course's verdict."
        meaning = model.verdict_rubric()[c["verdict"]]
        badges = " ".join(badge_html(s) for s in c["evidence"])
        self.result_text = (f"Your verdict: {mine}. Course verdict: {c['verdict']} ({meaning}). {judgement} "
                            f"Why: {c['explanation']}")
        self.result_html.value = (
            f"<div role='status' aria-live='polite' style='border:1px solid #ccc;padding:6px 10px;margin:4px 0;max-width:60em'>"
            f"<div>Your verdict: <b>{html.escape(mine)}</b>. Course verdict: "
            f"{_swatch(c['verdict'])}<b>{html.escape(c['verdict'])}</b> ({html.escape(meaning)}). "
            f"{html.escape(judgement)}</div>"
            f"<div style='margin-top:4px'><b>Why:</b> {html.escape(c['explanation'])}</div>"
            f"<div style='margin-top:4px'><b>Evidence:</b> {badges}</div>"
            f"<div style='margin-top:4px;font-size:0.9em;color:#555'>Taught in "
            f"{html.escape(model.notebook_label(c['notebook']))}.</div></div>"
        )
        self.verdict_picker.disabled = True
        self.reveal_button.disabled = True
        self._show_message("")
        self._show_tally()
        self._show_readout(f"You said {mine}; the course says {c['verdict']}. {judgement} {self.tally.summary()}")
        progress.store().record_prediction("11_reading_sources", f"claim-{c['id']}", f"Verdict on: {c['claim']}",
                                           mine, c["verdict"], judgement, right=agree)  # the learner's verdict, kept
        return self.result_text

    def next_claim(self) -> None:
        options = [value for _label, value in self.claim_picker.options]
        if not options:
            return
        index = options.index(self.claim_picker.value) if self.claim_picker.value in options else -1
        self.claim_picker.value = options[(index + 1) % len(options)]

    def _show_tally(self) -> None:
        self.tally_html.value = (f"<div role='status' aria-live='polite' style='margin:4px 0'><b>Your tally:</b> "
                                 f"{html.escape(self.tally.summary())}</div>")
