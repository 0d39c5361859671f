"""Every `codedesk import` fails the same way: a problem of the file names the file and exits 1, and a
store that cannot take the import says what is still served and exits 1, never a traceback."""

from __future__ import annotations

import pytest

from codedesk.cli import main

# (command line before the file, the file's text, what the previous data is called)
IMPORTS = {
    "fees": (["fees", "--payer", "medicare-part-b-novitas"], "code,modifier,allowed\n99213,,110.00\n", "fee schedule"),
    "ncci-ptp": (["ncci-ptp", "--quarter", "2026Q4"], "not an edit file\n", "edit file"),
    "icd10cm-index": (["icd10cm-index"], "<ICD10CM.index></ICD10CM.index>", "index"),
    "carc": (["carc"], "Code,Description,Start Date,Last Modified,Stop Date\n1,own words,2000-01-01,,\n", "list"),
}


@pytest.mark.parametrize("name", IMPORTS)
def test_a_store_that_cannot_take_the_import_says_what_is_still_served(name, tmp_path, moto_dynamodb, capsys):
    args, text, previous = IMPORTS[name]
    path = tmp_path / "file.txt"
    path.write_text(text)
    # A table that does not exist: every read and write of the import fails in the store.
    code = main(["import", args[0], str(path), *args[1:], "--store", "dynamodb://no-such-table"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"import failed, the previous {previous} is still served" in err
    assert "Traceback" not in err


def test_a_file_the_reader_refuses_is_named(tmp_path, sqlite_table, capsys):
    path = tmp_path / "ptp.txt"
    path.write_text("no heading row here\n")
    code = main(["import", "ncci-ptp", str(path), "--quarter", "2026Q4", "--store", f"sqlite:///{sqlite_table.path}"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("codedesk import: ") and "ptp.txt" in err
