"""Corrected facts as staff read them: the quiz answer key through the quiz API, and the guides,
glossary and calendar as the site shows them."""

from __future__ import annotations

import pytest

from codedesk.catalog import read_content
from codedesk.reviews.pages import site_pages as calendar_pages
from codedesk.site.handbook_pages import site_pages as handbook_pages
from tests.conftest import CONTENT
from tests.events import call

CODER = {"user": "sub-cole", "groups": ("coder",)}
BILLER = {"user": "sub-ben", "groups": ("biller",)}


@pytest.fixture(scope="module")
def pages():
    bundle = read_content(CONTENT)
    return {**handbook_pages(bundle), **calendar_pages(bundle)}


@pytest.fixture
def quizzes(api_store):
    from codedesk.quizzes.api import handler

    return handler


def attempt(handler, quiz_id, who, answers):
    """Answer the questions whose prompt starts with each key of `answers`: an option given by its
    exact text (a list of texts for a multiple select), a typed code, or True/False. Question and option
    ids are served opaque per user, so they are looked up in the served quiz as a person's browser would.
    Returns the results by prompt start."""
    served = call(handler, "GET", f"/api/quizzes/{quiz_id}", **who).body["questions"]
    body, asked = {}, {}
    for start, answer in answers.items():
        question = next(q for q in served if q["prompt"].startswith(start))
        options = {option["text"]: option["id"] for option in question.get("options") or []}
        if isinstance(answer, list):
            body[question["id"]] = [options[text] for text in answer]
        elif isinstance(answer, str) and answer in options:
            body[question["id"]] = options[answer]
        else:
            body[question["id"]] = answer
        asked[question["id"]] = start
    reply = call(handler, "POST", f"/api/quizzes/{quiz_id}/attempts", body={"answers": body}, **who)
    assert reply.status == 201, reply.body
    return {asked[result["question_id"]]: result for result in reply.body["results"] if result["question_id"] in asked}


DIABETES = "The provider documents type 2 diabetes mellitus without complications"
DRUG_CODES = "A patient with type 2 diabetes without complications takes metformin"
REQUIRED = "Z79.84, long term (current) use of oral hypoglycemic drugs: required"
OPTIONAL = "Nothing more is required; Z79.84 is optional, for payers that ask for it"
CO_50 = "Original Medicare denies a line CO-50"
REOPEN = "Ask the Medicare contractor to reopen the claim and add GA; once it comes back PR-50, bill the patient"
BILL_NOW = "Bill the patient now: the signed ABN makes the patient liable"
PREVENTIVE = "At a patient's yearly preventive visit"
SURGERY = "The day before a hip replacement"
G2211 = "True or false: for dates of service from January 1, 2026"


def test_the_diabetes_answer_key_requires_z79_84_with_metformin(quizzes):
    results = attempt(quizzes, "coder", CODER, {DIABETES: "E11.9", DRUG_CODES: REQUIRED})
    assert results[DIABETES]["correct"]
    assert "Z79.84" in results[DIABETES]["explanation"] and "required" in results[DIABETES]["explanation"]
    assert results[DRUG_CODES]["correct"]
    # Leaving Z79.84 off is wrong, not "optional".
    assert not attempt(quizzes, "coder", CODER, {DRUG_CODES: OPTIONAL})[DRUG_CODES]["correct"]


def test_a_co_50_without_ga_is_reopened_not_billed(quizzes):
    result = attempt(quizzes, "biller", BILLER, {CO_50: BILL_NOW})[CO_50]
    assert not result["correct"] and "PR-50" in result["explanation"]
    assert attempt(quizzes, "biller", BILLER, {CO_50: REOPEN})[CO_50]["correct"]


def test_modifier_25_with_a_preventive_visit_and_57_for_the_surgery_decision(quizzes):
    results = attempt(quizzes, "modifiers", CODER, {PREVENTIVE: "25", SURGERY: "57"})
    assert results[PREVENTIVE]["correct"] and results[SURGERY]["correct"]


def test_g2211_home_visits_from_2026_in_the_updates_quiz(quizzes):
    assert attempt(quizzes, "quarterly-updates", CODER, {G2211: True})[G2211]["correct"]


@pytest.mark.parametrize("guide", ["coder", "supervisor"])
def test_the_guides_say_april_updates_are_not_every_year(pages, guide):
    page = pages[f"guides/{guide}.md"]
    assert "with an April 1 update" not in page
    assert "an April 1 update only in years when CMS publishes one" in page
    assert "every october 1" in page.lower()


def test_the_glossary_says_the_same_with_its_source_and_check_date(pages):
    glossary = pages["glossary.md"]
    entry = glossary[glossary.index("**ICD-10-CM**") :].split("\n\n")[0]
    assert "October 1" in entry and "only in years when CMS publishes one" in entry
    assert "Checked 2026-12-06" in entry


