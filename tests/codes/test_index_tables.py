"""The CDC's ICD-10-CM index files read into rows (the FY2025 Table of Neoplasms, Table of Drugs and
External Cause Index, counts as data/README.md states them), and their codes checked against the
April 2026 tabular release a clinic has loaded."""

from __future__ import annotations

import pytest

from codedesk.codes.index_tables import IndexFileError, read_index_file

from .index_queries import DRUGS, EXTERNAL_CAUSE, INDEX_FOLDER, NEOPLASMS

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not INDEX_FOLDER.exists(), reason=f"ICD-10-CM index files not found in {INDEX_FOLDER}"),
]


def test_the_table_of_neoplasms_reads_site_by_behaviour():
    read = read_index_file(INDEX_FOLDER / NEOPLASMS)
    assert read.table == "neoplasms" and read.version == "2025" and read.columns[0] == "Malignant Primary"
    rows = read.rows
    # 10,916 cells in the file, of which 1,898 are "-" (no code for that behaviour at that site).
    assert sum(len(row.cells) for row in rows) == 10_916 - 1_898
    lung = next(row for row in rows if row.path == ["Neoplasm, neoplastic", "lung"])
    cells = {cell.column: cell.code for cell in lung.cells}
    assert cells["Malignant Primary"] == "C34.9-" and cells["Benign"] == "D14.3-"


def test_the_table_of_drugs_reads_substance_by_intent():
    read = read_index_file(INDEX_FOLDER / DRUGS)
    assert read.table == "drugs" and read.columns[-1] == "Underdosing"
    rows = read.rows
    # 43,212 cells in the file; the others are "--" (no adverse effect of a household chemical).
    assert sum(len(row.cells) for row in rows) == 40_026
    assert len([row for row in rows if len(row.path) == 1]) == 5_177
    propanol = next(row for row in rows if row.path == ["1-propanol"])
    assert [cell.code for cell in propanol.cells] == ["T51.3X1", "T51.3X2", "T51.3X3", "T51.3X4"]


def test_the_external_cause_index_keeps_see_also_and_nonessential_modifiers():
    read = read_index_file(INDEX_FOLDER / EXTERNAL_CAUSE)
    assert read.table == "external" and read.columns == []
    rows = read.rows
    assert len([row for row in rows if len(row.path) == 1]) == 314 and len(rows) == 8_064
    abandonment = rows[0]
    assert abandonment.path == ["Abandonment NEC"] and abandonment.code == "X58"
    assert abandonment.nonessential == "(causing exposure to weather conditions) (with intent to injure or kill)"
    aircraft = next(row for row in rows if row.path == ["Accident", "aircraft"])
    assert aircraft.see_also == "Accident, transport, aircraft"
    assert any(row.see for row in rows)


def test_a_file_that_is_not_an_index_is_named(tmp_path):
    wrong = tmp_path / "tabular.xml"
    wrong.write_text("<ICD10CM.tabular/>", encoding="utf-8")
    with pytest.raises(IndexFileError, match=r"tabular\.xml: not an ICD-10-CM index file"):
        read_index_file(wrong)


def test_every_published_item_fits_dynamodb_with_its_previous_version_beside_it():
    """Under 150 KB (the publisher keeps the previous version of an item until the next publish, and
    both must fit in DynamoDB's 400 KB): a main term with thousands of subterms is filed as several
    entries, down to the subterm ("Accident, transport, car occupant")."""
    import json

    from codedesk.codes.index_tables import index_items

    for name in (DRUGS, NEOPLASMS, EXTERNAL_CAUSE):
        items = list(index_items(read_index_file(INDEX_FOLDER / name)))
        assert max(len(json.dumps(item)) for item in items) < 150_000, name
    titles = {title for item in items for _, title, _ in item.get("entries", [])}
    assert "Accident, transport, car occupant" in titles and "Accident" in titles
