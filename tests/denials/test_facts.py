"""The corrected denial facts as a biller reads them: through the API (the Lambda handler) and on the
generated denial pages. Content truth is checked where a person meets it, not in the YAML."""

from __future__ import annotations

import re

import pytest

from codedesk.catalog import read_content
from codedesk.denials.api import handler
from codedesk.denials.models import CarcFile, RarcFile
from codedesk.denials.pages import site_pages
from tests.events import call

BILLER = {"user": "bea", "groups": ("biller",)}
MEDICARE, COMMERCIAL, MEDICAID = "medicare-part-b-novitas", "aetna-commercial", "new-york-medicaid"
BUNDLE = read_content()
PAGES = site_pages(BUNDLE)


@pytest.fixture(autouse=True)
def _store(api_store):
    return api_store


def explain(codes: str, payer: str | None = None) -> dict:
    query = {"codes": codes} | ({"payer": payer} if payer else {})
    reply = call(handler, "GET", "/api/denials/explain", query=query, **BILLER)
    assert reply.status == 200, reply.body
    return reply.body


def steps_of(answer: dict) -> str:
    return "\n".join(step["text"] for step in answer["next_steps"])


# ----------------------------------------------------------------- CO-29: appeal depends on the payer


def test_a_late_claim_at_medicare_is_not_appealable() -> None:
    answer = explain("CO-29", MEDICARE)
    reason = answer["reasons"][0]
    assert answer["payer_type"] == "medicare"
    assert reason["appealable"] is False
    assert "no appeal rights" in reason["appeal_words"] and "424.44(b)" in reason["appeal_words"]
    assert answer["action"] == "write_off" and "Appeal" not in (answer["action_words"] or "")
    assert not re.search(r"\bappeal (it|with)\b", steps_of(answer), re.I)
    assert any(note["code"] == "CO-29" for note in answer["payer_notes"])


def test_a_late_claim_at_a_commercial_payer_depends_on_proof_of_timely_filing() -> None:
    reason = explain("CO-29", COMMERCIAL)["reasons"][0]
    assert reason["appealable"] is True and "proof of timely filing" in reason["appeal_words"]


def test_without_a_payer_a_late_claim_says_it_depends_on_the_payer() -> None:
    answer = explain("CO-29")
    reason = answer["reasons"][0]
    assert reason["appealable"] is None and reason["appeal_words"].startswith("Depends on the payer and your contract")
    assert "Whether 29 can be appealed depends on the payer" in steps_of(answer)
    assert {rule["payer_type"] for rule in reason["appeal_by_payer_type"]} == {"medicare", "commercial"}


def test_a_payer_type_without_its_own_rule_is_not_told_yes_or_no() -> None:
    reason = explain("CO-29", MEDICAID)["reasons"][0]
    assert reason["appealable"] is None and "Medicaid payer's rules" in reason["appeal_words"]


def test_the_card_alone_does_not_claim_a_late_claim_is_appealable() -> None:
    card = call(handler, "GET", "/api/denials/29", **BILLER).body
    assert card["appealable"] is None and card["appeal_words"].startswith("Depends on the payer")


def test_the_timely_filing_page_answers_appeal_per_kind_of_payer_with_sources() -> None:
    page = PAGES["denials/carc/29.md"]
    assert "| **Can it be appealed?** | Depends on the payer and your contract with it" in page
    assert "**Medicare** — no appeal: Medicare gives a late claim no appeal rights" in page
    assert "source: 42 CFR 424.44(b)" in page and "reviewed 2026-12-06" in page
    assert "**Commercial** — can be appealed" in page


# -------------------------------------------------- CO amounts are the clinic's unless reprocessed as PR


@pytest.mark.parametrize("codes", ["CO-50", "CO-96", "CO-119", "CO-204", "CO-96,N130"])
def test_a_co_line_is_never_billed_to_the_patient_without_a_pr_reprocessing(codes: str) -> None:
    answer = explain(codes)
    steps = steps_of(answer)
    carc = codes.split(",")[0].removeprefix("CO-")
    assert answer["action"] != "bill_patient"
    assert (
        f"Under CO-{carc} the clinic carries the amount" in steps or "Do not bill the patient for a CO-50 line" in steps
    )
    assert f"PR-{carc}" in steps and "GA" in steps and "reopening" in steps
    if carc != "50":  # the cards that bill the patient under PR: the answer says why not under CO
        assert answer["action"] == "write_off" and any("may not be billed" in note for note in answer["notes"])


