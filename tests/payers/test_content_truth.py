"""The corrected payer facts as a biller reads them: through the API and on the printed sheet."""

from __future__ import annotations

from datetime import date

from codedesk.payers.pages import site_pages
from tests.events import call
from tests.payers.conftest import MEDICARE

BILLER = {"user": "u-biller", "groups": ("biller",)}
DEC_2026 = date(2026, 12, 6)


def sheet(payers_api, payer_id):
    reply = call(payers_api, "GET", f"/api/payers/{payer_id}", **BILLER)
    assert reply.status == 200
    return reply.body


def test_medicare_prior_auth_names_wiser_with_its_states_dates_and_source(payers_api):
    required = sheet(payers_api, MEDICARE)["prior_auth"]["commonly_required"]
    wiser = next(fact for fact in required if "WISeR" in fact["text"] and not fact["verify"])
    for state in ("New Jersey", "Ohio", "Oklahoma", "Texas", "Arizona", "Washington"):
        assert state in wiser["text"]
    assert "Jurisdiction L" in wiser["text"] and "Jurisdiction H" in wiser["text"]
    assert (wiser["effective_from"], wiser["effective_to"]) == ("2026-01-01", "2031-12-31")
    assert "WISeR" in wiser["source"] and wiser["reviewed_on"] == "2026-12-06"


def test_medicare_co_50_does_not_bill_the_patient_and_says_when_it_is_pr_50(payers_api):
    denial = next(d for d in sheet(payers_api, MEDICARE)["common_denials"] if d["code"] == "CO-50")
    assert "do not bill the patient" in denial["text"]
    assert "PR-50" in denial["text"] and "GA" in denial["text"] and "reopen" in denial["text"]
    assert "write it off" in denial["text"]


def test_g2211_rules_for_a_home_visit_in_2026(payers_api):
    reply = call(payers_api, "GET", f"/api/payers/{MEDICARE}/rules", query={"code": "99348"}, **BILLER)
    assert reply.status == 200
    rules = [rule for rule in reply.body["code_rules"] if "G2211" in rule["codes"]]
    assert len(rules) == 1 and rules[0]["effective_from"] == "2026-01-01"
    assert "99341-99350" in rules[0]["text"]
    # A home visit in 2025 had no G2211; an office visit in 2025 had the rule of 2024-2025.
    home_2025 = call(
        payers_api, "GET", f"/api/payers/{MEDICARE}/rules", query={"code": "99348", "as_of": "2025-06-02"}, **BILLER
    ).body
    assert [r for r in home_2025["code_rules"] if "G2211" in r["codes"]] == []
    office_2025 = call(
        payers_api, "GET", f"/api/payers/{MEDICARE}/rules", query={"code": "99213", "as_of": "2025-06-02"}, **BILLER
    ).body
    [old] = [r for r in office_2025["code_rules"] if "G2211" in r["codes"]]
    assert (old["effective_from"], old["effective_to"]) == ("2024-01-01", "2025-12-31")
    assert office_2025["as_of"] == "2025-06-02"


def test_no_payer_note_bills_the_patient_on_a_co_denial(payers_api):
    for payer in call(payers_api, "GET", "/api/payers", **BILLER).body["items"]:
        for denial in sheet(payers_api, payer["payer_id"])["common_denials"]:
            if denial["code"].startswith("CO-"):
                # A sentence that lets the patient be billed must be about the PR line, never the CO one.
                for sentence in denial["text"].split(". "):
                    lets_bill = "patient is liable" in sentence or "patient may be billed" in sentence
                    assert not lets_bill or "PR-" in sentence, (payer["payer_id"], denial["code"], sentence)


def test_humana_dispute_routes_for_contracted_and_non_contracted_clinics(payers_api):
    appeals = sheet(payers_api, "humana-medicare-advantage")["timely_filing"]["appeals"]
    labels = [appeal["label"] for appeal in appeals]
    assert labels[0].endswith("(contracted clinic)") and "no Medicare Advantage appeal rights" in appeals[0]["note"]
    reconsideration = appeals[1]
    assert reconsideration["period"] == {"amount": 65, "unit": "days"}
    assert reconsideration["source"].startswith("42 CFR 422.582(b)")
    assert "Waiver of Liability" in reconsideration["note"]
    assert appeals[2]["verify"] and "422.214" in appeals[2]["source"]


def test_humana_prior_auth_decision_times_show_what_applied_when(payers_api):
    facts = sheet(payers_api, "humana-medicare-advantage")["prior_auth"]["how_to_check"]
    seven = next(f for f in facts if "7 calendar days" in f["text"])
    fourteen = next(f for f in facts if "14 calendar days" in f["text"])
    assert seven["effective_from"] == "2026-01-01" and seven["effective_to"] is None
    assert fourteen["effective_to"] == "2025-12-31"


def test_ny_medicaid_90_days_with_its_exceptions_to_verify(payers_api):
    initial = sheet(payers_api, "new-york-medicaid")["timely_filing"]["initial_claim"]
    assert initial["period"] == {"amount": 90, "unit": "days"} and initial["verify"] is True
    assert "outside the provider's control" in initial["note"] and "delay reason code" in initial["note"]
    assert initial["source"].startswith("18 NYCRR 540.6")


def test_the_sheet_page_dates_changed_rules_and_marks_superseded_ones(payer_bundle):
    page = site_pages(payer_bundle, today=DEC_2026)[f"payers/{MEDICARE}.md"]
    assert '<span class="when">2026-01-01 to 2031-12-31:</span> WISeR model' in page
    assert '<span class="when">Since 2026-01-01:</span> G2211 goes with an office/outpatient visit' in page
    assert (
        '<span class="when superseded">2024-01-01 to 2025-12-31 (superseded; for older dates of service):'
        "</span> G2211 was paid only"
    ) in page


def test_the_comparison_grid_carries_the_dates(payers_api):
    reply = call(
        payers_api,
        "GET",
        "/api/payers/compare",
        query={"payers": "humana-medicare-advantage", "topics": "prior_auth"},
        **BILLER,
    )
    entries = reply.body["rows"][0]["cells"][0]["entries"]
    assert {e["effective_to"] for e in entries if "14 calendar days" in e["text"]} == {"2025-12-31"}
