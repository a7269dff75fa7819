"""The course diagrams: accessible, self-contained SVG, legible, used, and true to the course data."""

from __future__ import annotations

import math
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from widgets import diagrams
from widgets.diagrams import ALLOWED_COLOURS, SVG_NS, TEXT_COLOURS, diagram, names, svg_source
from widgets.validation import CourseInputError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
# The issue asks for 14 px at 960 px wide; 15 keeps every label at 14 px or more down to 896 px
# (JupyterLab at 1400 px with the file browser open shows the figures about 950 px wide).
MIN_FONT_PX_AT_960 = 15
TEXT_TAGS = {"text", "tspan"}
DIAGRAM_CALL = re.compile(r"""\bdiagram\(\s*["']([^"']+)["']\s*\)""")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(name: str) -> ET.Element:
    return ET.fromstring(svg_source(name))


def with_parents(root: ET.Element) -> list[tuple[ET.Element, list[ET.Element]]]:
    """Every element with its ancestors (outermost first)."""
    out = []

    def walk(el, ancestors):
        out.append((el, ancestors))
        for child in el:
            walk(child, ancestors + [el])

    walk(root, [])
    return out


def inherited(el: ET.Element, ancestors: list[ET.Element], attribute: str) -> str | None:
    for node in [el, *reversed(ancestors)]:
        if node.get(attribute) is not None:
            return node.get(attribute)
    return None


def viewbox(root: ET.Element) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in root.get("viewBox").split())


def texts(root: ET.Element) -> list[str]:
    return [" ".join("".join(el.itertext()).split()) for el in root.iter(f"{{{SVG_NS}}}text")]


def lines(root: ET.Element) -> set[str]:
    """The text of each <text> or <tspan> on its own (one visual line)."""
    return {el.text.strip() for el in root.iter() if local(el.tag) in TEXT_TAGS and (el.text or "").strip()}


@pytest.fixture(params=names())
def name(request):
    return request.param


# ---------------------------------------------------------------- structure and accessibility
def test_at_least_six_diagrams_of_the_issue():
    assert {"nmda-channel", "disinhibition", "gaba-a-receptor", "serotonin-synapse", "three-compartment-model",
            "isobologram"} <= set(names())


def test_parses_with_title_desc_role_and_labelledby(name):
    root = parse(name)
    assert local(root.tag) == "svg" and root.get("role") == "img"
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    labelled = root.get("aria-labelledby", "").split()
    assert [local(ids[i].tag) for i in labelled] == ["title", "desc"], f"{name}: aria-labelledby must name the title and desc"
    title, desc = root[0], root[1]
    assert local(title.tag) == "title" and local(desc.tag) == "desc", f"{name}: <title> and <desc> must come first"
    assert len("".join(title.itertext()).strip()) >= 20
    description = " ".join("".join(desc.itertext()).split())
    assert len(description) >= 300, f"{name}: the description (alt text) is too short to say what is shown and why"
    assert "key idea" in description.lower() or "so " in description.lower(), f"{name}: the description should state the key idea"
    width, height = viewbox(root)[2:]
    assert width == diagrams.VIEWBOX_WIDTH and float(root.get("width")) == width and float(root.get("height")) == height


def test_self_contained_no_images_scripts_or_external_references(name):
    source = svg_source(name)
    root = ET.fromstring(source)
    forbidden = {"image", "foreignObject", "script", "style", "font-face", "font", "iframe", "a"}
    assert not [local(el.tag) for el in root.iter() if local(el.tag) in forbidden]
    for el in root.iter():
        for key, value in el.attrib.items():
            if local(key) == "href":
                assert value.startswith("#"), f"{name}: external href {value!r}"
            for ref in re.findall(r"url\(([^)]*)\)", value):
                assert ref.startswith("#"), f"{name}: external url({ref})"
            assert not re.search(r"https?:|data:|@import|@font-face", value), f"{name}: {key}={value!r}"
            assert key != "style", f"{name}: use presentation attributes, not style= (the tests read the attributes)"
    assert "http://" not in source.replace(SVG_NS, "")


