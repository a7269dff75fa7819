"""The data package: schema validity, keys, units, sources and evidence rows."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import course_data

TABLES = course_data.table_names()
EVIDENCE_FILES = {
    "mpk": "evidence-mechanism-pk.md",
    "ca": "evidence-combos-addiction.md",
    "hist": "evidence-history.md",
    "mod": "evidence-addendum-models.md",
    "rat": "ratings-and-sources.md",
}


def test_every_table_and_question_bank_validates():
    course_data.validate_all()


@pytest.mark.parametrize("name", TABLES)
def test_numeric_fields_have_units_and_sources(name):
    desc = course_data.descriptor(name)
    fields = {f["name"]: f for f in desc["schema"]["fields"]}
    numeric = [f for f in fields.values() if f.get("type") in ("number", "integer")]
    units = set(course_data.load("units")["id"])
    for field in numeric:
        assert field.get("unit") or field.get("unitField"), f"{name}.{field['name']} has no unit"
        if field.get("unit"):
            assert field["unit"] in units, f"{name}.{field['name']}: unit {field['unit']!r} not in units table"
    if numeric and desc.get("course", {}).get("numbersAreFacts", True):
        assert "source_id" in fields, f"{name} has numbers but no source_id column"
        assert fields["source_id"].get("constraints", {}).get("required"), f"{name}.source_id must be required"
        fk_fields = [fk["fields"] for fk in desc["schema"].get("foreignKeys", [])]
        assert ["source_id"] in fk_fields or "source_id" in fk_fields, f"{name}.source_id needs a foreign key to sources"


def _reference_row_ids(shared_dir) -> dict[str, set[str]]:
    ids = {}
    for key, filename in EVIDENCE_FILES.items():
        text = (shared_dir / "reference" / filename).read_text(encoding="utf-8")
        ids[key] = set(re.findall(r"^\|\s*\**([A-Z]+[0-9]+[a-z]?)\**\s*\|", text, flags=re.M)) | {"conventions"}
    return ids


def test_source_evidence_rows_exist_in_the_evidence_base(shared_dir):
    known = _reference_row_ids(shared_dir)
    missing = []
    for row in course_data.load("sources").itertuples():
        for ref in row.evidence_rows.split(";"):
            file_key, row_id = ref.split(":", 1)
            if file_key == "data":
                if not (shared_dir / "data" / row_id / "PROVENANCE.md").exists():
                    missing.append(f"{row.id}: {ref} (no ../shared/data/{row_id}/PROVENANCE.md)")
            elif file_key == "lit":  # read directly in a literature search: it must say where
                if row_id != row.id or not any(isinstance(v, str) and v for v in (row.doi, row.pmid, row.other_id)):
                    missing.append(f"{row.id}: {ref} (lit: needs the row's own id and a DOI, PMID or URL)")
            elif row_id not in known[file_key]:
                missing.append(f"{row.id}: {ref}")
    assert not missing, "evidence rows not found in ../shared/reference: " + ", ".join(missing)


def test_sources_are_citable():
    sources = course_data.load("sources")
    for row in sources.itertuples():
        if row.kind == "derived":
            assert isinstance(row.note, str) and ("=" in row.note or "→" in row.note), f"{row.id}: a DERIVED source must show its derivation in 'note'"
            assert row.evidence_status == "DERIVED", f"{row.id}: kind 'derived' must have status DERIVED"
        else:
            assert any(isinstance(v, str) and v for v in (row.doi, row.pmid, row.other_id, row.journal)), (
                f"{row.id}: needs a DOI, PMID, other identifier or journal"
            )


def test_unverified_sources_back_no_taught_number():
    status = course_data.load("sources").set_index("id")["evidence_status"]
    for name in TABLES:
        desc = course_data.descriptor(name)
        if desc.get("course", {}).get("allowUnverified"):
            continue
        frame = course_data.load(name)
        if "source_id" in frame:
            used = frame["source_id"].dropna()
            bad = [s for s in used if status.get(s) == "UNVERIFIED"]
            assert not bad, f"{name} teaches numbers from UNVERIFIED sources: {bad}"


def test_claims_point_at_real_seed_files(shared_dir):
    seeds = {p.name for p in (shared_dir / "seeds").glob("*.txt")}
    claims = course_data.load("claims")
    assert set(claims["seed_file"]) <= seeds
    enum = set(next(f for f in course_data.descriptor("claims")["schema"]["fields"] if f["name"] == "seed_file")["constraints"]["enum"])
    assert enum == seeds, "the claims schema must list exactly the seed files"


def test_facts_have_a_value_or_a_range():
    facts = course_data.load("facts")
    for row in facts.itertuples():
        has_value = not pd.isna(row.value)
        has_range = not pd.isna(row.value_low) and not pd.isna(row.value_high)
        assert has_value or has_range, f"fact {row.id} has neither a value nor a range"
        if has_range:
            assert row.value_low <= row.value_high, f"fact {row.id}: low > high"


def test_question_banks_cover_notebooks():
    from widgets.models.course_plan import NOTEBOOKS_DIR

    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        assert path.stem in course_data.question_banks(), f"{path.name} has no question bank"


def test_glossary_terms_are_unique_and_defined():
    glossary = course_data.load("glossary")
    assert glossary["term"].str.lower().is_unique
    assert (glossary["definition"].str.len() > 20).all()


def test_label_sources_follow_the_product_naming_convention():
    """Badges name a label by its product, taken from the id (<product>-label[-…])."""
    from widgets.evidence import short_citation

    labels = course_data.load("sources").query("kind == 'label'")
    for source_id in labels["id"]:
        assert re.match(r"^[a-z]+-label(-[a-z0-9-]+)?$", source_id), f"label source {source_id!r} must be named <product>-label[-…]"
    assert short_citation("spravato-label-bp") == "Spravato label"
    assert short_citation("ketalar-label") == "Ketalar label"