@pytest.mark.parametrize("codes", ["CO-96,N130", "CO-119,N130", "CO-204,N130"])
def test_n130_with_its_reason_says_the_co_rule_once(codes: str) -> None:
    answer = explain(codes)
    steps = [step["text"] for step in answer["next_steps"]]
    assert answer["action"] == "write_off"
    assert len([step for step in steps if "may be billed" in step]) == 1
    assert "Under CO the clinic carries the amount" in answer["remarks"][0]["meaning"]


def test_co50_explains_abn_and_ga_and_the_reopening_route() -> None:
    answer = explain("CO-50")
    reason = answer["reasons"][0]
    assert "PR-50" in reason["meaning"]
    assert any("Modifier GA" in fact["text"] for fact in reason["statements"])
    assert "If the ABN was signed but GA was left off, ask for a reopening to add GA" in steps_of(answer)
    page = PAGES["denials/carc/50.md"]
    assert "PR-50" in page and "reopening to add GA" in page


# ------------------------------------------------------------------------------ duplicates (18)


@pytest.mark.parametrize("codes", ["CO-18", "OA-18"])
def test_a_duplicate_is_explained_the_same_under_either_group(codes: str) -> None:
    answer = explain(codes)
    reason = answer["reasons"][0]
    assert "OA-18" in reason["meaning"] and "CO-18" in reason["meaning"]
    steps = steps_of(answer)
    assert "ask for a reopening" in steps and "not a second claim" in steps
    assert "appeal the original claim" in steps
    assert any("405.980" in fact["source"] and "appeal rights" in fact["text"] for fact in reason["statements"])


# -------------------------------------------------------------------------------------- CARC 4


def test_carc_4_covers_a_wrong_modifier_and_a_missing_one() -> None:
    card = call(handler, "GET", "/api/denials/4", **BILLER).body
    assert "cannot be used with this procedure code" in card["meaning"]
    assert "needs a modifier the line does not carry" in card["meaning"]


# ------------------------------------------------------------------------ CO-16: new or corrected


def test_co16_at_medicare_is_a_new_claim_and_a_processed_claim_is_a_reopening() -> None:
    answer = explain("CO-16,MA130", MEDICARE)
    reason = answer["reasons"][0]
    assert reason["appealable"] is False
    steps = steps_of(answer)
    assert "send a new claim with the corrected data" in steps
    assert "replacement claim (frequency code 7)" in steps
    assert steps.index("Read the other remark codes") < steps.index("Read the remark code(s)")
    page = PAGES["denials/carc/16.md"]
    assert "unprocessable" in page and "frequency code 7" in page and "reopening" in page


# ---------------------------------------------------------------------------------- order of steps


def test_the_fix_comes_before_the_write_off_and_the_group_advice_is_last() -> None:
    answer = explain("CO-97")
    steps = [step["text"] for step in answer["next_steps"]]
    assert answer["next_steps"][0]["from_code"] == "97" and answer["next_steps"][-1]["from_code"] == "CO"
    assert "add the right modifier" in steps[1]
    assert steps[-1].startswith("What the reason's steps do not recover, post as a contractual adjustment")


def test_a_step_two_cards_share_is_said_once() -> None:
    steps = [step["text"].lower().rstrip(".") for step in explain("CO-16,N290,N286")["next_steps"]]
    assert len(steps) == len(set(steps))


