"""The claim check as a coder meets it: each edit names the rule, the codes, a fix, the denial it
would cause and where to learn the rule; a clean claim says what was checked."""

from __future__ import annotations

from datetime import date

import pytest

from codedesk.claims.importer import import_edit_file
from codedesk.claims.models import ClaimCheckRequest
from codedesk.claims.service import check_claim
from codedesk.content.view import LivePointer
from tests.claims.conftest import needs_icd

pytestmark = needs_icd


def claim(diagnoses, lines, *, age=45, payer_id=None, on="2026-11-02"):
    return ClaimCheckRequest.model_validate(
        {
            "date_of_service": on,
            "patient": {"age": age, "sex": "female"},
            "payer_id": payer_id,
            "diagnoses": diagnoses,
            "lines": [
                {"code": code, "modifiers": modifiers, "units": units}
                for code, modifiers, units in ((*line, 1) if len(line) == 2 else line for line in lines)
            ],
        }
    )


def rules(answer, severity=None):
    return [(e.rule, tuple(e.codes)) for e in answer.edits if severity is None or e.severity == severity]


def with_edit_files(store, edit_files):
    for kind in ("ptp", "mue", "addon"):
        import_edit_file(store, kind, edit_files[kind], today=date(2026, 12, 6))
    return LivePointer(store).view()


def test_type_1_and_type_2_diabetes_together_is_an_excludes1_error(claims_view):
    answer = check_claim(claims_view, claim(["E11.9", "E10.9"], [("99213", [])]))
    edit = next(e for e in answer.edits if e.rule == "dx_excludes1")
    assert edit.severity == "error" and set(edit.codes) == {"E11.9", "E10.9"}
    assert edit.denial.code == "CO-11" and edit.denial.url == "/denials/carc/11/"
    assert edit.topic.quiz_url == "/quizzes/take/?quiz=coder" and "I.A.12.a" in edit.source


def test_a_header_a_typo_and_a_missing_code_are_errors_that_say_what_to_do(claims_view):
    answer = check_claim(claims_view, claim(["E11", "E11.99"], [("99213", [])]))
    assert ("dx_not_billable", ("E11",)) in rules(answer, "error")
    assert ("dx_not_a_code", ("E11.99",)) in rules(answer, "error")
    header = next(e for e in answer.edits if e.rule == "dx_not_billable")
    assert "billable code below it" in header.fix


def test_a_manifestation_listed_first_is_an_error_and_its_etiology_is_asked_for(claims_view):
    first = check_claim(claims_view, claim(["F02.80", "G30.9"], [("99213", [])]))
    assert ("dx_manifestation_first", ("F02.80",)) in rules(first, "error")
    assert ("dx_sequence", ("F02.80",)) in rules(first, "warning")
    right = check_claim(claims_view, claim(["G30.9", "F02.80"], [("99213", [])]))
    assert not [r for r in rules(right) if r[0] in {"dx_manifestation_first", "dx_code_first", "dx_sequence"}]
    alone = check_claim(claims_view, claim(["I10", "F02.80"], [("99213", [])]))
    assert ("dx_code_first", ("F02.80",)) in rules(alone, "warning")


def test_an_excludes1_note_naming_the_code_is_an_error_even_across_chapters(claims_view):
    # G63 excludes "polyneuropathy in diabetes mellitus (E08-E13 with .42)": E11.42 alone says it all.
    answer = check_claim(claims_view, claim(["E11.42", "G63"], [("99213", [])]))
    assert ("dx_excludes1", ("G63", "E11.42")) in rules(answer, "error")


def test_an_external_cause_code_is_never_first_listed(claims_view):
    answer = check_claim(claims_view, claim(["W01.0XXA", "S52.501A"], [("99213", [])]))
    assert ("dx_external_cause_first", ("W01.0XXA",)) in rules(answer, "error")
    fine = check_claim(claims_view, claim(["S52.501A", "W01.0XXA"], [("99213", [])]))
    assert "dx_external_cause_first" not in [rule for rule, _ in rules(fine)]