def test_every_visible_label_is_svg_text(name):
    for el, ancestors in with_parents(parse(name)):
        tag = local(el.tag)
        inside_text = tag in TEXT_TAGS
        if tag not in TEXT_TAGS | {"title", "desc"}:
            assert not (el.text or "").strip(), f"{name}: text {el.text!r} outside a <text> element (in <{tag}>)"
        parent_is_text = bool(ancestors) and local(ancestors[-1].tag) in TEXT_TAGS
        if not parent_is_text and not inside_text:
            assert not (el.tail or "").strip(), f"{name}: stray text {el.tail!r}"


def test_labels_are_at_least_15_px_at_960_px_wide(name):
    root = parse(name)
    scale = 960 / viewbox(root)[2]
    checked = 0
    for el, ancestors in with_parents(root):
        if local(el.tag) in TEXT_TAGS and (el.text or "").strip():
            size = float(inherited(el, ancestors, "font-size"))
            assert size * scale >= MIN_FONT_PX_AT_960, f"{name}: {el.text.strip()!r} is {size * scale:.1f} px at 960 px"
            checked += 1
    assert checked >= 10


def test_colours_are_okabe_ito_tints_or_greys_and_labels_dark(name):
    for el, ancestors in with_parents(parse(name)):
        for key in ("fill", "stroke"):
            value = el.get(key)
            if value and value != "none" and not value.startswith("url("):
                assert value.upper() in ALLOWED_COLOURS, f"{name}: {key} {value} is not an Okabe–Ito colour, tint or grey"
        if local(el.tag) in TEXT_TAGS:
            fill = (inherited(el, ancestors, "fill") or "").upper()
            assert fill in TEXT_COLOURS, f"{name}: label {''.join(el.itertext())[:30]!r} has colour {fill}"


def test_allowed_colours_come_from_the_course_palette():
    from widgets.style import OKABE_ITO

    assert {c.upper() for c in OKABE_ITO.values()} <= ALLOWED_COLOURS
    assert diagrams.tint("#0072B2", 0.15) == "#D9EAF3" and diagrams.tint("#E69F00", 0.3) == "#F8E2B2"


# ---------------------------------------------------------------- what a notebook shows
def test_html_inlines_the_svg_in_a_figure_with_a_caption(name):
    shown = diagram(name)
    bundle = shown._repr_mimebundle_()
    page = bundle["text/html"]
    assert page.startswith("<figure") and page.endswith("</figure>") and "<figcaption" in page
    figure = ET.fromstring(page)  # the whole figure is well-formed markup
    svg = figure.find(f"{{{SVG_NS}}}svg")
    assert svg is not None and "width:100%" in svg.get("style") and "max-width:960px" in svg.get("style")
    caption = "".join(figure.find("figcaption").itertext())
    assert 40 <= len(caption) <= 400 and "[[" not in caption
    import course_data

    source_ids = set(course_data.load("sources")["id"])
    assert not [w for w in re.findall(r"[a-z0-9-]+", caption) if w in source_ids and "-" in w], "caption shows a source id"
    assert bundle["text/plain"].startswith(f"Diagram: {shown.title}.") and shown.description in bundle["text/plain"]


def test_each_display_gets_its_own_ids_and_references_stay_inside(name):
    first, second = (ET.fromstring(diagram(name).html()).find(f"{{{SVG_NS}}}svg") for _ in range(2))
    ids_first = {el.get("id") for el in first.iter() if el.get("id")}
    ids_second = {el.get("id") for el in second.iter() if el.get("id")}
    assert ids_first and not ids_first & ids_second
    for svg, ids in ((first, ids_first), (second, ids_second)):
        assert set(svg.get("aria-labelledby").split()) <= ids
        for el in svg.iter():
            for value in el.attrib.values():
                for ref in re.findall(r"url\(#([^)]*)\)", value):
                    assert ref in ids


def test_captions_cite_sources_that_exist():
    import course_data

    for name in names():
        for source_id in re.findall(r"\[\[([^\]]+)\]\]", diagrams.CATALOGUE[name].caption):
            assert course_data.source(source_id)["evidence_status"] != "UNVERIFIED", f"{name} cites {source_id}"


def test_unknown_diagram_names_the_ones_there_are():
    with pytest.raises(CourseInputError, match="no diagram called 'nmda'.*nmda-channel"):
        diagram("nmda")


def test_each_diagram_is_shown_in_its_notebook(name):
    notebook = ROOT / "notebooks" / f"{diagrams.CATALOGUE[name].notebook}.ipynb"
    calls = [m for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"
             for m in DIAGRAM_CALL.findall(cell.source)]
    assert name in calls, f"{name} is not shown in {notebook.name}"


