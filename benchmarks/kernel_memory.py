"""Kernel memory: each notebook run in a fresh kernel, its peak resident memory reported.

For a JupyterHub class every student's kernel costs the hub this much. Each notebook
is executed by nbclient in a new ``python3`` kernel; a last cell asks the kernel for its
own peak resident set size (Linux: ``VmHWM``, the high-water mark of its own memory, so a
short spike counts; elsewhere ``ru_maxrss``, which on Linux would also count the parent's
memory inherited across exec). Two more rows: a kernel that only runs ``import widgets``, and one that builds
every explorer once. The validation cache is warmed first (as on every run but a
learner's first): a warm cache must not load the validation libraries, and the
benchmark reports which heavy modules each kernel imported.

Target: the heaviest notebook's kernel ≤ 150 MB.

Run: ``./course bench memory`` or ``.venv/bin/python -m benchmarks.kernel_memory [SLUG ...]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
TARGET_PEAK_MB = 150.0
#: Imported by a kernel only when it needs them (reported so a regression is easy to trace).
HEAVY_MODULES = ("frictionless", "jsonschema", "nbformat", "scipy", "pyarrow")

_REPORT_CELL = f"""
import json as _json, os as _os, resource as _resource, sys as _sys
if _os.path.exists("/proc/self/status"):
    _status = open("/proc/self/status").read()
    _peak_mb = int(_status.split("VmHWM:")[1].split()[0]) / 1024
else:
    _peak_mb = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024   # bytes on macOS
from widgets.lazy_imports import is_loaded as _is_loaded  # a lazy module that never ran costs nothing
_heavy = sorted(m for m in {list(HEAVY_MODULES)!r} if _is_loaded(m))
print("COURSE-MEMORY " + _json.dumps({{"peak_mb": _peak_mb, "heavy": _heavy}}))
"""

EVERY_EXPLORER = """
from widgets.explorers import all_explorers
explorers = [cls() for cls in all_explorers().values()]
"""


def peak_of(cells: list[str]) -> dict:
    """Run ``cells`` in a fresh kernel (working directory notebooks/) and return its peak memory."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells] + [nbformat.v4.new_code_cell(_REPORT_CELL)]
    NotebookClient(nb, timeout=300, kernel_name="python3", extra_arguments=["--log-level=ERROR"],
                   resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()
    for output in nb.cells[-1].outputs:
        for line in output.get("text", "").splitlines():
            if line.startswith("COURSE-MEMORY "):
                return json.loads(line.removeprefix("COURSE-MEMORY "))
    raise RuntimeError("the kernel did not report its memory")


def notebook_cells(slug: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS_DIR / f"{slug}.ipynb", as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def main(notebooks: list[str] | None = None) -> bool:
    import course_data

    course_data.validate_all()  # warm the validation cache, as every run but a learner's first finds it
    print("\nKernel peak memory (fresh kernel per row, warm validation cache; peak RSS)")
    print(f"  {'kernel':<44} {'peak MB':>8}  heavy modules imported")
    rows = [("import widgets only", ["import widgets"]), ("every explorer built once", ["import widgets", EVERY_EXPLORER])]
    slugs = notebooks or sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    rows += [(slug, notebook_cells(slug)) for slug in slugs]
    heaviest = 0.0
    for name, cells in rows:
        result = peak_of(cells)
        if name in slugs:
            heaviest = max(heaviest, result["peak_mb"])
        print(f"  {name:<44} {result['peak_mb']:>8.1f}  {', '.join(result['heavy']) or '—'}")
    ok = heaviest <= TARGET_PEAK_MB
    print(f"  {'heaviest notebook':<44} {heaviest:>8.1f}  {'ok' if ok else f'MISSED (≤ {TARGET_PEAK_MB:g} MB)'}")
    return ok


if __name__ == "__main__":
    main(sys.argv[1:] or None)