def test_pregnancy_codes_on_a_newborn_and_a_birth_code_on_a_child_are_wrong_record_errors(claims_view):
    newborn = check_claim(claims_view, claim(["O24.410"], [("99213", [])], age=0))
    edit = next(e for e in newborn.edits if e.rule == "dx_wrong_record")
    assert edit.severity == "error" and edit.denial.code == "CO-9" and "chapter 15" in edit.source
    child = check_claim(claims_view, claim(["Z38.00"], [("99213", [])], age=4))
    assert ("dx_wrong_record", ("Z38.00",)) in rules(child, "error")
    mother_and_baby = check_claim(claims_view, claim(["O80", "P70.2"], [("99213", [])], age=28))
    assert ("dx_wrong_record", ("O80", "P70.2")) in rules(mother_and_baby, "error")
    adult = check_claim(claims_view, claim(["O24.410"], [("99213", [])], age=31))
    assert "dx_wrong_record" not in [rule for rule, _ in rules(adult)]


def test_use_additional_code_is_a_reminder_until_the_code_is_there(claims_view):
    without = check_claim(claims_view, claim(["E11.9"], [("99213", [])]))
    assert ("dx_use_additional_code", ("E11.9",)) in rules(without, "info")
    # E11's note names insulin use (Z79.4); with it on the claim the reminder goes.
    with_it = check_claim(claims_view, claim(["E11.9", "Z79.4"], [("99213", [])]))
    assert ("dx_use_additional_code", ("E11.9",)) not in rules(with_it)


def test_without_edit_files_a_clean_claim_says_what_was_and_was_not_checked(claims_view):
    answer = check_claim(claims_view, claim(["I10"], [("99213", [])]))
    assert rules(answer, "error") == []
    said = " ".join(answer.checked)
    assert "ICD-10-CM: release 2026-04-01" in said
    assert "NCCI procedure-to-procedure edits: not loaded" in said and "codedesk import ncci-ptp FILE" in said
    assert "no licensed CPT file" in said and "Sex edits: not applied" in said


def test_ncci_pairs_follow_the_modifier_indicator_and_the_dates(claims_store, edit_files):
    view = with_edit_files(claims_store, edit_files)
    unmodified = check_claim(view, claim(["I10"], [("10001", []), ("10002", [])]))
    edit = next(e for e in unmodified.edits if e.rule == "ncci_ptp")
    assert edit.severity == "error" and edit.codes == ["10001", "10002"] and edit.denial.code == "CO-236"
    assert "2026Q4" in edit.source
    bypassed = check_claim(view, claim(["I10"], [("10001", []), ("10002", ["XS"])]))
    assert ("ncci_ptp_bypassed", ("10001", "10002", "XS")) in rules(bypassed, "info")
    assert "ncci_ptp" not in [rule for rule, _ in rules(bypassed)]
    never = check_claim(view, claim(["I10"], [("10001", []), ("10003", ["59"])]))
    assert ("ncci_ptp", ("10001", "10003")) in rules(never, "error")
    # 10001/10004 was deleted on 2025-01-01: in force for a 2024 visit, not for a 2026 one.
    assert ("ncci_ptp", ("10001", "10004")) not in rules(
        check_claim(view, claim(["I10"], [("10001", []), ("10004", [])]))
    )
    old = check_claim(view, claim(["I10"], [("10001", []), ("10004", [])], on="2024-06-03"))
    assert ("ncci_ptp", ("10001", "10004")) in rules(old, "error")
    assert "ncci_ptp" not in [r for r, _ in rules(check_claim(view, claim(["I10"], [("10005", []), ("10006", [])])))]


@pytest.mark.parametrize(
    "lines, expected",
    [
        ([("10001", [], 1), ("10001", ["RT"], 1)], "2 units of 10001 on the date of service"),  # per day
        ([("10002", [], 2), ("10002", ["59"], 2)], None),  # per line: 2 and 2 are each within 2
        ([("10002", [], 3)], "3 units of 10002 on one line"),
        ([("10003", [], 4)], "may be paid on appeal"),
    ],
)
def test_medically_unlikely_edits_count_units_per_line_or_per_day(claims_store, edit_files, lines, expected):
    view = with_edit_files(claims_store, edit_files)
    answer = check_claim(view, claim(["I10"], lines))
    found = [e for e in answer.edits if e.rule == "mue"]
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0].message and found[0].denial.code == "CO-151"