def test_the_calendar_shows_the_april_update_as_if_issued(pages):
    year = next(text for path, text in pages.items() if path.endswith("2027.md") and "calendar" in path)
    assert "ICD-10-CM April update, April 2027 (*if issued*)" in year
    assert "ICD-10-CM annual release" in year


def test_overpayment_deadline_and_its_suspension(pages):
    for guide in ("compliance", "finance"):
        page = pages[f"guides/{guide}.md"]
        assert "within 60 days after it is identified" in page
        suspension = next(paragraph for paragraph in page.split("\n\n") if "180 days" in paragraph)
        assert "good-faith investigation" in suspension
        # The suspension is Medicare's rule (42 CFR 401.305); the 60-day duty for Medicaid has none.
        assert "For Medicare" in suspension[: suspension.index("suspended")]
    glossary = pages["glossary.md"]
    entry = glossary[glossary.index("**Overpayment**") :].split("\n\n")[0]
    assert "180 days" in entry and "CMS-1807-F" in entry


def test_the_coder_guide_makes_use_additional_code_an_instruction(pages):
    page = pages["guides/coder.md"]
    assert "Z79.84" in page and "an instruction, not a suggestion" in page


def test_the_glossary_and_the_coder_guide_give_excludes1_with_its_one_exception(pages):
    glossary = pages["glossary.md"]
    entry = glossary[glossary.index("**Excludes1**") :].split("\n\n")[0]
    assert "never coded together" in entry and "unrelated to each other" in entry
    assert "I.A.12.a" in entry
    coder = " ".join(pages["guides/coder.md"].split())
    assert "*Excludes1* means the two conditions are never coded together, the one exception being" in coder
    assert "normally not coded together" not in coder


@pytest.mark.parametrize("guide", ["biller", "supervisor", "compliance"])
def test_the_guides_do_not_make_one_group_the_rule_for_duplicates(pages, guide):
    page = pages[f"guides/{guide}.md"]
    assert "CO-18 or OA-18" in page
    if guide == "biller":
        row = next(line for line in page.splitlines() if "CO-18 or OA-18" in line)
        assert "reopening" in row and "replacement claim" in row


# Second pass (2026-12-07): what a trainee reads after the line-by-line review.

CO_29 = "A claim comes back denied CO-29"
CO_29_DATES = (
    "The date of service, the first submission date and the payer's filing limit; find any proof of timely filing"
)
CATEGORY_III = "A CPT code made of four digits followed by the letter T"


def test_the_co_29_answer_says_medicare_gives_a_late_claim_no_appeal(quizzes):
    result = attempt(quizzes, "biller", BILLER, {CO_29: CO_29_DATES})[CO_29]
    assert result["correct"]
    explanation = " ".join(result["explanation"].split())
    # Proof of timely filing is a commercial-payer route, not a universal one.
    assert "At a commercial plan, a clearinghouse acceptance report" in explanation
    assert "Original Medicare gives a late claim no appeal rights" in explanation
    assert "424.44(b)" in explanation and "never billed to the patient" in explanation


def test_modifier_57_is_for_the_decision_not_for_a_pre_operative_visit_after_it(quizzes):
    result = attempt(quizzes, "modifiers", CODER, {SURGERY: "57"})[SURGERY]
    assert result["correct"]
    assert "surgery planned at an earlier visit) is part of the package and takes no 57" in " ".join(
        result["explanation"].split()
    )


def test_category_i_codes_are_not_all_five_digits(quizzes):
    result = attempt(quizzes, "coder", CODER, {CATEGORY_III: "Category III: temporary codes for emerging technology"})
    explanation = " ".join(result[CATEGORY_III]["explanation"].split())
    assert result[CATEGORY_III]["correct"]
    assert "Category I codes are five digits" not in explanation
    assert "proprietary laboratory analyses end in U" in explanation


def test_the_biller_guide_answers_co_29_per_payer_type(pages):
    row = next(line for line in pages["guides/biller.md"].splitlines() if line.startswith("| [CO-29]"))
    assert "Commercial payers: look for proof" in row
    assert "Original Medicare: no appeal rights" in row and "424.44(b)" in row
    assert "never billed to the patient" in row


def test_the_coder_guide_sends_a_medicare_coding_fix_to_a_reopening(pages):
    coder = " ".join(pages["guides/coder.md"].split())
    assert "at Original Medicare a processed claim is corrected by a **reopening** instead" in coder
    assert "42 CFR 405.980" in coder


