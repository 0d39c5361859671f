"""`codedesk import carc|rarc FILE`: an operator's licensed list completes the catalogue; our cards stay."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from codedesk.content.view import LivePointer
from codedesk.denials import service
from codedesk.denials.cli import import_official_list
from codedesk.denials.codes import CodeKind
from codedesk.denials.official_list import OfficialListError, read_official_list
from codedesk.store.sqlite import SqliteTable
from tests.denials.conftest import TODAY

# Descriptions are placeholders of our own: the real X12 text is licensed and not in this repository.
CARC_CSV = """Code,Description,Start Date,Last Modified,Stop Date
16,Operator text for sixteen,01/01/1995,2024-03-01,
42,Operator text for forty-two,1995-01-01,,2007-06-30
300,Operator text for a code we have no card for,2025-07-01,,
"""


def write(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_with_header_dates_and_deactivated_codes(tmp_path: Path) -> None:
    rows = read_official_list(write(tmp_path, CARC_CSV), CodeKind.CARC)
    assert [(row.code, row.start_date, row.stop_date) for row in rows] == [
        ("16", date(1995, 1, 1), None),
        ("42", date(1995, 1, 1), date(2007, 6, 30)),
        ("300", date(2025, 7, 1), None),
    ]
    assert rows[1].active_on(TODAY) is False and rows[0].active_on(TODAY) is True


def test_a_file_without_header_is_read_in_the_documented_column_order(tmp_path: Path) -> None:
    rows = read_official_list(write(tmp_path, "N290,Operator text,2008-01-01,,\nma130,Other text,,,\n"), CodeKind.RARC)
    assert [row.code for row in rows] == ["N290", "MA130"]


def test_every_bad_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    text = "code,description,start date,last modified,stop date\n16,ok,,,\nN290,a RARC in a CARC list,,,\n17,,,,\n18,x,31/31/2020,,\n16,again,,,\n"
    with pytest.raises(OfficialListError) as raised:
        read_official_list(write(tmp_path, text), CodeKind.CARC)
    problems = raised.value.problems
    assert [problem.split(":")[1] for problem in problems] == ["3", "4", "5", "6"]
    assert "is a RARC, not a CARC" in problems[0] and "no description" in problems[1]
    assert "not a date" in problems[2] and "listed again (first on line 2)" in problems[3]


def test_import_keeps_our_explanations_and_adds_the_official_text(
    published: SqliteTable, tmp_path: Path, capsys
) -> None:
    url = f"sqlite:///{published.path}"
    assert import_official_list("carc", [write(tmp_path, CARC_CSV)], url) == 0
    assert "3 codes (1 deactivated)" in capsys.readouterr().out
    view = LivePointer(SqliteTable(published.path)).view()

    card = service.get_card(view, "CO-16", TODAY)
    assert card.carded and card.action == "correct_and_resubmit"
    assert card.official.description == "Operator text for sixteen" and card.official.deactivated is False

    retired = service.get_card(view, "42", TODAY)
    assert retired.official.deactivated is True and retired.official.stop_date == date(2007, 6, 30)

    uncarded = service.get_card(view, "300", TODAY)
    assert uncarded.carded is False and uncarded.official.description.startswith("Operator text")


def test_reimporting_replaces_the_list_and_leaves_the_other_kind_alone(published: SqliteTable, tmp_path: Path) -> None:
    url = f"sqlite:///{published.path}"
    import_official_list("carc", [write(tmp_path, CARC_CSV)], url)
    import_official_list("rarc", [write(tmp_path, "N290,Operator rarc text,,,\n", "rarc.csv")], url)
    import_official_list("carc", [write(tmp_path, "16,Newer operator text,,,\n", "carc2.csv")], url)
    view = LivePointer(SqliteTable(published.path)).view()
    assert service.get_card(view, "16", TODAY).official.description == "Newer operator text"
    assert service.get_card(view, "N290", TODAY).official.description == "Operator rarc text"
    # With a list imported, a code missing from it is not a code at all (the list is the authority).
    with pytest.raises(
        Exception,
        match=r"300 is not a claim adjustment reason code \(CARC\): it is not in the official CARC list imported on .* \(1 code\)",
    ):
        service.get_card(view, "300", TODAY)


def test_a_bad_file_imports_nothing(published: SqliteTable, tmp_path: Path, capsys) -> None:
    assert import_official_list("carc", [write(tmp_path, "16,,,,\n")], f"sqlite:///{published.path}") == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert import_official_list("carc", [], f"sqlite:///{published.path}") == 2