def test_every_diagram_call_in_the_notebooks_names_a_diagram():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for called in DIAGRAM_CALL.findall(cell.source):
                    assert called in names(), f"{path.name}: diagram({called!r})"
                    assert "from widgets.diagrams import diagram" in cell.source, f"{path.name}: the cell must import diagram"


def test_svg_files_are_package_data_and_all_used():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "diagram_svg/*.svg" in config["tool"]["setuptools"]["package-data"]["widgets"]
    files = {p.name for p in diagrams.SVG_DIR.glob("*.svg")}
    assert files == {spec.file for spec in diagrams.CATALOGUE.values() if spec.file}


# ---------------------------------------------------------------- facts the drawings encode
def positioned_labels(root: ET.Element) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for el in root.iter(f"{{{SVG_NS}}}text"):
        out.setdefault("".join(el.itertext()).strip(), []).append((float(el.get("x")), float(el.get("y"))))
    return out


def test_gaba_a_pentamer_order_and_sites():
    """2 α, 2 β, 1 γ, in the order γ β α β α counterclockwise seen from outside; GABA at β+/α−, BZD at α+/γ−."""
    root = parse("gaba-a-receptor")
    labels = positioned_labels(root)
    (cx, cy), = labels["Cl⁻"]
    subunits = [(name, x, y) for name in "αβγ" for x, y in labels[name]]
    assert sorted(n for n, _, _ in subunits) == sorted("ααββγ")
    # Counterclockwise on screen (y down) = decreasing atan2 angle.
    ring = sorted(subunits, key=lambda s: -math.atan2(s[2] - cy, s[1] - cx))
    start = [n for n, _, _ in ring].index("γ")
    order = [n for n, _, _ in ring[start:] + ring[:start]]
    assert order == list("γβαβα")
    angle = lambda x, y: -math.atan2(y - cy, x - cx) % (2 * math.pi)
    ring_angles = [(n, angle(x, y)) for n, x, y in ring[start:] + ring[:start]]

    def interface(x, y):
        a = angle(x, y)
        for (n1, a1), (n2, a2) in zip(ring_angles, ring_angles[1:] + ring_angles[:1]):
            span = (a2 - a1) % (2 * math.pi)
            if 0 < (a - a1) % (2 * math.pi) < span:
                return n1 + n2  # n1's + side faces n2's − side (counterclockwise order)
    shapes = list(root.iter())
    gaba_sites = [(float(e.get("cx")), float(e.get("cy"))) for e in shapes if local(e.tag) == "circle" and e.get("fill") == "#D55E00" and float(e.get("cy")) < 450]
    diamonds = [e for e in shapes if local(e.tag) == "polygon" and e.get("fill") == "#CC79A7"]
    bzd = [tuple(map(float, p.split(","))) for p in diamonds[0].get("points").split()]
    bzd_centre = (sum(p[0] for p in bzd) / 4, sum(p[1] for p in bzd) / 4)
    assert sorted(interface(*p) for p in gaba_sites) == ["βα", "βα"]
    assert interface(*bzd_centre) == "αγ"


def test_nmda_diagrams_show_subunits_ligands_mg_and_trapping():
    channel = " ".join(texts(parse("nmda-channel")))
    for word in ("GluN1", "GluN2", "glycine or D-serine", "glutamate", "Mg²⁺", "Na⁺, Ca²⁺", "At rest", "Depolarised"):
        assert word in channel
    trapping = " ".join(texts(parse("nmda-trapping")))
    for word in ("Open", "trapped", "Memantine", "ketamine"):
        assert word in trapping


def test_disinhibition_marks_the_eef2_route_and_the_uncertainty():
    root = parse("disinhibition")
    words = " ".join(texts(root))
    for step in ("GABA interneuron", "less GABA", "pyramidal neuron", "glutamate surge", "AMPA receptors", "BDNF",
                 "TrkB", "mTORC1", "new spine synapses", "eEF2 kinase off", "competing or complementary route", "MK-801", "human MRS: mixed",
                 "“unknown”"):
        assert step in words, step
    dashed = [e for e in root.iter() if local(e.tag) == "rect" and e.get("stroke-dasharray")]
    assert len(dashed) == 1, "the eEF2 route is the one dashed (alternative) box"