def test_an_add_on_code_needs_its_primary(claims_store, edit_files):
    view = with_edit_files(claims_store, edit_files)
    alone = check_claim(view, claim(["I10"], [("10007", [])]))
    edit = next(e for e in alone.edits if e.rule == "addon_without_primary")
    assert edit.severity == "error" and "10001, 10005" in edit.message and edit.denial.code == "CO-107"
    paired = check_claim(view, claim(["I10"], [("10005", []), ("10007", [])]))
    assert "addon_without_primary" not in [rule for rule, _ in rules(paired)]
    contractor = check_claim(view, claim(["I10"], [("10008", [])]))
    assert ("addon_code", ("10008",)) in rules(contractor, "info")
    assert "2026Q4 (ptp-2026q4.txt, 4 rows)" in " ".join(check_claim(view, claim(["I10"], [("10001", [])])).checked)


def test_medicare_g2211_goes_with_a_visit_and_not_with_modifier_25(claims_view):
    payer = "medicare-part-b-novitas"
    alone = check_claim(claims_view, claim(["I10"], [("G2211", [])], payer_id=payer))
    assert ("payer_paid_with", ("G2211",)) in rules(alone, "error")
    with_visit = check_claim(claims_view, claim(["I10"], [("99213", []), ("G2211", [])], payer_id=payer))
    assert not [r for r in rules(with_visit) if r[0].startswith("payer_") and "G2211" in r[1]]
    home_visit = check_claim(claims_view, claim(["I10"], [("99348", []), ("G2211", [])], payer_id=payer))
    assert "payer_paid_with" not in [rule for rule, _ in rules(home_visit)]
    # Before 2026 a home visit was not one G2211 went with.
    home_2025 = check_claim(
        claims_view, claim(["I10"], [("99348", []), ("G2211", [])], payer_id=payer, on="2025-06-02")
    )
    assert ("payer_paid_with", ("G2211",)) in rules(home_2025, "error")
    with_25 = check_claim(claims_view, claim(["I10"], [("99213", ["25"]), ("G2211", [])], payer_id=payer))
    edit = next(e for e in with_25.edits if e.rule == "payer_modifier")
    assert edit.severity == "warning" and "AWV" in edit.message and "CMS-1832-F" in edit.source


def test_modifier_25_belongs_on_a_visit_and_59_not_on_one(claims_view):
    answer = check_claim(claims_view, claim(["I10"], [("G0008", ["25"]), ("99213", ["59"])]))
    assert ("modifier_25_not_e_m", ("G0008", "25")) in rules(answer, "error")
    assert ("modifier_59_on_e_m", ("99213", "59")) in rules(answer, "warning")


def test_errors_come_first(claims_view):
    answer = check_claim(claims_view, claim(["E11.9", "E10.9", "E11"], [("99213", [])]))
    order = [e.severity for e in answer.edits]
    assert order == sorted(order, key=["error", "warning", "info"].index)


def test_the_check_reads_only_what_the_claim_names_in_three_batch_gets(claims_store, edit_files):
    view = with_edit_files(claims_store, edit_files)
    calls = []
    table = view.table

    class Counting:
        def __getattr__(self, name):
            attribute = getattr(table, name)
            if callable(attribute):
                return lambda *a, **k: (calls.append(name), attribute(*a, **k))[1]
            return attribute

    counted = LivePointer(table).view()
    counted.table = Counting()
    diagnoses = ["E11.9", "E10.9", "I10", "J18.9", "Z79.4", "E11.42", "G63", "S52.501A", "W01.0XXA", "E13.9",
                 "E08.9", "O24.410"]  # fmt: skip
    lines = [(f"1000{n}", []) for n in range(1, 9)] + [("99213", []), ("G2211", []), ("G0008", []), ("99214", [])]
    check_claim(counted, claim(diagnoses, lines, payer_id="medicare-part-b-novitas"))
    assert calls.count("batch_get") == 3 and set(calls) <= {"batch_get", "get"}
    assert calls.count("get") == 1  # the payer's sheet


def test_a_date_before_the_loaded_releases_is_unknown_not_invalid(claims_view):
    # Only April 2026 is loaded here: a 2019 visit cannot be judged, and the check says so.
    answer = check_claim(claims_view, claim(["E11.9"], [("99213", [])], on="2019-03-04"))
    edit = next(e for e in answer.edits if e.codes == ["E11.9"] and "validity" in e.rule)
    assert edit.severity == "warning" and "cannot tell" in edit.message
    assert "dx_not_valid_on_date" not in [rule for rule, _ in rules(answer)]
