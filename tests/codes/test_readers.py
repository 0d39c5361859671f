"""The official-file readers: tiny hand-made files for the rules, the real corpora for the counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from codedesk.codes.cpt import read_licensed_csv
from codedesk.codes.hcpcs import read_anweb
from codedesk.codes.icd10cm import (
    CodeFileError,
    apply_order_file,
    read_order_file,
    read_tabular,
    release_date_from_name,
)
from codedesk.codes.models import CodeSet, CodeSystem

from .conftest import CODE_LIST_2026, anweb_line, needs_corpus

TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2026</version>
  <chapter>
    <name>19</name>
    <desc>Injury, poisoning (S00-T88)</desc>
    <section id="S90-S99">
      <desc>Injuries to the ankle and foot (S90-S99)</desc>
      <diag>
        <name>S93</name>
        <desc>Dislocation and sprain of joints and ligaments at ankle, foot and toe level</desc>
        <codeAlso><note>any associated open wound</note></codeAlso>
        <sevenChrDef>
          <extension char="A">initial encounter</extension>
          <extension char="D">subsequent encounter</extension>
          <extension char="S">sequela</extension>
        </sevenChrDef>
        <diag>
          <name>S93.4</name>
          <desc>Sprain of ankle</desc>
          <excludes2><note>injury of Achilles tendon (S86.0-)</note></excludes2>
          <diag>
            <name>S93.40</name>
            <desc>Sprain of unspecified ligament of ankle</desc>
            <inclusionTerm><note>Sprained ankle NOS</note></inclusionTerm>
            <diag><name>S93.401</name><desc>Sprain of unspecified ligament of right ankle</desc></diag>
          </diag>
        </diag>
        <diag>
          <name>S93.5</name>
          <desc>Sprain of toe</desc>
        </diag>
      </diag>
    </section>
    <section id="T15">
      <desc>Effects of foreign body entering through natural orifice (T15)</desc>
      <diag><name>T15</name><desc>Foreign body on external eye</desc>
        <excludes1><note>foreign body in penetrating wound of orbit (S05.4-)</note></excludes1>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""


@pytest.fixture
def tabular(tmp_path: Path) -> dict:
    path = tmp_path / "icd10cm-tabular-April-2026.xml"
    path.write_text(TABULAR, encoding="utf-8")
    code_set = read_tabular(path, effective_on=date(2026, 4, 1))
    return {record.code: record for record in code_set.records}


def test_seventh_character_is_inherited_and_expands_leaves(tabular):
    assert {"S93.401A", "S93.401D", "S93.401S"} <= tabular.keys()
    assert tabular["S93.401A"].title == "Sprain of unspecified ligament of right ankle, initial encounter"
    assert tabular["S93.401A"].billable
    assert not tabular["S93.401"].billable
    assert [c.code for c in tabular["S93.401"].children] == ["S93.401A", "S93.401D", "S93.401S"]


def test_placeholder_x_pads_short_codes_to_six_characters(tabular):
    assert tabular["S93.5XXA"].parent.code == "S93.5"
    assert tabular["S93.5XXS"].title == "Sprain of toe, sequela"
    assert "S93.5" in tabular and not tabular["S93.5"].billable


def test_notes_are_kept_on_the_code_that_carries_them(tabular):
    assert tabular["S93"].notes.code_also == ["any associated open wound"]
    assert tabular["S93.4"].notes.excludes2 == ["injury of Achilles tendon (S86.0-)"]
    assert tabular["S93.40"].notes.inclusion_terms == ["Sprained ankle NOS"]
    assert [c.char for c in tabular["S93"].seventh_characters] == ["A", "D", "S"]


def test_hierarchy_runs_from_chapter_to_code(tabular):
    assert tabular["19"].level == "chapter" and not tabular["19"].billable
    assert [c.code for c in tabular["19"].children] == ["S90-S99", "T15"]
    assert tabular["S93"].parent.code == "S90-S99"
    # A section of one category is that category: no made-up section code.
    assert tabular["T15"].parent.code == "19" and tabular["T15"].billable


def test_a_file_that_is_not_tabular_xml_gets_a_clear_error(tmp_path):
    bad = tmp_path / "x.xml"
    bad.write_text("<html/>")
    with pytest.raises(CodeFileError, match=r"expected <ICD10CM.tabular>"):
        read_tabular(bad, effective_on=date(2026, 4, 1))
    broken = tmp_path / "y.xml"
    broken.write_text("<ICD10CM.tabular><chapter>")
    with pytest.raises(CodeFileError, match="not a readable"):
        read_tabular(broken, effective_on=date(2026, 4, 1))


def test_release_date_comes_from_the_official_file_names():
    assert release_date_from_name(Path("icd10cm-tabular-April-2026.xml")) == date(2026, 4, 1)
    assert release_date_from_name(Path("icd10c-tabular-April-1-2026.xml")) == date(2026, 4, 1)
    assert release_date_from_name(Path("tabular.xml")) is None


def order_line(order: int, code: str, billable: bool, short: str, long: str) -> str:
    return f"{order:05d} {code:<7} {int(billable)} {short:<60} {long}"


def test_order_file_gives_short_titles_and_billable_flags(tmp_path, tabular):
    path = tmp_path / "icd10cm-order-2026.txt"
    path.write_text(
        "\n".join(
            [
                order_line(
                    1, "S93401A", True, "Sprain of unsp ligament of right ankle, init", "Sprain of unspecified ..."
                ),
                order_line(
                    2, "S93", False, "Dislocation and sprain of joints and ligaments at ankl/ft lev", "Dislocation"
                ),
                order_line(3, "Z9999", True, "Not in the tabular", "Not in the tabular"),
            ]
        )
        + "\n",
        encoding="latin-1",
    )
    entries = list(read_order_file(path))
    assert entries[0].key == "S93401A" and entries[0].billable and entries[1].billable is False

    code_set = CodeSet(
        system=CodeSystem.ICD10CM, release="2026-04-01", effective_on=date(2026, 4, 1), records=list(tabular.values())
    )
    problems = apply_order_file(code_set, iter(entries))
    assert tabular["S93.401A"].short_title == "Sprain of unsp ligament of right ankle, init"
    assert problems == ["Z9999: in the order file but not in the tabular list"]


def test_order_file_with_a_broken_line_names_the_line(tmp_path):
    path = tmp_path / "order.txt"
    path.write_text(order_line(1, "A000", True, "Cholera", "Cholera") + "\nthis is not fixed width\n")
    with pytest.raises(CodeFileError, match=r"order.txt:2: not an order-file record"):
        list(read_order_file(path))


def test_anweb_joins_continuation_lines_and_reads_dates(tmp_path):
    path = tmp_path / "HCPC2019_CONTR_ANWEB.txt"
    lines = [
        "***Disclaimers",
        anweb_line(
            "   AD",
            "7",
            "Medical supervision by a physician: more than four concurrent anesthesia",
            "Md supervision, >4 anes proc",
            added="19840101",
            effective="20010101",
            action="N",
        ),
        anweb_line("   AD", "8", "procedures"),
        anweb_line(
            "G0008",
            "3",
            "Administration of influenza virus vaccine",
            "Admin influenza virus vac",
            added="19940101",
            effective="19960101",
            action="N",
        ),
        anweb_line(
            "C8904",
            "3",
            "Magnetic resonance imaging without contrast, breast; unilateral",
            "MRI breast",
            added="20080101",
            effective="20190101",
            terminated="20181231",
            action="D",
        ),
        anweb_line("   59", "7", "Made-up Level I text that must never be stored", added="20000101"),
    ]
    path.write_bytes("\r\n".join(lines).encode("iso-8859-1"))
    procedures, modifiers = read_anweb(path)
    assert procedures.system == CodeSystem.HCPCS and procedures.effective_on == date(2019, 1, 1)
    by_code = {r.code: r for r in procedures.records}
    assert by_code["G0008"].effective_from == date(1994, 1, 1) and by_code["G0008"].effective_to is None
    assert by_code["C8904"].effective_to == date(2018, 12, 31) and by_code["C8904"].action == "D"
    assert [m.code for m in modifiers.records] == ["AD"]  # the numeric (CPT) modifier is dropped
    assert modifiers.records[0].title.endswith("more than four concurrent anesthesia procedures")


def test_anweb_without_a_year_asks_for_the_release(tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text(anweb_line("G0008", "3", "Administration of influenza virus vaccine"))
    with pytest.raises(CodeFileError, match="give --release"):
        read_anweb(path)


def test_licensed_cpt_csv_is_read_with_made_up_titles(tmp_path):
    path = tmp_path / "cpt.csv"
    path.write_text(
        "Code,Descriptor,Short_Descriptor\n99999,Made-up office visit for tests,Made-up visit\n"
        "0001F,Made-up quality measure,\n"
    )
    code_set = read_licensed_csv(path, effective_on=date(2026, 1, 1))
    assert code_set.licensed and [r.code for r in code_set.records] == ["99999", "0001F"]
    assert code_set.records[0].descriptor == "licensed" and code_set.records[0].short_title == "Made-up visit"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Code,Words\n99999,x\n", "needs a column named descriptor"),
        ("Code,Descriptor\nABCDE,Made-up\n", r"cpt.csv:2: 'ABCDE' is not a CPT code"),
        ("", "the file is empty"),
    ],
)
def test_licensed_cpt_csv_errors_name_the_problem(tmp_path, text, message):
    path = tmp_path / "cpt.csv"
    path.write_text(text)
    with pytest.raises(CodeFileError, match=message):
        read_licensed_csv(path, effective_on=date(2026, 1, 1))


# ------------------------------------------------------------------------------ real corpora


class TestRealFiles:
    pytestmark = needs_corpus

    def test_april_2026_has_exactly_74719_billable_codes(self, icd_2026):
        assert icd_2026.billable_count() == 74_719

    def test_every_listed_code_is_found_with_the_right_billable_flag(self, icd_2026):
        listed = [line.strip() for line in CODE_LIST_2026.read_text().splitlines() if line.strip()]
        records = {r.code.replace(".", ""): r for r in icd_2026.records}
        assert not [code for code in listed if code not in records]
        # Billable = no child in the list (chapters and sections are never billable).
        codes = sorted({c for c in listed if "-" not in c and not c.isdigit()})
        leaves = {c for i, c in enumerate(codes) if not (i + 1 < len(codes) and codes[i + 1].startswith(c))}
        assert {k for k, r in records.items() if r.billable} == leaves

    def test_known_codes(self, icd_2026):
        records = {r.code: r for r in icd_2026.records}
        assert records["S93.401A"].billable
        assert not records["E11"].billable and "E11.9" in [c.code for c in records["E11"].children]
        assert records["U07.1"].billable and records["U07.1"].title == "COVID-19"
        # S06 codes with 6th character 7 or 8 (death before regaining consciousness) take only A.
        assert "S06.827A" in records and "S06.827D" not in records

    def test_hcpcs_2019_procedures_and_modifiers_with_dates(self, hcpcs_2019):
        procedures, modifiers = hcpcs_2019
        assert len(procedures.records) == 6440 and len(modifiers.records) == 360
        by_code = {r.code: r for r in procedures.records}
        assert by_code["J1100"].title == "Injection, dexamethasone sodium phosphate, 1 mg"
        assert by_code["G0008"].added_on == date(1994, 1, 1)
        assert by_code["A4466"].effective_to == date(2016, 12, 31)
        mods = {m.code: m for m in modifiers.records}
        assert mods["AD"].title == (
            "Medical supervision by a physician: more than four concurrent anesthesia procedures"
        )
        assert mods["AD"].effective_from == date(1984, 1, 1)
        assert all(not m.code.isdigit() for m in modifiers.records)
