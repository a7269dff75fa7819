"""Explorers: one module per notebook topic. Each explorer subclasses
:class:`widgets.explorer.Explorer` and so registers itself for the generic
headless tests, browser tests and benchmarks."""

from __future__ import annotations

import importlib
import pkgutil


def all_explorers() -> dict[str, type]:
    """Import every explorer module and return the registry (name → class)."""
    from widgets.explorer import REGISTRY

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))