_RARCS = BUNDLE.one(RarcFile).cards
_CARDED_CARCS = {card.code for card in BUNDLE.one(CarcFile).cards}
# Every remark beside each reason it usually comes with, as a CO line of a remit shows them.
REMARK_WITH_REASON = [
    f"CO-{carc},{remark.code}" for remark in _RARCS for carc in remark.related_codes if carc in _CARDED_CARCS
]
_FILLER = frozenset("the a an and or of to if it on for with is be its that this was were are".split())
_SETTLE = re.compile(r"write (it |the amount |them )?off|otherwise write", re.IGNORECASE)
_FIX = re.compile(r"\b(resubmit|add (the|a)\b|correct\b|send a (new|corrected)|rebill|reopening)", re.IGNORECASE)


def _three_word_runs(text: str) -> set[tuple[str, ...]]:
    words = [word for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in _FILLER]
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


@pytest.mark.parametrize("codes", REMARK_WITH_REASON)
def test_a_remark_and_its_reason_read_as_one_list_without_repeats(codes: str) -> None:
    """The remark's and the reason's steps are not the same advice twice in other words, and no card
    tells the biller to write the amount off before another card's fix (a modifier, a correction)."""
    steps = [step for step in explain(codes)["next_steps"] if step["from_code"] != "CO"]
    for i, first in enumerate(steps):
        for second in steps[i + 1 :]:
            if first["from_code"] == second["from_code"]:
                continue
            a, b = _three_word_runs(first["text"]), _three_word_runs(second["text"])
            assert not a or not b or len(a & b) < 0.3 * min(len(a), len(b)), (first["text"], second["text"])
    settles = [i for i, step in enumerate(steps) if _SETTLE.search(step["text"])]
    fixes = [i for i, step in enumerate(steps) if _FIX.search(step["text"])]
    early = [
        (steps[i], steps[j]) for i in settles for j in fixes if j > i and steps[i]["from_code"] != steps[j]["from_code"]
    ]
    assert early == []  # a write-off of one card before a fix of another


def test_a_bundling_remark_names_the_pair_and_the_reason_says_what_to_do() -> None:
    steps = [step["text"] for step in explain("CO-97,M15")["next_steps"] if step["from_code"] != "CO"]
    assert steps[0].startswith("Find the edit pair behind the remark")
    assert [step for step in steps if "modifier" in step] == [
        "If separate and documented, add the right modifier and resubmit; otherwise write it off."
    ]


# ------------------------------------------------------------------------------------ not a code


def test_co_999_is_answered_as_not_a_code_distinct_from_a_missing_card() -> None:
    answer = explain("CO-999")
    assert answer["not_codes"] == ["CARC 999"] and answer["not_found"] == []
    assert answer["notes"][0].startswith("999 is not a claim adjustment reason code")
    uncarded = explain("CO-300")
    assert uncarded["not_found"] == ["CARC 300"] and uncarded["not_codes"] == []
    missing = call(handler, "GET", "/api/denials/999", **BILLER)
    assert missing.status == 404 and missing.body["error"]["details"] == [
        {"kind": "carc", "code": "999", "is_a_code": False}
    ]


def test_a_statutory_exclusion_under_co_is_not_billed_before_the_line_comes_back_as_pr() -> None:
    answer = explain("CO-96,N425")
    steps = [step["text"] for step in answer["next_steps"]]
    assert answer["action"] == "write_off" and steps[0].startswith("Under PR, bill the patient")
    assert any(step.startswith("Under CO, check the claim") and "GY" in step for step in steps)


# ------------------------------------------------ second pass over every card (2026-12-07)


def test_a_patient_balance_waits_for_a_medicare_crossover_and_the_step_is_said_once() -> None:
    steps = [step["text"] for step in explain("PR-1,MA18")["next_steps"]]
    crossover = [step for step in steps if "MA18" in step]
    assert len(crossover) == 1 and "wait for its payment" in crossover[0]
    assert steps.index(crossover[0]) < steps.index(
        "Bill the patient for the deductible the secondary plan leaves (not a QMB patient)."
    )


@pytest.mark.parametrize("codes", ["CO-11", "CO-167"])
def test_a_diagnosis_denial_never_tells_the_coder_to_change_a_diagnosis_the_record_lacks(codes: str) -> None:
    answer = explain(codes)
    assert re.search(r"never (add or )?change a diagnosis the record does not support", steps_of(answer), re.I)
    assert any("3729" in fact["source"] for fact in answer["reasons"][0]["statements"])


