"""Lookup, search, code sets and release changes, through the service on a real (SQLite) store."""

from __future__ import annotations

from datetime import date

import pytest

from codedesk.codes import service
from codedesk.codes.importer import import_code_sets
from codedesk.codes.releases import ReleaseOrderError
from codedesk.errors import Invalid, NotFound

from .conftest import MINI_2025, MINI_2026

TODAY = date(2026, 11, 23)


def lookup(view, system, code, as_of=None):
    return service.lookup(view, system, code, as_of=as_of, today=TODAY)


@pytest.mark.parametrize("typed", ["E11.9", "e119", " e11.9 ", "E119"])
def test_exact_lookup_takes_any_spelling_in_one_round_trip(view, codes_store, typed):
    codes_store.stats.reset()
    answer = lookup(view, "icd10cm", typed)
    assert (answer.code, answer.billable, answer.status) == ("E11.9", True, "active")
    assert answer.title == "Type 2 diabetes mellitus without complications"
    assert answer.parent.code == "E11"
    assert codes_store.stats.round_trips == 1


def test_a_category_says_it_is_not_billable_and_what_to_choose(view):
    answer = lookup(view, "ICD10CM", "E11")
    assert not answer.billable and answer.level == "category"
    assert [c.code for c in answer.children] == ["E11.6", "E11.9"]
    assert answer.hint.startswith("E11 is a category, not billable: choose one of E11.6, E11.9")
    assert answer.notes.excludes1 == ["type 1 diabetes mellitus (E10.-)"]
    assert answer.notes.use_additional_code == ["insulin (Z79.4)"]


def test_notes_of_the_codes_above_come_with_the_code_in_the_same_round_trip(view, codes_store):
    codes_store.stats.reset()
    answer = lookup(view, "ICD10CM", "E11.621")
    assert codes_store.stats.round_trips == 1
    assert answer.notes.use_additional_code == ["code to identify site of ulcer (L97.4-L97.5-, L98.41-L98.49)"]
    assert [(i.code, i.notes.excludes1) for i in answer.inherited_notes] == [
        ("E11", ["type 1 diabetes mellitus (E10.-)"])
    ]


def test_a_code_carries_the_notes_of_its_section_and_chapter_in_the_same_read(view, codes_store):
    codes_store.stats.reset()
    answer = lookup(view, "ICD10CM", "S93.401A")
    assert codes_store.stats.round_trips == 1
    above = [(i.code, i.notes.excludes2) for i in answer.inherited_notes]
    assert above[-2:] == [
        ("S90-S99", ["burns and corrosions (T20-T32)"]),
        ("19", ["birth trauma (P10-P15)", "obstetric trauma (O70-O71)"]),
    ]
    assert answer.inherited_notes[-1].notes.general[0].startswith("Use secondary code(s) from Chapter 20")
    section = lookup(view, "ICD10CM", "S90-S99")
    assert [i.code for i in section.inherited_notes] == ["19"]


def test_seventh_character_codes_are_answered(view):
    answer = lookup(view, "ICD10CM", "s93401a")
    assert answer.code == "S93.401A" and answer.billable
    assert answer.title == "Sprain of unspecified ligament of right ankle, initial encounter"
    assert [c.char for c in lookup(view, "ICD10CM", "S93.401").seventh_characters] == ["A", "D", "S"]


def test_date_of_service_status_follows_the_releases(view):
    dropped = lookup(view, "ICD10CM", "I21.4", as_of=date(2025, 6, 1))
    assert dropped.status == "active" and dropped.effective_to == date(2026, 3, 31)
    assert lookup(view, "ICD10CM", "I21.4", as_of=date(2026, 5, 1)).status == "deleted"
    assert lookup(view, "ICD10CM", "I21.4").status == "deleted"  # today
    added = lookup(view, "ICD10CM", "I21.A1", as_of=date(2025, 6, 1))
    assert added.status == "not_yet_effective" and added.effective_from == date(2026, 4, 1)
    # A code present in both releases dates from the first one we imported, which it may predate.
    kept = lookup(view, "ICD10CM", "E11.621")
    assert kept.effective_from == kept.known_from == date(2025, 4, 1)
    assert added.known_from == date(2025, 4, 1)


def test_validity_before_the_first_release_loaded_is_unknown_not_invented(view):
    answer = lookup(view, "ICD10CM", "E11.9", as_of=date(2024, 6, 1))
    assert (answer.status, answer.billable) == ("unknown", False)
    assert "Unknown before 2025-04-01, the first ICD10CM release loaded" in answer.status_note
    assert "codedesk import icd10cm FILE" in answer.status_note
    assert lookup(view, "ICD10CM", "I21.A1", as_of=date(2024, 6, 1)).status == "unknown"