def test_three_compartment_model_names_every_rate_constant():
    words = lines(parse("three-compartment-model"))
    assert {"V1", "V2", "V3", "k12", "k21", "k13", "k31", "k10", "ka", "ke0", "fraction F", "effect site", "IV dose"} <= words


def test_serotonin_synapse_numbers_match_the_course_data():
    from widgets.models import ketamine_ssri

    words = " ".join(texts(parse("serotonin-synapse")))
    low, high, _ = ketamine_ssri.ssri_occupancy_band()
    assert f"{low:g}–{high:g} %" in words
    pet = ketamine_ssri.measured_occupancy().set_index("id")
    assert f"below {pet.loc['ketamine-05-human', 'occupancy_high_percent']:g} %" in words
    assert pet.loc["ketamine-08-human", "result_text"] in words
    ki = next(a for a in ketamine_ssri.sert_affinities() if a.source_id == "nishimura1998").value_um
    assert f"(Ki {ki:g} µM," in words
    # The predicted occupancy at 185 ng/mL is notebook 08's predict-then-check question: not given away here.
    assert "0.25" not in words


def test_isobologram_numbers_and_positions_equal_the_model():
    from widgets.models.interaction import hong1993, hong_interaction_index

    h = hong1993()
    index, low, high = hong_interaction_index()
    assert (round(index, 2), round(low, 2), round(high, 2)) == (1.30, 0.84, 4.16)  # the published arithmetic (notebook 06)
    root = parse("isobologram")
    words = " ".join(texts(root))
    u_m, u_k = h.combo_midazolam_mg_per_kg / h.midazolam.value_mg_per_kg, h.combo_ketamine_mg_per_kg / h.ketamine.value_mg_per_kg
    assert f"I = {u_m:.2f} + {u_k:.2f} = {index:.2f}" in words
    assert f"from {low:.2f} to {high:.2f}" in words
    assert f"midazolam {h.combo_midazolam_mg_per_kg:g} + ketamine {h.combo_ketamine_mg_per_kg:g}" in words
    assert f"ED50 {h.midazolam.value_mg_per_kg:g}" in words and f"ED50 {h.ketamine.value_mg_per_kg:g}" in words
    # Read the axes back from the tick labels drawn in the SVG and locate the markers in mg/kg.
    ticks_x, ticks_y = [], []
    for el in root.iter(f"{{{SVG_NS}}}text"):
        label = "".join(el.itertext()).strip()
        if re.fullmatch(r"0\.\d", label):
            (ticks_x if el.get("text-anchor") == "middle" else ticks_y).append((float(label), float(el.get("x")), float(el.get("y"))))
    (v0, x0, _), (v1, x1, _) = ticks_x[0], ticks_x[-1]
    (w0, _, y0), (w1, _, y1) = ticks_y[0], ticks_y[-1]
    to_midazolam = lambda x: v0 + (x - x0) * (v1 - v0) / (x1 - x0)
    to_ketamine = lambda y: w0 + (y - y0) * (w1 - w0) / (y1 - y0)  # label baselines sit a constant 5 below their ticks
    diamond = next(e for e in root.iter() if local(e.tag) == "polygon" and e.get("fill") == "#F0E442")
    pts = [tuple(map(float, p.split(","))) for p in diamond.get("points").split()]
    dx, dy = sum(p[0] for p in pts) / 4, sum(p[1] for p in pts) / 4 + 5
    assert to_midazolam(dx) == pytest.approx(h.combo_midazolam_mg_per_kg, abs=1e-3)
    assert to_ketamine(dy) == pytest.approx(h.combo_ketamine_mg_per_kg, abs=1e-3)
    squares = [e for e in root.iter() if local(e.tag) == "rect" and e.get("fill") == "#E69F00"]
    centres = sorted((float(e.get("x")) + 9, float(e.get("y")) + 9 + 5) for e in squares)
    assert to_ketamine(centres[0][1]) == pytest.approx(h.ketamine.value_mg_per_kg, abs=1e-3)
    assert to_midazolam(centres[1][0]) == pytest.approx(h.midazolam.value_mg_per_kg, abs=1e-3)
    desc = "".join(root[1].itertext())
    assert f"{index:.2f}" in desc and f"{low:.2f} to {high:.2f}" in desc