def test_a_multiple_procedure_reduction_at_medicare_does_not_depend_on_the_line_order() -> None:
    answer = explain("CO-59")
    assert "Medicare ranks the procedures by their fee schedule amounts whatever their order" in steps_of(answer)
    assert "Check that the highest-valued procedure is listed first." not in steps_of(answer)


def test_a_lower_level_of_service_is_not_billed_again_as_a_second_claim() -> None:
    steps = steps_of(explain("CO-150"))
    assert "accept it and post the difference" in steps and "Do not send a second claim" in steps
    assert "at Medicare by a reopening" in steps


def test_a_provider_not_yet_enrolled_learns_medicares_30_day_retroactive_billing() -> None:
    answer = explain("CO-185", MEDICARE)
    assert "up to 30 days before the effective date" in steps_of(answer)
    assert any(fact["source"].startswith("42 CFR 424.521(a)") for fact in answer["reasons"][0]["statements"])


def test_the_sequestration_cut_says_since_when_it_is_2_percent() -> None:
    fact = explain("CO-253")["reasons"][0]["statements"][0]
    assert "reduced by 2%" in fact["text"] and fact["effective_from"] == "2022-07-01"
    assert "1% from April 1 to June 30, 2022" in fact["text"] and "not billed to the patient" in fact["text"]


def test_a_medicare_exclusion_under_co_96_is_fixed_with_gy_without_an_abn() -> None:
    answer = explain("CO-96", MEDICARE)
    assert "modifier GY (no ABN needed)" in steps_of(answer) and answer["action"] == "write_off"
    assert any("needs no ABN" in fact["text"] for fact in answer["reasons"][0]["statements"])


def test_an_experimental_service_under_co_is_not_billed_to_the_patient() -> None:
    answer = explain("CO-55")
    assert "Under CO do not bill the patient" in steps_of(answer)
    assert any("ABN" in fact["text"] and "GA" in fact["text"] for fact in answer["reasons"][0]["statements"])


def test_units_above_a_policy_mue_are_not_promised_on_appeal() -> None:
    answer = explain("CO-151,N362")
    steps = steps_of(answer)
    assert "MAI 2" in steps and "not paid, even on appeal" in steps and "MAI 3" in steps
    assert any("adjudication indicator" in fact["text"] for fact in answer["remarks"][0]["statements"])


def test_the_medicare_filing_limit_says_since_when_it_is_12_months() -> None:
    limit = next(d for d in explain("CO-29", MEDICARE)["deadlines"] if "12 months" in d["what"])
    assert limit["effective_from"] == "2010-01-01" and limit["source"].startswith("42 CFR 424.44(a)(1)")


@pytest.mark.parametrize("codes", ["PR-1", "PR-2"])
def test_a_qualified_medicare_beneficiary_is_never_billed_medicare_cost_sharing(codes: str) -> None:
    answer = explain(codes)
    assert "not a QMB patient" in steps_of(answer) and "unless they are a QMB" in steps_of(answer)
    fact = next(fact for fact in answer["group"]["statements"] if "QMB" in fact["text"])
    assert "owes no Medicare deductible, coinsurance or copay" in fact["text"] and "1902(n)(3)(B)" in fact["source"]


@pytest.mark.parametrize("carc", ["5", "6", "8", "9", "58", "107", "189"])
def test_a_processed_medicare_denial_is_corrected_by_a_reopening_not_sent_again(carc: str) -> None:
    answer = explain(f"CO-{carc}", MEDICARE)
    assert "at Medicare, a processed claim is corrected by a reopening, not sent again" in steps_of(answer)
    assert any(d["source"] == "42 CFR 405.980(b)(1)" and d["days"] == 365 for d in answer["deadlines"])


@pytest.mark.parametrize("codes", ["CO-50", "CO-96", "CO-119", "CO-204", "CO-96,N425"])
def test_adding_ga_or_gy_at_medicare_names_the_redetermination_route_of_macs_that_do_not_reopen(codes: str) -> None:
    steps = steps_of(explain(codes, MEDICARE))
    assert "reopening to add G" in steps and "redetermination" in steps