def test_a_change_between_loaded_releases_is_unknown_from_the_release_not_loaded(view):
    # April 2025 and April 2026 are loaded; the October 2025 release (not loaded) may have made the change.
    added = lookup(view, "ICD10CM", "I21.A1", as_of=date(2025, 12, 15))
    assert added.status == "unknown" and "between 2025-10-01 and 2026-04-01" in added.status_note
    assert lookup(view, "ICD10CM", "I21.A1", as_of=date(2025, 9, 30)).status == "not_yet_effective"
    dropped = lookup(view, "ICD10CM", "I21.4", as_of=date(2025, 12, 15))
    assert dropped.status == "unknown" and "left the code set" in dropped.status_note
    assert lookup(view, "ICD10CM", "I21.4", as_of=date(2025, 9, 30)).billable is True
    # A code both releases hold is valid all along.
    assert lookup(view, "ICD10CM", "E11.621", as_of=date(2025, 12, 15)).status == "active"


def test_a_revised_code_answers_the_title_in_force_on_the_date_of_service(view):
    assert lookup(view, "ICD10CM", "E11.9", as_of=date(2025, 6, 1)).title == (
        "Type 2 diabetes mellitus without complication"
    )
    assert lookup(view, "ICD10CM", "E11.9").title == "Type 2 diabetes mellitus without complications"


def test_unknown_code_gives_404_with_suggestions(view):
    with pytest.raises(NotFound) as raised:
        lookup(view, "ICD10CM", "E11.99")
    assert "ICD10CM has no code E11.99" in raised.value.message
    assert raised.value.details[0]["code"] == "E11.9"


@pytest.mark.parametrize(
    ("system", "code", "message"),
    [
        ("ICD10CM", "E11;9", "is not a code"),
        ("ICD9", "250.00", "is not a code system"),
    ],
)
def test_bad_input_is_invalid_not_an_error(view, system, code, message):
    with pytest.raises(Invalid, match=message):
        lookup(view, system, code)


def test_curated_codes_keep_official_and_our_words_apart(view):
    j_code = lookup(view, "HCPCS", "j1100")
    assert j_code.title == "Injection, dexamethasone sodium phosphate, 1 mg" and j_code.descriptor == "official"
    visit = lookup(view, "CPT", "99213")
    assert visit.descriptor == "our_words" and "(our words)" in visit.title
    modifier = lookup(view, "MODIFIER", "25")
    assert modifier.descriptor == "our_words" and modifier.explanation
    assert lookup(view, "POS", "11").title == "Office"


def test_changes_between_releases(view):
    changes = service.changes(view, "icd10cm", "2026-04-01")
    assert changes.previous_release == "2025-04-01"
    assert [c.code for c in changes.added] == ["I21.A1"]
    assert [c.code for c in changes.deleted] == ["I21.4"]
    assert [(r.code, r.old_title, r.new_title) for r in changes.revised] == [
        ("E11.9", "Type 2 diabetes mellitus without complication", "Type 2 diabetes mellitus without complications")
    ]
    assert service.changes(view, "ICD10CM", None).release == "2026-04-01"


def test_changes_of_a_release_without_any_say_which_releases_have_them(view):
    with pytest.raises(NotFound, match="Releases with changes: 2026-04-01"):
        service.changes(view, "ICD10CM", "2025-04-01")
    with pytest.raises(NotFound, match=r"2026-10-01\. It is not loaded: run `codedesk import icd10cm FILE`"):
        service.changes(view, "ICD10CM", "2026-10-01")
    with pytest.raises(NotFound, match="No HCPCS release has been imported"):
        service.changes(view, "HCPCS", None)


def test_code_sets_list_every_system(view):
    listed = {s.system: s for s in service.code_sets(view, {}).items}
    assert listed["ICD10CM"].release == "2026-04-01" and listed["ICD10CM"].source == "official file"
    assert listed["ICD10CM"].releases == ["2025-04-01", "2026-04-01"]
    # E11.621 E11.9 I10 I21.9 I21.A1 S93.401A S93.401D S93.401S U07.1; the dropped I21.4 no longer counts
    assert listed["ICD10CM"].billable_codes == 9
    assert listed["HCPCS"].source == "curated list" and listed["CPT"].licensed is False
    assert set(listed) == {"ICD10CM", "HCPCS", "CPT", "MODIFIER", "POS"}


def test_reimporting_the_same_file_writes_nothing(codes_store):
    report = import_code_sets(codes_store, "icd10cm", [MINI_2026])
    assert report.unchanged


def test_an_older_release_after_a_newer_one_is_refused(codes_store, tmp_path):
    older = tmp_path / "mini-tabular-April-2024.xml"
    older.write_text(MINI_2025.read_text())
    with pytest.raises(ReleaseOrderError, match="import releases oldest first"):
        import_code_sets(codes_store, "icd10cm", [older])


def test_a_new_release_writes_in_proportion_to_what_changed(published):
    first = import_code_sets(published, "icd10cm", [MINI_2025]).publish
    second = import_code_sets(published, "icd10cm", [MINI_2026]).publish
    assert second.written < first.written / 2
    assert second.unchanged > 0


def test_a_suggestion_from_another_code_system_names_its_system(view):
    with pytest.raises(NotFound) as raised:
        lookup(view, "HCPCS", "E11.9")
    assert "HCPCS has no code E11.9. Did you mean ICD10CM E11.9" in raised.value.message
