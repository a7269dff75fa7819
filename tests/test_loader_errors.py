"""A malformed data file fails with one clear error naming file, row and column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import course_data
from course_data import CourseDataError, DataPackage


@pytest.fixture
def package_copy(tmp_path, monkeypatch) -> DataPackage:
    root = tmp_path / "course_data"
    shutil.copytree(course_data.DATA_DIR, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setenv("COURSE_DATA_CACHE", str(tmp_path / "cache"))
    return DataPackage(root)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_intact_copy_loads(package_copy):
    assert len(package_copy.load("facts")) >= 5


def test_non_numeric_value_names_file_row_and_column(package_copy):
    _edit(package_copy.root / "tables/facts.csv", "237.7,,,g/mol", "abc,,,g/mol")
    with pytest.raises(CourseDataError) as info:
        package_copy.load("facts")
    message = str(info.value)
    assert "course_data/tables/facts.csv" in message
    assert "row 1 (file line 2)" in message
    assert "column 'value'" in message
    assert "type-error" in message


def test_dangling_source_id_is_named(package_copy):
    _edit(package_copy.root / "tables/facts.csv", "g/mol,ketamine-mw,", "g/mol,no-such-source,")
    with pytest.raises(CourseDataError) as info:
        package_copy.load("facts")
    message = str(info.value)
    assert "facts.csv" in message and "row 1 (file line 2)" in message
    assert "foreign-key" in message and "no-such-source" in message


def test_bad_unit_is_named(package_copy):
    _edit(package_copy.root / "tables/facts.csv", "237.7,,,g/mol", "237.7,,,grams per mol")
    with pytest.raises(CourseDataError) as info:
        package_copy.load("facts")
    message = str(info.value)
    assert "facts.csv" in message and "row 1 (file line 2)" in message
    assert "unit" in message and "grams per mol" in message


def test_missing_column_is_named(package_copy):
    import csv
    import io

    path = package_copy.root / "tables/facts.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:-1] for row in rows)  # drop the 'note' column (the last one)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(CourseDataError) as info:
        package_copy.load("facts")
    message = str(info.value)
    assert "facts.csv" in message and "note" in message and "missing" in message


def test_out_of_range_value_is_named(package_copy):
    _edit(package_copy.root / "tables/course_plan.csv", "00_start_here,Start here,30,", "00_start_here,Start here,-5,")
    with pytest.raises(CourseDataError) as info:
        package_copy.load("course_plan")
    message = str(info.value)
    assert "course_plan.csv" in message and "row 1 (file line 2)" in message and "column 'minutes'" in message


def test_unverified_source_cannot_back_a_number(package_copy):
    _edit(package_copy.root / "tables/sources.csv", ",VERIFIED,mpk:M1;", ",UNVERIFIED,mpk:M1;")
    with pytest.raises(CourseDataError) as info:
        package_copy.load("facts")
    assert "UNVERIFIED" in str(info.value) and "column 'source_id'" in str(info.value)


def test_unknown_list_reference_is_named(package_copy):
    path = package_copy.root / "tables/claims.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + 'C-test,000_f822bfdd07818480.txt,mechanism,A claim,,supported,ebert1997;nobody2099,Because.,02_nmda_receptor\n',
        encoding="utf-8",
    )
    with pytest.raises(CourseDataError) as info:
        package_copy.load("claims")
    message = str(info.value)
    assert "claims.csv" in message and "column 'evidence_source_ids'" in message and "nobody2099" in message


def test_malformed_question_bank_is_named(package_copy):
    _edit(package_copy.root / "questions/00_start_here.json", '"answer": 0,', '"answer": "zero",')
    with pytest.raises(CourseDataError) as info:
        package_copy.questions("00_start_here")
    assert "questions/00_start_here.json" in str(info.value) and "answer" in str(info.value)


def test_unknown_table_lists_known_ones(package_copy):
    with pytest.raises(CourseDataError, match="known tables"):
        package_copy.load("benzodiazepams")


def test_validation_result_is_cached_on_disk(package_copy, tmp_path):
    package_copy.load("facts")
    cached = list((tmp_path / "cache" / "validated").iterdir())
    assert cached, "a validated table should leave a cache marker"
    # An edit changes the fingerprint, so the broken file is still caught.
    _edit(package_copy.root / "tables/facts.csv", "237.7,,,g/mol", "abc,,,g/mol")
    with pytest.raises(CourseDataError):
        DataPackage(package_copy.root).load("facts")


def test_invalid_schema_constraint_is_a_course_error(package_copy):
    _edit(package_copy.root / "schemas/course_plan.json", '"minimum": 10', '"exclusiveMinimum": 10')
    with pytest.raises(CourseDataError) as info:
        package_copy.load("course_plan")
    assert "course_plan" in str(info.value)


def test_source_lookup_is_indexed(package_copy):
    assert package_copy.source("ebert1997")["pmid"] == "9311667"
    assert package_copy.source("ebert1997")["doi"] is None  # empty cells come back as None
    with pytest.raises(CourseDataError, match="unknown sources id 'nobody'"):
        package_copy.source("nobody")


# ------------------------------------------------ broken copies found by the robustness review (issue 16 §6)
def _load_error(package: DataPackage, table: str) -> str:
    with pytest.raises(CourseDataError) as info:
        package.load(table)
    return str(info.value)


def test_nan_literal_in_a_numeric_cell_is_named(package_copy):
    _edit(package_copy.root / "tables/facts.csv", "237.7,,,g/mol", "NaN,,,g/mol")
    message = _load_error(package_copy, "facts")
    assert "facts.csv, row 1 (file line 2), column 'value'" in message
    assert "'NaN' is not a finite number" in message and "leave the cell empty" in message


@pytest.mark.parametrize("token", ["INF", "inf", "Infinity", "-inf", "nan"])
def test_infinity_is_refused_where_the_field_has_a_minimum(package_copy, token):
    _edit(package_copy.root / "tables/benzodiazepine_equivalence.csv",
          "ashton-alprazolam,alprazolam,Ashton Manual (2002),0.5,", f"ashton-alprazolam,alprazolam,Ashton Manual (2002),{token},")
    message = _load_error(package_copy, "benzodiazepine_equivalence")
    assert "benzodiazepine_equivalence.csv, row 1 (file line 2), column 'dose_mg'" in message
    assert f"{token!r} is not a finite number" in message


def test_infinity_is_refused_everywhere_unless_the_field_allows_it(package_copy):
    _edit(package_copy.root / "tables/facts.csv", "237.7,,,g/mol", "inf,,,g/mol")
    assert "'inf' is not a finite number" in _load_error(package_copy, "facts")
    _edit(package_copy.root / "schemas/facts.json", '{"name": "value", "type": "number",', '{"name": "value", "type": "number", "allowNonFinite": true,')
    assert DataPackage(package_copy.root).load("facts")["value"].iloc[0] == float("inf")


def test_latin1_file_names_the_file_and_the_line(package_copy):
    path = package_copy.root / "tables/facts.csv"
    data = path.read_bytes()
    micro = "µ".encode("utf-8")
    path.write_bytes(data.replace(micro, b"\xb5", 1))  # one cell re-saved as Latin-1
    line = data[: data.index(micro)].count(b"\n") + 1
    message = _load_error(package_copy, "facts")
    assert f"course_data/tables/facts.csv, file line {line}" in message
    assert "0xb5 is not UTF-8" in message and "save it as UTF-8" in message


def test_missing_table_file_is_named(package_copy):
    (package_copy.root / "tables/facts.csv").unlink()
    message = _load_error(package_copy, "facts")
    assert "course_data/tables/facts.csv: file not found" in message and "schemas/facts.json" in message


def test_missing_referenced_table_names_that_table(package_copy):
    (package_copy.root / "tables/units.csv").unlink()
    assert "course_data/tables/units.csv: file not found" in _load_error(package_copy, "facts")


def test_reference_loop_between_schemas_is_named_not_recursed(package_copy):
    path = package_copy.root / "schemas/units.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["schema"]["foreignKeys"] = [{"fields": ["id"], "reference": {"resource": "facts", "fields": ["unit"]}}]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    message = _load_error(package_copy, "facts")
    assert "course_data/schemas/units.json, column 'id'" in message
    assert "closes a loop" in message and "units → facts" in message


def test_header_only_table_is_refused_unless_allowed(package_copy):
    path = package_copy.root / "tables/pk_models.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    message = _load_error(package_copy, "pk_models")
    assert "course_data/tables/pk_models.csv: has a header but no rows" in message
    schema = package_copy.root / "schemas/pk_models.json"
    descriptor = json.loads(schema.read_text(encoding="utf-8"))
    descriptor.setdefault("course", {})["allowEmpty"] = True
    schema.write_text(json.dumps(descriptor), encoding="utf-8")
    assert DataPackage(package_copy.root).load("pk_models").empty


def test_empty_file_is_named(package_copy):
    (package_copy.root / "tables/facts.csv").write_text("", encoding="utf-8")
    assert "facts.csv: the file is empty" in _load_error(package_copy, "facts")


@pytest.mark.parametrize(("old", "new", "problem"), [
    # a quote inside a cell that is not quoted
    ("(so 1 µM ≈ 237.7 ng/mL)", '(so 1 µM ≈ 237.7" ng/mL)', "a double quote inside a cell that is not quoted"),
    # text after a closing quote
    ("Molar mass of ketamine free base", '"Molar mass" of ketamine free base', "a quoted cell that is not closed, or has text after its closing quote"),
])
def test_unbalanced_quote_is_named(package_copy, old, new, problem):
    path = package_copy.root / "tables/facts.csv"
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    line = text[:at].count("\n") + 1
    assert f"facts.csv, file line {line}, column 'description': {problem}" in _load_error(package_copy, "facts")


def test_a_quote_that_is_never_closed_is_named(package_copy):
    path = package_copy.root / "tables/facts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + 'extra-fact,00_start_here,"a description that never ends,1,,,g/mol,ketamine-mw,\n', encoding="utf-8")
    line = text.count("\n") + 1
    message = _load_error(package_copy, "facts")
    assert f"facts.csv, file line {line}, column 'description': a quoted cell that is not closed" in message


def test_duplicate_header_is_reported_against_the_repeated_column(package_copy):
    _edit(package_copy.root / "tables/facts.csv", "unit,source_id,note\n", "unit,source_id,value\n")
    message = _load_error(package_copy, "facts")
    assert "header (file line 1), column 9 'value': repeats the name of column 4" in message


def test_a_broken_unit_fails_on_a_warm_cache_too(package_copy, tmp_path):
    """Validation of a table with fixed units reads units.csv, so units.csv is part of its cache key."""
    assert package_copy.load("benzodiazepine_equivalence")["dose_mg"].notna().all()
    assert list((tmp_path / "cache" / "validated").iterdir()), "the first load leaves the cache warm"
    units = package_copy.root / "tables/units.csv"
    lines = units.read_text(encoding="utf-8").splitlines(keepends=True)
    units.write_text("".join(line for line in lines if not line.startswith("mg,")), encoding="utf-8")
    message = _load_error(DataPackage(package_copy.root), "benzodiazepine_equivalence")
    assert "schemas/benzodiazepine_equivalence.json, column 'dose_mg': unit 'mg' is not an id in table 'units'" in message


def test_every_file_validation_reads_is_in_the_cache_key(package_copy):
    """The fingerprint covers the table, its schema and every table its validation reads."""
    names = {"benzodiazepine_equivalence"} | package_copy.referenced_tables("benzodiazepine_equivalence")
    assert {"units", "sources"} <= names
    before = package_copy.fingerprint("benzodiazepine_equivalence")
    for table in sorted(names):
        path = package_copy.root / "tables" / f"{table}.csv"
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert package_copy.fingerprint("benzodiazepine_equivalence") != before, f"{table}.csv is not in the key"
        path.write_bytes(original)
