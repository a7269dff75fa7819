"""A malformed data file fails with one clear error naming file, row and column."""

from __future__ import annotations

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
    path = package_copy.root / "tables/facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Drop the 'note' column (the last one) from every line.
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
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
