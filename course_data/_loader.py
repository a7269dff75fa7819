"""Load and validate the course's tables and question banks.

Validation uses Frictionless (types, constraints, primary and foreign keys),
plus course rules that Table Schema cannot express on its own:

* ``listOf``: a field holding ``;``-separated ids that must all resolve
  (e.g. a claim's evidence source ids);
* ``unit`` / ``unitField``: every numeric field declares its unit, either fixed
  in the schema or in a named column whose values are ids in the ``units`` table;
* ``source_id``: a table whose numbers are facts (every table unless its
  descriptor says ``"course": {"numbersAreFacts": false}``) has a required
  ``source_id`` column, and may not lean on an UNVERIFIED source unless its
  descriptor says ``"course": {"allowUnverified": true}``.

A table that passed validation is remembered on disk (keyed by a hash of its
files, the files it references and this loader), so kernels after the first
start quickly.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent
_LOADER_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

# How many individual problems one error message lists before summarising.
_MAX_LISTED_ERRORS = 8


class CourseDataError(ValueError):
    """A course data file is malformed. The message names file, row and column."""


def _cache_dir() -> Path:
    base = os.environ.get("COURSE_DATA_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ketamine-course"
    )
    return Path(base)


class DataPackage:
    """The tables, schemas and question banks under one ``course_data`` folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.tables_dir = self.root / "tables"
        self.schemas_dir = self.root / "schemas"
        self.questions_dir = self.root / "questions"
        self.question_schema_path = self.root / "question_bank.schema.json"
        self._frames: dict[str, pd.DataFrame] = {}
        self._descriptors: dict[str, dict[str, Any]] = {}
        self._banks: dict[str, tuple[dict[str, Any], ...]] = {}
        self._indexes: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    # ----------------------------------------------------------------- naming
    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def table_names(self) -> list[str]:
        """Names of all tables in the data package, sorted."""
        return sorted(p.stem for p in self.schemas_dir.glob("*.json"))

    def table_path(self, name: str) -> Path:
        return self.root / self.descriptor(name)["path"]

    def descriptor(self, name: str) -> dict[str, Any]:
        """The Frictionless resource descriptor (with schema) for table ``name``."""
        if name not in self._descriptors:
            path = self.schemas_dir / f"{name}.json"
            if not path.exists():
                raise CourseDataError(f"no table named {name!r}; known tables: {', '.join(self.table_names())}")
            try:
                desc = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise CourseDataError(f"{self._relative(path)}, line {exc.lineno}: invalid JSON ({exc.msg})") from exc
            if desc.get("name") != name:
                raise CourseDataError(f"{self._relative(path)}: 'name' must be {name!r}, got {desc.get('name')!r}")
            self._descriptors[name] = desc
        return self._descriptors[name]

    def fields(self, name: str) -> dict[str, dict[str, Any]]:
        return {f["name"]: f for f in self.descriptor(name)["schema"]["fields"]}

    def referenced_tables(self, name: str) -> set[str]:
        """Tables that ``name`` points at through foreign keys, list references or units."""
        desc = self.descriptor(name)
        refs = {fk["reference"]["resource"] for fk in desc["schema"].get("foreignKeys", [])}
        refs |= {f["listOf"]["resource"] for f in desc["schema"]["fields"] if "listOf" in f}
        refs |= {"units" for f in desc["schema"]["fields"] if "unitField" in f}
        if "source_id" in self.fields(name):
            refs.add("sources")
        refs.discard("")
        refs.discard(name)
        return refs

    # ------------------------------------------------------------- validation
    def _fingerprint(self, name: str) -> str:
        digest = hashlib.sha256(_LOADER_HASH.encode())
        for table in sorted({name} | self.referenced_tables(name)):
            digest.update((self.schemas_dir / f"{table}.json").read_bytes())
            digest.update(self.table_path(table).read_bytes())
        return digest.hexdigest()

    def _known_valid(self, fingerprint: str) -> bool:
        return (_cache_dir() / "validated" / fingerprint).exists()

    def _remember_valid(self, fingerprint: str) -> None:
        try:
            folder = _cache_dir() / "validated"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / fingerprint).touch()
        except OSError:
            pass  # a read-only home only costs a re-validation next time

    def _frictionless_errors(self, names: set[str]) -> list[str]:
        from frictionless import Package, Resource

        from frictionless import FrictionlessException

        resources = []
        for n in sorted(names):
            desc = {k: v for k, v in self.descriptor(n).items() if k != "course"}
            try:
                resources.append(Resource(desc, basepath=str(self.root)))
            except FrictionlessException as exc:
                raise CourseDataError(f"{self._relative(self.schemas_dir / (n + '.json'))}: invalid descriptor: {exc}") from exc
        try:
            report = Package(resources=resources).validate()
        except FrictionlessException as exc:
            raise CourseDataError(f"course data tables {sorted(names)}: {exc}") from exc
        messages = [f"data package: {error.type}: {error.note or error.message}" for error in report.errors]
        for task in report.tasks:
            path = self._relative(self.table_path(task.name)) if task.name in names else task.place
            for error in task.errors:
                row = getattr(error, "row_number", None)
                field = getattr(error, "field_name", None)
                where = [path]
                if row is not None:
                    where.append(f"row {row - 1} (file line {row})")
                if field:
                    where.append(f"column {field!r}")
                messages.append(f"{', '.join(where)}: {error.type}: {error.note or error.message}")
        return messages

    def _read_frame(self, name: str) -> pd.DataFrame:
        """Read the CSV with the schema's types."""
        path = self.table_path(name)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frame = pd.DataFrame(index=raw.index)
        for field in self.descriptor(name)["schema"]["fields"]:
            if field["name"] not in raw.columns:
                raise CourseDataError(f"{self._relative(path)}, column {field['name']!r}: missing from the header")
            column = raw[field["name"]].replace("", pd.NA)
            kind = field.get("type", "string")
            if kind == "number":
                frame[field["name"]] = pd.to_numeric(column).astype("float64")
            elif kind == "integer":
                frame[field["name"]] = pd.to_numeric(column).astype("Int64")
            elif kind == "boolean":
                truthy = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
                frame[field["name"]] = column.map(lambda v: pd.NA if v is pd.NA else v in truthy).astype("boolean")
            else:
                frame[field["name"]] = column.astype("string")
        return frame

    def _course_rule_errors(self, name: str, frame: pd.DataFrame) -> list[str]:
        desc = self.descriptor(name)
        course = desc.get("course", {})
        path = self._relative(self.table_path(name))
        schema_path = self._relative(self.schemas_dir / f"{name}.json")
        fields = self.fields(name)
        problems: list[str] = []

        def where(index: int, column: str) -> str:
            return f"{path}, row {index + 1} (file line {index + 2}), column {column!r}"

        @functools.cache
        def known_units() -> frozenset[str]:
            return frozenset(self.frame("units")["id"])

        has_numbers = False
        for field in fields.values():
            spec = field.get("listOf")
            if spec:
                known = set(self.frame(spec["resource"])[spec.get("field", "id")].dropna())
                for index, cell in frame[field["name"]].items():
                    if cell is pd.NA:
                        continue
                    for item in (part.strip() for part in str(cell).split(spec.get("separator", ";"))):
                        if item and item not in known:
                            problems.append(f"{where(index, field['name'])}: {item!r} is not an id in table {spec['resource']!r}")
            if field.get("type") in ("number", "integer"):
                has_numbers = True
                if not field.get("unit") and not field.get("unitField"):
                    problems.append(f"{schema_path}, column {field['name']!r}: numeric field declares no unit")
                if field.get("unit") and name != "units" and field["unit"] not in known_units():
                    problems.append(f"{schema_path}, column {field['name']!r}: unit {field['unit']!r} is not an id in table 'units'")
            unit_column = field.get("unitField")
            if unit_column:
                if unit_column not in fields:
                    problems.append(f"{schema_path}, column {field['name']!r}: unitField {unit_column!r} is not a column")
                    continue
                for index, (value, unit) in enumerate(zip(frame[field["name"]], frame[unit_column])):
                    if not pd.isna(value) and (pd.isna(unit) or unit not in known_units()):
                        problems.append(f"{where(index, unit_column)}: unit {unit!r} is not an id in table 'units'")

        if has_numbers and course.get("numbersAreFacts", True):
            if "source_id" not in fields:
                problems.append(f"{schema_path}: a table with numbers needs a 'source_id' column")
            else:
                status = self.frame("sources").set_index("id")["evidence_status"]
                for index, source_id in frame["source_id"].items():
                    if source_id is pd.NA:
                        problems.append(f"{where(index, 'source_id')}: every row with numbers needs a source id")
                    elif status.get(source_id) == "UNVERIFIED" and not course.get("allowUnverified", False):
                        problems.append(f"{where(index, 'source_id')}: source {source_id!r} is UNVERIFIED and may not back a taught value")
        return problems

    def frame(self, name: str) -> pd.DataFrame:
        """Validated table (cached in memory; do not modify: use :meth:`load`)."""
        if name in self._frames:
            return self._frames[name]
        for other in sorted(self.referenced_tables(name)):
            self.frame(other)  # referenced tables first, so their errors name their own file
        fingerprint = self._fingerprint(name)
        if not self._known_valid(fingerprint):
            messages = self._frictionless_errors({name} | self.referenced_tables(name))
            if messages:
                raise CourseDataError(self._summarise(name, messages))
        frame = self._read_frame(name)
        if not self._known_valid(fingerprint):
            problems = self._course_rule_errors(name, frame)
            if problems:
                raise CourseDataError(self._summarise(name, problems))
            self._remember_valid(fingerprint)
        self._frames[name] = frame
        return frame

    @staticmethod
    def _summarise(name: str, messages: list[str]) -> str:
        shown = messages[:_MAX_LISTED_ERRORS]
        text = f"course data table {name!r} is malformed:\n  " + "\n  ".join(shown)
        if len(messages) > len(shown):
            text += f"\n  … and {len(messages) - len(shown)} more problem(s)"
        return text

    # ------------------------------------------------------------- public API
    def load(self, name: str) -> pd.DataFrame:
        """Return table ``name`` as a pandas DataFrame (validated once, then cached).

        The returned frame is a copy: callers may modify it freely.
        """
        return self.frame(name).copy()

    def validate_all(self) -> None:
        """Validate every table and question bank; raise on the first malformed one."""
        for name in self.table_names():
            self.frame(name)
        for path in sorted(self.questions_dir.glob("*.json")):
            self.questions(path.stem)

    def field_unit(self, name: str, field: str) -> str:
        """The fixed unit declared for numeric ``field`` of table ``name``."""
        spec = self.fields(name)[field]
        if "unit" not in spec:
            raise CourseDataError(f"table {name!r} column {field!r} has no fixed unit (see its unitField)")
        return spec["unit"]

    def _row(self, table: str, key: str, value: str) -> dict[str, Any]:
        """One row as a dict (missing cells as None), from an index built once per table."""
        if (table, key) not in self._indexes:
            frame = self.frame(table)
            self._indexes[(table, key)] = {
                row[key]: {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in frame.to_dict(orient="records")
            }
        row = self._indexes[(table, key)].get(value)
        if row is None:
            raise CourseDataError(f"unknown {table} id {value!r} (not in {self._relative(self.table_path(table))})")
        return dict(row)

    def source(self, source_id: str) -> dict[str, Any]:
        """One row of the ``sources`` table as a dict (raises if the id is unknown)."""
        return self._row("sources", "id", source_id)

    def glossary_entry(self, term_id: str) -> dict[str, Any]:
        """One row of the ``glossary`` table as a dict (raises if the term is unknown)."""
        return self._row("glossary", "id", term_id)

    def fact(self, fact_id: str) -> dict[str, Any]:
        """One row of the ``facts`` table as a dict (raises if the id is unknown)."""
        return self._row("facts", "id", fact_id)

    def question_banks(self) -> list[str]:
        return sorted(p.stem for p in self.questions_dir.glob("*.json"))

    def _bank(self, notebook: str) -> tuple[dict[str, Any], ...]:
        if notebook in self._banks:
            return self._banks[notebook]
        import jsonschema

        path = self.questions_dir / f"{notebook}.json"
        rel = self._relative(path)
        if not path.exists():
            raise CourseDataError(f"no question bank {rel}")
        try:
            bank = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CourseDataError(f"{rel}, line {exc.lineno}: invalid JSON ({exc.msg})") from exc
        schema = json.loads(self.question_schema_path.read_text(encoding="utf-8"))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(bank), key=lambda e: list(e.path))
        if errors:
            lines = [f"{rel}, at {'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}" for e in errors[:_MAX_LISTED_ERRORS]]
            raise CourseDataError("question bank is malformed:\n  " + "\n  ".join(lines))
        if bank["notebook"] != notebook:
            raise CourseDataError(f"{rel}, at notebook: must be {notebook!r}, got {bank['notebook']!r}")
        known_sources = set(self.frame("sources")["id"])
        seen: set[str] = set()
        for i, q in enumerate(bank["questions"]):
            at = f"{rel}, at questions/{i}"
            if q["id"] in seen:
                raise CourseDataError(f"{at}/id: duplicate question id {q['id']!r}")
            seen.add(q["id"])
            for sid in q.get("source_ids", []):
                if sid not in known_sources:
                    raise CourseDataError(f"{at}/source_ids: {sid!r} is not an id in table 'sources'")
            if q["type"] == "multiple_choice" and not 0 <= q["answer"] < len(q["options"]):
                raise CourseDataError(f"{at}/answer: index {q['answer']} is outside the {len(q['options'])} options")
        self._banks[notebook] = tuple(bank["questions"])
        return self._banks[notebook]

    def questions(self, notebook: str, section: str | None = None) -> list[dict[str, Any]]:
        """Questions of a notebook's bank, optionally only those of one ``section``."""
        bank = self._bank(notebook)
        chosen = [dict(q) for q in bank if section is None or q["section"] == section]
        if section is not None and not chosen:
            sections = sorted({q["section"] for q in bank})
            raise CourseDataError(f"question bank {notebook!r} has no section {section!r}; sections: {sections}")
        return chosen


@functools.cache
def default_package() -> DataPackage:
    return DataPackage(DATA_DIR)
