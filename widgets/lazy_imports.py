"""Modules imported on first use, so that a notebook's kernel holds only what it runs.

A kernel's memory is what a JupyterHub class pays per student (``benchmarks/kernel_memory.py``).
Two imports cost memory that most kernels never use:

* every explorer's recorded prediction (:mod:`widgets.explorer_predictions`) computes its
  answer from its explorer's model, and importing every model loads scipy (about 40–70 MB)
  into kernels whose explorers never call it;
* plotly 7.1.0 imports ``nbformat`` (and with it ``jsonschema``, about 20 MB) when
  ``plotly.io`` is first imported, only to check its version when a figure is shown as a
  notebook MIME bundle (a static figure): :func:`defer_plotly_nbformat` gives plotly the
  version number instead (otter-grader, for the "Your turn" exercises, still imports it).

:func:`lazy_module` (for the first) is the standard library's ``importlib.util.LazyLoader``: the module
object exists at once and runs its code on first attribute access.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys
from types import ModuleType, SimpleNamespace


def lazy_module(name: str) -> ModuleType:
    """Module ``name``, its code run on first attribute access (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:  # as the import system does: ``widgets.models.pk`` is also ``widgets.models``'s attribute
        setattr(sys.modules[parent], child, module)
    return module


def is_loaded(name: str) -> bool:
    """Whether module ``name`` has run its code (a lazy module that was never used has not)."""
    module = sys.modules.get(name)
    # a lazy module answers attribute access with its own method until its code has run
    return module is not None and type(module).__getattribute__ is ModuleType.__getattribute__


def defer_plotly_nbformat() -> None:
    """Let ``plotly.io`` start without importing ``nbformat`` (plotly 7.1.0; see above).

    plotly.io._renderers asks for nbformat once, at import, through plotly's optional-import
    helper, and then reads only ``nbformat.__version__`` (to refuse a MIME bundle for nbformat
    < 4.2). plotly.io is imported while nbformat is marked absent, and is then given the installed
    version's number instead of the package. Must run before plotly.io is imported; otherwise it
    does nothing. tests/test_lazy_imports.py checks against the installed plotly that the version
    is all it reads."""
    if "plotly.io" in sys.modules or "nbformat" in sys.modules:
        return
    try:
        version = importlib.metadata.version("nbformat")
    except importlib.metadata.PackageNotFoundError:
        return  # plotly finds it absent, as it would anyway
    sys.modules["nbformat"] = None  # an import of it now raises ImportError: plotly notes it as absent
    try:
        import plotly.io._renderers as renderers
        from _plotly_utils import optional_imports
    finally:
        del sys.modules["nbformat"]
    optional_imports._not_importable.discard("nbformat")  # a later real import is not refused
    renderers.nbformat = SimpleNamespace(__version__=version)
