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
  descriptor says ``"course": {"allowUnverified": true}``;
* the file itself: UTF-8 text, one name per column, quotes balanced (a cell with a
  quote is wrapped in quotes and its own quotes doubled), at least one row unless the
  descriptor says ``"course": {"allowEmpty": true}``, no NaN or infinite number
  unless the field says ``"allowNonFinite": true``, and no loop of references
  between tables.

A table that passed validation is remembered on disk (keyed by a hash of its
files, every file its validation reads, and this loader), so kernels after the
first start quickly. The checks on the file's text, its header, its row count and
its numbers are cheap and run on every load, cached or not.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent
_LOADER_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

# How many individual problems one error message lists before summarising.
_MAX_LISTED_ERRORS = 8


class CourseDataError(ValueError):
    """A course data file is malformed. The message names file, row and column."""


# One CSV record: quoted cells ("…", with "" for a quote inside) or unquoted cells
# without quotes, separated by commas and ended by a line break or the end of the file.
_CELL = r'(?:"(?:[^"]|"")*"|[^,"\r\n]*)'
_CSV_RECORD = re.compile(rf"{_CELL}(?:,{_CELL})*(?:\r?\n|\Z)")


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
        self._loading: list[str] = []  # tables being loaded, outermost first (to report reference loops)

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
        desc = self.descriptor(name)
        if not desc.get("path"):
            raise CourseDataError(f"{self._relative(self.schemas_dir / (name + '.json'))}: no 'path' to the table's CSV file")
        return self.root / desc["path"]

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
        refs |= {"units" for f in desc["schema"]["fields"] if "unitField" in f or "unit" in f}
        if "source_id" in self.fields(name):
            refs.add("sources")
        refs.discard("")
        refs.discard(name)
        return refs

    # ------------------------------------------------------------- validation
    def _reference_field(self, name: str, other: str) -> str:
        """The column of ``name`` through which it refers to table ``other``."""
        desc = self.descriptor(name)
        for fk in desc["schema"].get("foreignKeys", []):
            if fk["reference"]["resource"] == other:
                fields = fk["fields"]
                return fields if isinstance(fields, str) else ", ".join(fields)
        for field in desc["schema"]["fields"]:
            if field.get("listOf", {}).get("resource") == other:
                return field["name"]
        return "source_id" if other == "sources" else "unit"

    def fingerprint(self, name: str) -> str:
        """Hash of every file that validating ``name`` reads (schemas and tables of it and
        every table it references, including units for fixed units) and of this loader."""
        digest = hashlib.sha256(_LOADER_HASH.encode())
        for table in sorted({name} | self.referenced_tables(name)):
            digest.update(table.encode())
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

    def _read_text(self, name: str) -> str:
        """The table's CSV file as text: it must exist and be UTF-8."""
        path = self.table_path(name)
        rel = self._relative(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CourseDataError(
                f"{rel}: file not found (table {name!r}; its schema "
                f"{self._relative(self.schemas_dir / (name + '.json'))} names this path)"
            ) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise CourseDataError(
                f"{rel}, file line {line}, character {column}: byte 0x{data[exc.start]:02x} is not UTF-8 text "
                "(the file looks saved as Latin-1 or Windows-1252); save it as UTF-8"
            ) from None

    def _check_quotes(self, name: str, text: str) -> None:
        """Every record is well-formed CSV: a quote only opens, closes or (doubled) sits inside a quoted cell."""
        pos = 0
        while pos < len(text):
            match = _CSV_RECORD.match(text, pos)
            if match is not None and match.end() > pos:
                pos = match.end()
                continue
            quote = text.find('"', pos)
            line_start = text.rfind("\n", 0, quote) + 1
            prefix = text[line_start:quote]
            index = prefix.count(",") - sum(part.count(",") for part in re.findall(r'"(?:[^"]|"")*"', prefix))
            header = next(csv.reader([text.split("\n", 1)[0]]))
            column = header[index] if 0 <= index < len(header) else f"number {index + 1}"
            line = text.count("\n", 0, quote) + 1
            opens = quote == line_start or text[quote - 1] == ","
            problem = ("a quoted cell that is not closed, or has text after its closing quote" if opens
                       else "a double quote inside a cell that is not quoted")
            raise CourseDataError(
                f"{self._relative(self.table_path(name))}, file line {line}, column {column!r}: {problem}; "
                "wrap a cell that contains a quote in quotes and double the quotes inside it"
            )

    def _parse(self, name: str, text: str) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the CSV text; the header names each column once; rows exist unless allowed empty."""
        rel = self._relative(self.table_path(name))
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise CourseDataError(f"{rel}: not readable as CSV ({exc})") from None
        if not records:
            raise CourseDataError(f"{rel}: the file is empty; it needs a header line naming the columns")
        header, rows = records[0], [r for r in records[1:] if r]
        first_seen: dict[str, int] = {}
        for position, label in enumerate(header, start=1):
            if label in first_seen:
                raise CourseDataError(
                    f"{rel}, header (file line 1), column {position} {label!r}: repeats the name of column "
                    f"{first_seen[label]}; every column needs its own name"
                )
            first_seen[label] = position
        if not rows and not self.descriptor(name).get("course", {}).get("allowEmpty", False):
            raise CourseDataError(f"{rel}: has a header but no rows; table {name!r} needs at least one row")
        return header, rows

    def _frame_from_rows(self, name: str, header: list[str], rows: list[list[str]]) -> pd.DataFrame:
        """The rows as a DataFrame with the schema's types; numbers must be finite unless a field allows otherwise."""
        rel = self._relative(self.table_path(name))
        position = {label: i for i, label in enumerate(header)}
        for index, row in enumerate(rows):
            if len(row) != len(header):
                raise CourseDataError(f"{rel}, row {index + 1} (file line {index + 2}): {len(row)} cells for {len(header)} columns")
        frame = pd.DataFrame(index=pd.RangeIndex(len(rows)))
        problems: list[str] = []
        for field in self.descriptor(name)["schema"]["fields"]:
            column = field["name"]
            if column not in position:
                raise CourseDataError(f"{rel}, column {column!r}: missing from the header")
            cells = [row[position[column]] for row in rows]
            kind = field.get("type", "string")
            if kind in ("number", "integer"):
                values = []
                for index, cell in enumerate(cells):
                    where = f"{rel}, row {index + 1} (file line {index + 2}), column {column!r}"
                    values.append(self._number(cell, kind, field, where, problems))
                frame[column] = pd.array(values, dtype="float64" if kind == "number" else "Int64")
            elif kind == "boolean":
                truthy = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
                frame[column] = pd.array([pd.NA if c == "" else c in truthy for c in cells], dtype="boolean")
            else:
                frame[column] = pd.array([pd.NA if c == "" else c for c in cells], dtype="string")
        if problems:
            raise CourseDataError(self._summarise(name, problems))
        return frame

    @staticmethod
    def _number(cell: str, kind: str, field: dict[str, Any], where: str, problems: list[str]):
        if cell == "":
            return None
        try:
            value = float(cell) if kind == "number" else int(cell)
        except ValueError:
            problems.append(f"{where}: type-error: {cell!r} is not {'a number' if kind == 'number' else 'a whole number'}")
            return None
        if kind == "number" and not math.isfinite(value) and not field.get("allowNonFinite", False):
            problems.append(f"{where}: {cell!r} is not a finite number; leave the cell empty where no value is reported")
            return None
        return value

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
        if name in self._loading:
            loop = self._loading[self._loading.index(name):] + [name]
            referrer = self._loading[-1]
            raise CourseDataError(
                f"{self._relative(self.schemas_dir / (referrer + '.json'))}, column {self._reference_field(referrer, name)!r}: "
                f"its reference to table {name!r} closes a loop ({' → '.join(loop)}); tables may not refer to each other in a circle"
            )
        self._loading.append(name)
        try:
            for other in sorted(self.referenced_tables(name)):
                self.frame(other)  # referenced tables first, so their errors name their own file
            text = self._read_text(name)
            fingerprint = self.fingerprint(name)
            known_valid = self._known_valid(fingerprint)
            if not known_valid:
                self._check_quotes(name, text)
            frame = self._frame_from_rows(name, *self._parse(name, text))
            if not known_valid:
                messages = self._frictionless_errors({name} | self.referenced_tables(name))
                if messages:
                    raise CourseDataError(self._summarise(name, messages))
                problems = self._course_rule_errors(name, frame)
                if problems:
                    raise CourseDataError(self._summarise(name, problems))
                self._remember_valid(fingerprint)
        finally:
            self._loading.pop()
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
        path = self.questions_dir / f"{notebook}.json"
        rel = self._relative(path)
        if not path.exists():
            raise CourseDataError(f"no question bank {rel}")
        try:
            bank = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CourseDataError(f"{rel}, line {exc.lineno}: invalid JSON ({exc.msg})") from exc
        schema_bytes = self.question_schema_path.read_bytes()
        # Like a table, a bank checked once against its schema is not checked again (jsonschema
        # costs a kernel about 20 MB); the cheap checks below run on every load.
        fingerprint = hashlib.sha256(_LOADER_HASH.encode() + schema_bytes + path.read_bytes()).hexdigest()
        if not self._known_valid(fingerprint):
            import jsonschema

            validator = jsonschema.Draft202012Validator(json.loads(schema_bytes.decode("utf-8")))
            errors = sorted(validator.iter_errors(bank), key=lambda e: list(e.path))
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
        self._remember_valid(fingerprint)
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