def test_the_glossary_gives_the_medicare_reopening_and_the_deductible_exceptions(pages):
    glossary = pages["glossary.md"]
    corrected = glossary[glossary.index("**Corrected claim**") :].split("\n\n")[0]
    assert "a processed Medicare claim is changed by a reopening" in corrected
    assert "405.980(b)(1)" in corrected and "Checked 2026-12-07" in corrected
    deductible = glossary[glossary.index("**Deductible**") :].split("\n\n")[0]
    assert "preventive care in network with no deductible" in deductible
    assert "147.130" in deductible and "Checked 2026-12-07" in deductible


def test_the_medicare_sheet_does_not_make_gy_the_condition_for_charging_a_routine_physical():
    from codedesk.payers.pages import site_pages as payer_pages

    page = " ".join(payer_pages(read_content(CONTENT))["payers/medicare-part-b-novitas.md"].split())
    assert "so the patient can be charged" not in page
    assert "the patient may be charged without an ABN" in page
    assert "Send a claim only if the patient asks or another insurer needs the denial, with GY" in page


def test_modifier_24_is_any_unrelated_visit_in_the_global_period(api_store):
    from codedesk.codes.api import handler

    body = call(handler, "GET", "/api/codes/MODIFIER/24", **CODER).body
    assert body["explanation"].startswith("An evaluation and management visit (in the office, the hospital")
    assert "routine care after the surgery is part of its global package" in body["explanation"]


def test_the_glossary_says_where_the_no_surprises_act_forbids_balance_billing(pages):
    glossary = pages["glossary.md"]
    entry = glossary[glossary.index("**Balance billing**") :].split("\n\n")[0]
    assert "No Surprises Act" in entry and "out-of-network emergency care" in entry
    assert "149.410" in entry and "Checked 2026-12-07" in entry


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/api/codes/HCPCS/G0463", "A physician office does not use it"),
        ("/api/codes/MODIFIER/GT", "Medicare stopped asking for GT on professional claims in 2018"),
        ("/api/codes/CPT/90471", "given with G0008, G0009 or G0010 instead"),
    ],
)
def test_the_lookup_says_who_uses_the_code_where_the_title_misleads(api_store, path, said):
    from codedesk.codes.api import handler

    reply = call(handler, "GET", path, **CODER)
    assert reply.status == 200, reply.body
    assert said in reply.body["explanation"]


GROUP_CO = "An adjustment on a remittance has the group code CO"


def test_the_co_group_answer_says_when_a_co_amount_can_become_the_patients(quizzes):
    provider = "The provider: it is written off under the contract and not billed to the patient"
    result = attempt(quizzes, "biller", BILLER, {GROUP_CO: provider})[GROUP_CO]
    explanation = " ".join(result["explanation"].split())
    assert result["correct"]
    assert "only if the payer reprocesses it as PR" in explanation and "PR-50" in explanation
    assert "reopened to add it" in explanation


@pytest.mark.parametrize("guide", ["coder", "supervisor"])
def test_the_guides_say_pla_codes_change_every_quarter(pages, guide):
    row = next(line for line in pages[f"guides/{guide}.md"].splitlines() if line.startswith("| CPT |"))
    assert "Every January 1" in row and "Category III codes also take effect July 1" in row
    assert "proprietary laboratory analyses (PLA) codes each quarter" in row


def test_the_humana_sheet_gives_its_claims_payer_id_and_the_default_filing_limit(api_store):
    from codedesk.payers.api import handler

    reply = call(handler, "GET", "/api/payers/humana-medicare-advantage", **BILLER)
    assert reply.status == 200, reply.body
    payer_id = reply.body["edi_payer_id"]
    assert payer_id["value"] == "61101" and not payer_id["verify"]
    assert "humana.com" in payer_id["source"] and payer_id["reviewed_on"] == "2026-12-07"
    initial = reply.body["timely_filing"]["initial_claim"]
    assert initial["contract_dependent"]
    assert "where it says nothing, Humana gives one year from the date of service" in " ".join(initial["note"].split())


def test_the_ny_medicaid_sheet_gives_the_emedny_windows_still_marked_for_checking(api_store):
    from codedesk.payers.api import handler

    reply = call(handler, "GET", "/api/payers/new-york-medicaid", **BILLER)
    assert reply.status == 200, reply.body
    filing = reply.body["timely_filing"]
    initial = " ".join(filing["initial_claim"]["note"].split())
    assert "sent within 30 days after the delay ended" in initial and filing["initial_claim"]["verify"]
    corrected = " ".join(filing["corrected_claim"]["note"].split())
    assert "adjustment" in corrected and "within 60 days" in corrected
    [resubmission] = filing["appeals"]
    assert "sent again within 60 days of the notice" in " ".join(resubmission["note"].split())
    assert all(
        "eMedNY" in fact["source"] for fact in (filing["initial_claim"], filing["corrected_claim"], resubmission)
    )