def test_the_ga_reopening_fact_says_contractors_differ() -> None:
    reason = explain("CO-50", MEDICARE)["reasons"][0]
    fact = next(fact for fact in reason["statements"] if "reopening" in fact["text"])
    assert "Contractors differ" in fact["text"] and fact["verify"] is True


def test_a_repeated_service_denied_as_a_duplicate_gets_its_modifier_by_a_reopening_at_medicare() -> None:
    steps = steps_of(explain("CO-18", MEDICARE))
    assert "(76 or 77; 91 for a repeated lab test)" in steps and "on the denied line by a reopening" in steps
    assert "rebill with the modifier" not in steps


@pytest.mark.parametrize("codes", ["CO-97", "CO-236"])
def test_a_distinct_service_modifier_at_medicare_is_added_to_the_processed_claim(codes: str) -> None:
    answer = explain(codes, MEDICARE)
    assert "redetermination" in steps_of(answer) and "59 or an X" in steps_of(answer)
    assert any("the contractor's call" in fact["text"] for fact in answer["reasons"][0]["statements"])


def test_the_no_surprises_act_is_dated_and_limited_to_private_plans() -> None:
    reason = explain("CO-242")["reasons"][0]
    fact = next(fact for fact in reason["statements"] if "No Surprises Act" in fact["text"])
    assert fact["effective_from"] == "2022-01-01" and fact["verify"] is False
    assert "group or individual health plan" in fact["text"] and "not to Medicare or Medicaid" in fact["text"]


def test_a_routine_physical_at_medicare_is_not_appealable_and_a_plan_depends_on_its_benefits() -> None:
    medicare = explain("CO-49", MEDICARE)["reasons"][0]
    assert medicare["appealable"] is False and "excludes a routine physical by law" in medicare["appeal_words"]
    commercial = explain("CO-49", COMMERCIAL)["reasons"][0]
    assert commercial["appealable"] is True and "45 CFR 147.130" in commercial["appeal_by_payer_type"][1]["source"]
    assert explain("CO-49")["reasons"][0]["appealable"] is None


def test_the_assignment_rule_under_co_is_checked_against_424_55() -> None:
    group = explain("CO-45", MEDICARE)["group"]
    fact = next(fact for fact in group["statements"] if "assignment" in fact["text"])
    assert fact["source"] == "42 CFR 424.55(b)" and fact["verify"] is False
    assert "only the deductible and coinsurance" in fact["text"]


@pytest.mark.parametrize(("codes", "side"), [("CO-96", "reasons"), ("CO-96,N425", "remarks")])
def test_the_gy_rule_is_shown_as_checked(codes: str, side: str) -> None:
    card = explain(codes, MEDICARE)[side][0]
    fact = next(fact for fact in card["statements"] if "GY" in fact["text"])
    assert fact["verify"] is False and "Noridian" in fact["source"]


def test_an_unprocessable_medicare_claim_is_shown_as_checked_never_reopened() -> None:
    reason = explain("CO-16,MA130", MEDICARE)["reasons"][0]
    fact = next(fact for fact in reason["statements"] if "unprocessable" in fact["text"])
    assert "cannot be reopened" in fact["text"] and fact["verify"] is False


def test_a_wrong_medicare_secondary_payer_record_is_corrected_with_the_bcrc() -> None:
    answer = explain("CO-22", MEDICARE)
    assert "Benefits Coordination & Recovery Center, BCRC" in steps_of(answer)
    assert any("BCRC" in fact["source"] for fact in answer["reasons"][0]["statements"])


@pytest.mark.parametrize("codes", ["CO-26", "CO-27", "CO-200", "CO-27,N30"])
def test_a_coverage_denial_under_co_is_reprocessed_as_pr_before_the_patient_is_billed(codes: str) -> None:
    steps = steps_of(explain(codes))
    billing_the_patient = [line for line in steps.split("\n") if "bill the patient" in line or "bill them" in line]
    assert billing_the_patient, steps
    assert all("under CO" in line and "PR" in line for line in billing_the_patient), billing_the_patient
