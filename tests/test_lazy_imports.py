"""A kernel imports only what it uses (issue 16 §5, benchmarks/kernel_memory.py), checked in a
fresh interpreter: ``import widgets`` and building an explorer load neither nbformat,
jsonschema, frictionless nor scipy when the validation cache is warm, and plotly still shows a
static figure."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["nbformat", "jsonschema", "frictionless", "scipy", "pyarrow"]

PROBE = f"""
import widgets
from widgets.lazy_imports import is_loaded
from widgets.explorers.pk import PKExplorer
explorer = PKExplorer()
for control, value in PKExplorer.demo_changes:
    explorer.set(**{{control: value}})
import course_data, json
course_data.questions("04_pharmacokinetics")  # a notebook's quiz reads its question bank
after_build = {{m: is_loaded(m) for m in {HEAVY!r}}}
import plotly.graph_objects as go, plotly.io as pio
bundle = pio.renderers["plotly_mimetype"].to_mimebundle(go.Figure(go.Scatter(y=[1, 2])).to_dict())
pio.show(go.Figure(go.Scatter(y=[1, 2])), renderer="plotly_mimetype")   # reads nbformat.__version__
print("RESULT" + json.dumps({{"after_build": after_build, "nbformat_after_show": is_loaded("nbformat"),
                             "mime": sorted(bundle)}}))
"""


def test_warm_kernel_loads_no_validation_library_nor_scipy_and_static_figures_still_show():
    warm = subprocess.run([sys.executable, "-c", "import course_data; course_data.validate_all()"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert warm.returncode == 0, warm.stderr[-3000:]
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.split("RESULT", 1)[1])
    assert result["after_build"] == {name: False for name in HEAVY}, result["after_build"]
    assert result["mime"] == ["application/vnd.plotly.v1+json"]
    assert not result["nbformat_after_show"], "a static figure is shown with nbformat's version number only"


def test_plotly_reads_only_the_version_of_nbformat():
    """The stand-in (widgets.lazy_imports.defer_plotly_nbformat) holds only while plotly's
    renderers use nothing of nbformat but its version."""
    import plotly.io._renderers as renderers

    source = Path(renderers.__file__).read_text(encoding="utf-8")
    uses = set(re.findall(r"\bnbformat\.(\w+)", source))
    assert uses == {"__version__"}, f"plotly {plotly.__version__} now uses nbformat.{uses}: import it for real"


def test_lazy_module_runs_its_code_on_first_use():
    from widgets.lazy_imports import is_loaded, lazy_module

    done = subprocess.run([sys.executable, "-c", (
        "import sys; from widgets.lazy_imports import lazy_module, is_loaded\n"
        "m = lazy_module('widgets.models.hunter'); a = is_loaded('widgets.models.hunter')\n"
        "features = m.FEATURES; print(a, is_loaded('widgets.models.hunter'), bool(features))")],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "True", "True"], done.stderr[-2000:]
    assert lazy_module("json") is sys.modules["json"] and is_loaded("json")
