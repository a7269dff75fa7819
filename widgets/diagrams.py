"""Diagrams drawn for the course: SVG figures with alt text and a caption.

``diagram("nmda-channel")`` returns a :class:`Diagram`. Displayed in a notebook it is
an HTML ``<figure>`` with the SVG inlined (so it renders in JupyterLab, Voilà and the
static course book, offline) and a ``<figcaption>``; its plain-text form is the title
and description, for anything that cannot show HTML.

Every SVG has real ``<text>`` labels (no text as image, no ``<image>``, no external
fonts or files), a ``<title>`` and a ``<desc>`` (the alt text) referenced by
``aria-labelledby`` on ``role="img"``, a 960-unit-wide viewBox (so a font size in
the file is its size in pixels at 960 px wide) and only Okabe–Ito colours, their
light tints and greys (:data:`ALLOWED_COLOURS`). Most are hand-written files in
``widgets/diagram_svg/``; the isobologram is drawn from the course's Hong 1993 data
by :mod:`widgets.diagram_isobologram`, so its numbers cannot drift from the model's.
"""

from __future__ import annotations

import html
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from widgets.evidence import short_citation
from widgets.style import OKABE_ITO
from widgets.validation import CourseInputError

SVG_DIR = Path(__file__).with_name("diagram_svg")
SVG_NS = "http://www.w3.org/2000/svg"
VIEWBOX_WIDTH = 960  # user units; the figure is shown at most this many px wide
ET.register_namespace("", SVG_NS)


def tint(colour: str, fraction: float) -> str:
    """``colour`` mixed with white: ``fraction`` of the colour (0.15 or 0.3 in the diagrams)."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - v) * fraction):02X}" for v in rgb)


TINT_FRACTIONS = (0.15, 0.3)
NEUTRALS = ("#FFFFFF", "#222222", "#444444", "#777777", "#BBBBBB", "#E6E6E6", "#F4F4F4")
#: Every fill or stroke a diagram may use: Okabe–Ito, their tints, and greys.
ALLOWED_COLOURS = frozenset(
    [c.upper() for c in OKABE_ITO.values()]
    + [tint(c, f) for c in OKABE_ITO.values() for f in TINT_FRACTIONS]
    + list(NEUTRALS)
)
#: Label colours: dark greys (contrast with white ≥ 9:1; labels sit on white or light tints).
TEXT_COLOURS = frozenset(["#222222", "#444444"])


@dataclass(frozen=True)
class DiagramSpec:
    """One diagram: where its SVG comes from, the notebook that shows it, and its caption.

    ``caption`` may cite sources as ``[[source-id]]``; they are shown as short citations."""

    name: str
    notebook: str
    caption: str
    file: str | None = None
    build: Callable[[], str] | None = None

    def svg_text(self) -> str:
        if self.build is not None:
            return self.build()
        return (SVG_DIR / self.file).read_text(encoding="utf-8")


def _isobologram() -> str:
    from widgets.diagram_isobologram import isobologram_svg  # imports the interaction model only when drawn

    return isobologram_svg()


CATALOGUE: dict[str, DiagramSpec] = {
    spec.name: spec
    for spec in [
        DiagramSpec(
            "nmda-channel", "02_nmda_receptor", file="nmda_channel.svg",
            caption="The NMDA receptor conducts only with glutamate and a co-agonist bound <i>and</i> the membrane "
                    "depolarised enough to expel Mg²⁺ from the pore (subunit sites: [[nmdar-subunits-review]], "
                    "[[nmdar-coagonist-review]]; Mg²⁺ block: [[johnson2015]]).",
        ),
        DiagramSpec(
            "nmda-trapping", "02_nmda_receptor", file="nmda_trapping.svg",
            caption="Ketamine reaches its site inside the pore only while the channel is open, and stays trapped when "
                    "the channel closes, so the block outlasts the opening; memantine is only partly trapped "
                    "([[brainsci2020]]).",
        ),
        DiagramSpec(
            "disinhibition", "02_nmda_receptor", file="disinhibition.svg",
            caption="Two of the competing hypotheses for ketamine's antidepressant effect, drawn as chains of steps. "
                    "Most of the evidence is from rodents ([[homayoun2007]], [[moghaddam1997]], [[maeng2008]], "
                    "[[autry2011]], [[li2010]]; TrkB: [[yang2019-review]]); in people, two small MRS studies of "
                    "prefrontal glutamate disagree. None is settled.",
        ),
        DiagramSpec(
            "gaba-a-receptor", "05_benzodiazepines", file="gaba_a_receptor.svg",
            caption="The GABA-A receptor seen from outside the cell, and what a benzodiazepine changes "
                    "([[gabaa-subunits-2012]]; arrangement: [[gabaa-arrangement-review]]; opening frequency: "
                    "[[bzd-frequency-2010]]). The channel traces are a schematic, not recordings.",
        ),
        DiagramSpec(
            "serotonin-synapse", "08_ketamine_ssris", file="serotonin_synapse.svg",
            caption="SSRIs block most serotonin transporters at therapeutic doses; ketamine binds the transporter only "
                    "weakly and human PET finds little or no occupancy at clinical doses ([[nishimura1998]]; "
                    "[[spies2018]]; [[schlosser2025]]).",
        ),
        DiagramSpec(
            "three-compartment-model", "04_pharmacokinetics", file="three_compartment.svg",
            caption="The structure shared by the course's three-compartment models (e.g. [[domino-ketamine-pk]]). "
                    "The effect site has a negligible volume: it follows plasma with rate ke0 but holds no drug "
                    "of its own.",
        ),
        DiagramSpec(
            "isobologram", "06_ketamine_benzodiazepines", build=_isobologram,
            caption="An isobologram for hypnosis drawn from the ED50s of [[hong1993]], with the interaction index computed "
                    "from them. The combination lies slightly above the line of additivity, well within the "
                    "uncertainty of the single-drug ED50s.",
        ),
    ]
}


def names() -> list[str]:
    """The names of every diagram, in catalogue order."""
    return list(CATALOGUE)


def spec(name: str) -> DiagramSpec:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise CourseInputError(f"no diagram called {name!r}; the diagrams are: {', '.join(CATALOGUE)}") from None


@lru_cache(maxsize=None)
def svg_source(name: str) -> str:
    """The diagram's SVG document as stored or generated (ids not yet made unique)."""
    return spec(name).svg_text()


