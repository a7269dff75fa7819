"""The course's shared data package and its one loader.

Every model, explorer and notebook reads course data through this module::

    import course_data
    sources = course_data.load("sources")           # pandas DataFrame
    course_data.source("hirota1999")                # one source as a dict
    course_data.fact("ketamine-molar-mass")         # one key number as a dict
    course_data.questions("00_start_here")          # a question bank

Tables are tidy CSV files in ``tables/``; each has a Frictionless resource
descriptor in ``schemas/`` (field types, units, allowed values and ranges,
primary and foreign keys). A table is validated on first load and cached; a
malformed file raises :class:`CourseDataError` naming the file, row and column.
"""

from __future__ import annotations

import sys
from typing import Any

# jsonschema imports the optional package rfc3987_syntax, which compiles a large
# grammar at import time (about 2 s per kernel), only to check the "iri" string
# format. The course never validates IRIs, so mark the package as absent: every
# notebook kernel starts about 2 s faster.
sys.modules.setdefault("rfc3987_syntax", None)

import pandas as pd

from course_data._loader import DATA_DIR, CourseDataError, DataPackage, default_package

__all__ = [
    "CourseDataError",
    "DATA_DIR",
    "DataPackage",
    "descriptor",
    "fact",
    "field_unit",
    "glossary_entry",
    "load",
    "question_banks",
    "questions",
    "source",
    "table_names",
    "validate_all",
]


def load(name: str) -> pd.DataFrame:
    """Table ``name`` as a validated pandas DataFrame (a fresh copy each call)."""
    return default_package().load(name)


def table_names() -> list[str]:
    return default_package().table_names()


def descriptor(name: str) -> dict[str, Any]:
    return default_package().descriptor(name)


def field_unit(name: str, field: str) -> str:
    return default_package().field_unit(name, field)


def source(source_id: str) -> dict[str, Any]:
    return default_package().source(source_id)


def fact(fact_id: str) -> dict[str, Any]:
    return default_package().fact(fact_id)


def glossary_entry(term_id: str) -> dict[str, Any]:
    return default_package().glossary_entry(term_id)


def questions(notebook: str, section: str | None = None) -> list[dict[str, Any]]:
    return default_package().questions(notebook, section)


def question_banks() -> list[str]:
    return default_package().question_banks()


def validate_all() -> None:
    default_package().validate_all()
