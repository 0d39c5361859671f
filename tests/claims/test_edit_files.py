"""The NCCI edit files as CMS ships them (notices above the headings, tab-delimited, in a zip) and as
an operator imports them: `codedesk import ncci-ptp|mue|addon FILE`."""

from __future__ import annotations

from datetime import date

import pytest

from codedesk.claims.edit_files import EditFileError, PtpPeriod, read_edit_file
from codedesk.claims.importer import import_edit_file
from codedesk.claims.items import file_key, ptp_key
from codedesk.cli import main
from codedesk.content.view import LivePointer


def test_a_ptp_file_reads_past_its_notices_from_text_or_zip(edit_files):
    for path in (edit_files["ptp"], edit_files["ptp_zip"]):
        read = read_edit_file("ptp", path)
        assert read.quarter == "2026Q4" and read.rows == 4
        assert read.ptp[("10001", "10004")] == [PtpPeriod(date(2020, 1, 1), date(2025, 1, 1), "1")]
        assert read.ptp[("10001", "10002")][0].deleted_on is None
    assert read_edit_file("ptp", edit_files["ptp_zip"]).file_name == "ccipra-2026q4.zip:ccipra-v324r0-f1.txt"


def test_mue_and_add_on_files(edit_files):
    mue = read_edit_file("mue", edit_files["mue"])
    assert (mue.mue["10001"].units, mue.mue["10001"].indicator) == (1, "2")
    addon = read_edit_file("addon", edit_files["addon"])
    assert [p.code for p in addon.addon["10007"].primaries] == ["10001", "10005"]
    assert addon.addon["10008"].edit_type == "2" and addon.addon["10008"].primaries == []


def test_a_csv_saved_from_the_spreadsheet_reads_too(tmp_path):
    path = tmp_path / "mue.csv"
    path.write_text('HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n'
                    '10001,4,"3 Date of Service Edit: Clinical","Clinical: Data"\n')  # fmt: skip
    assert read_edit_file("mue", path, "2026q3").mue["10001"].units == 4


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("ptp", "Column 1\tColumn 2\tEffective Date\tDeletion Date\tModifier\n10001\t10002\t2025-13-45\t*\t1\n",
         ":2: effective date '2025-13-45' is not a date"),
        ("ptp", "Column 1\tColumn 2\tEffective Date\tDeletion Date\tModifier\n10001\t10002\t20250101\t*\t5\n",
         ":2: modifier indicator '5' is not 0, 1 or 9"),
        ("mue", "HCPCS/CPT Code\tPractitioner Services MUE Values\tMUE Adjudication Indicator\n10001\tmany\t1\n",
         ":2: MUE value 'many' is not a number of units"),
        ("mue", "Column 1\tColumn 2\tEffective Date\tDeletion Date\tModifier\n10001\t10002\t20250101\t*\t1\n",
         "no heading row with the Medically unlikely edits columns"),
        ("addon", "Add-on Code\tPrimary Code\tAOC Edit Type\n", "table has no rows"),
    ],
)  # fmt: skip
def test_a_wrong_file_is_refused_naming_the_line(tmp_path, kind, text, expected):
    path = tmp_path / "edits-2026Q4.txt"
    path.write_text(text)
    with pytest.raises(EditFileError) as refused:
        read_edit_file(kind, path)
    assert expected in str(refused.value) and str(path) in str(refused.value)


def test_the_quarter_comes_from_the_name_or_is_asked_for(tmp_path, edit_files):
    path = tmp_path / "ptp.txt"
    path.write_text(edit_files["ptp"].read_text())
    with pytest.raises(EditFileError, match="give --quarter"):
        read_edit_file("ptp", path)
    assert read_edit_file("ptp", path, "2027 Q1").quarter == "2027Q1"


def test_a_new_quarter_replaces_the_old_and_the_same_file_is_not_read_twice(table, edit_files, tmp_path):
    first, report = import_edit_file(table, "ptp", edit_files["ptp"], today=date(2026, 12, 6))
    assert first is not None and report.written == 5  # the file item and four pairs
    again, _ = import_edit_file(table, "ptp", edit_files["ptp"], today=date(2026, 12, 6))
    assert again is None
    smaller = tmp_path / "ptp-2027q1.txt"
    smaller.write_text("\n".join(edit_files["ptp"].read_text().splitlines()[:3]) + "\n")
    _, replaced = import_edit_file(table, "ptp", smaller, today=date(2027, 1, 2))
    assert replaced.unchanged == 1  # 10001/10002 stays as it was
    view = LivePointer(table).view()
    assert view.get(*ptp_key("10001", "10002")) is not None
    assert [view.get(*ptp_key("10001", code)) for code in ("10003", "10004")] == [None, None]
    assert view.get(*file_key("ptp"))["quarter"] == "2027Q1"


def test_the_command(table, edit_files, capsys, tmp_path):
    store = f"sqlite:///{table.path}"
    assert main(["import", "ncci-ptp", str(edit_files["ptp"]), "--store", store]) == 0
    assert "NCCI procedure-to-procedure edits 2026Q4: 4 rows" in capsys.readouterr().out
    assert main(["import", "ncci-ptp", str(edit_files["ptp"]), "--store", store]) == 0
    assert "already imported; 0 items written" in capsys.readouterr().out
    bad = tmp_path / "bad-2026q4.txt"
    bad.write_text("Column 1\tColumn 2\tEffective Date\tDeletion Date\tModifier\n10001\tBAD!\t20250101\t*\t1\n")
    assert main(["import", "ncci-ptp", str(bad), "--store", store]) == 1
    assert f"{bad}:2: column 2 'BAD!' is not a procedure code" in capsys.readouterr().err
    assert main(["import", "icd10cm", "--quarter", "2026Q4", "--store", store]) == 2