_CITATION = re.compile(r"\[\[([^\]]+)\]\]")


def caption_html(name: str) -> str:
    """The caption with each ``[[source-id]]`` replaced by its short citation."""
    return _CITATION.sub(lambda m: html.escape(short_citation(m.group(1))), spec(name).caption)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _with_unique_ids(svg_text: str, prefix: str) -> ET.Element:
    """Parse the SVG and prefix every id (and every reference to one).

    Several diagrams, or the same one twice, may share a page (JupyterLab shows all
    open notebooks in one document); ``aria-labelledby`` and ``url(#…)`` must point
    into their own figure."""
    root = ET.fromstring(svg_text)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    def fix(value: str) -> str:
        value = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) in ids else m.group(0), value)
        return f"#{prefix}{value[1:]}" if value.startswith("#") and value[1:] in ids else value
    for el in root.iter():
        for key, value in list(el.attrib.items()):
            if key == "id":
                el.set(key, prefix + value)
            elif key == "aria-labelledby":
                el.set(key, " ".join(prefix + token if token in ids else token for token in value.split()))
            else:
                el.set(key, fix(value))
    return root


class Diagram:
    """A course diagram, displayed as an HTML figure with its SVG inline."""

    def __init__(self, name: str):
        self.name = name
        self.spec = spec(name)
        self.svg_text = svg_source(name)
        root = ET.fromstring(self.svg_text)
        self.title = "".join(root.find(f"{{{SVG_NS}}}title").itertext()).strip()
        self.description = " ".join("".join(root.find(f"{{{SVG_NS}}}desc").itertext()).split())
        self.caption = caption_html(name)

    def html(self) -> str:
        root = _with_unique_ids(self.svg_text, f"d{secrets.token_hex(4)}-")
        root.set("class", "course-diagram-svg")
        root.set("style", f"display:block;width:100%;height:auto;max-width:{VIEWBOX_WIDTH}px;background:#FFFFFF")
        svg = ET.tostring(root, encoding="unicode")
        return (
            f"<figure class='course-diagram' data-diagram='{html.escape(self.name)}' "
            f"style='margin:12px 0;max-width:{VIEWBOX_WIDTH}px'>{svg}"
            f"<figcaption style='margin-top:6px;font-size:15px;line-height:1.45'>{self.caption}</figcaption></figure>"
        )

    def text(self) -> str:
        return f"Diagram: {self.title}. {self.description}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "text/plain": self.text()}

    def __repr__(self) -> str:
        return f"Diagram({self.name!r})"


def diagram(name: str) -> Diagram:
    """The course diagram called ``name`` (see :func:`names`), ready to display."""
    return Diagram(name)
