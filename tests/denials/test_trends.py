"""Denial trends as a revenue-cycle manager uses them: billers record remits, the supervisor reads
denial rates by reason, code family, payer and month; what is kept names no patient, claim or check."""

from __future__ import annotations

import pytest

from codedesk.denials.api import handler
from codedesk.denials.trends import code_family
from tests.denials.conftest import ERA_DIR, era_sample, needs_era_corpus
from tests.denials.test_era import CLAIM, HEADER, synthetic_835
from tests.events import call

BILLER = {"user": "bea", "groups": ("biller",)}
SUPERVISOR = {"user": "sue", "groups": ("supervisor",)}
TEXT = {"content-type": "text/plain"}

DENIED = (
    "CLP*ACCT2*4*300*0**12*CLAIMREF2~NM1*QC*1*ROE*RICHARD****MI*MEMBER2~"
    "SVC*HC:97110:GP*150*0**2~DTM*472*20261103~CAS*CO*50*150~LQ*HE*N130~"
    "SVC*HC:J1100*150*0**1~DTM*472*20261103~CAS*CO*16*150~LQ*HE*M76~"
)
REMIT = synthetic_835(CLAIM + DENIED)


@pytest.fixture(autouse=True)
def _store(api_store):
    return api_store


def record(text=REMIT, who=BILLER):
    return call(handler, "POST", "/api/denials/era", query={"record": "true"}, body=text, headers=TEXT, **who)


def trends(by, **query):
    return call(handler, "GET", "/api/denials/trends", query={"by": by, "from": "2026-01", "to": "2026-12", **query},
                **SUPERVISOR)  # fmt: skip


def test_a_recorded_remit_gives_denial_rates_by_reason_family_payer_and_month():
    reply = record()
    assert (
        reply.status == 200 and reply.body["recorded"] == {"added": 1, "already_recorded": 0} and reply.body["claims"]
    )
    by_carc = {i["key"]: i for i in trends("carc").body["items"]}
    # CO-45 (the contract) and PR-1 (the patient's deductible) are not denials.
    assert set(by_carc) == {"CO-50", "CO-16"}
    assert (by_carc["CO-50"]["lines"], by_carc["CO-50"]["denied_lines"], by_carc["CO-50"]["denial_rate"]) == (
        3,
        1,
        33.3,
    )
    assert by_carc["CO-50"]["denied_amount"] == "150.00" or float(by_carc["CO-50"]["denied_amount"]) == 150
    families = {i["key"]: (i["lines"], i["denied_lines"]) for i in trends("code_family").body["items"]}
    assert families == {"CPT evaluation and management": (1, 0), "CPT medicine": (1, 1), "HCPCS J": (1, 1)}
    assert [(i["key"], i["lines"], i["denied_lines"]) for i in trends("payer").body["items"]] == [
        ("SAMPLE PAYER", 3, 2)
    ]
    assert [(i["key"], i["denial_rate"]) for i in trends("month").body["items"]] == [("2026-11", 66.7)]
    # the guide's claim-level rates: 1 of 2 claims denied; 300 of 500 charged
    rates = trends("payer").body["claim_rates"]
    assert (rates["claims"], rates["denied_claims"], rates["denial_rate_by_count"]) == (2, 1, 50.0)
    assert (float(rates["charges"]), float(rates["denied_charges"]), rates["denial_rate_by_amount"]) == (500, 300, 60.0)


def test_claims_paid_as_primary_with_no_denied_line_leave_out_secondary_claims_and_reversals():
    secondary = "CLP*ACCT3*2*100*20**12*CLAIMREF3~SVC*HC:99213*100*20**1~CAS*PR*2*80~"
    reversal = "CLP*ACCT4*22*-200*-80**12*CLAIMREF4~SVC*HC:99213*-200*-80**1~CAS*CO*45*-100~CAS*PR*1*-20~"
    record(synthetic_835(CLAIM + DENIED + secondary + reversal))
    rates = trends("payer").body["claim_rates"]
    # ACCT1 paid as primary with no denied line; ACCT2 denied; the secondary and the reversal are not counted
    assert (rates["primary_claims"], rates["primary_without_denial"], rates["without_denial_rate"]) == (2, 1, 50.0)
    assert rates["claims"] == 3  # the guide's denominator: adjudicated claims, and a reversal is none


def test_the_same_remit_recorded_twice_counts_once():
    assert record().body["recorded"]["added"] == 1
    again = record()
    assert again.body["recorded"] == {"added": 0, "already_recorded": 1}
    assert trends("payer").body["items"][0]["lines"] == 3 and trends("payer").body["checks"] == 1


def test_nothing_that_names_a_patient_claim_or_check_is_kept(api_store):
    record()
    stored = " ".join(str(item) for item in api_store.scan(pk_prefix="TRENDS#").items)
    assert stored, "nothing was recorded"
    for identifier in ("ACCT1", "ACCT2", "CLAIMREF1", "CLAIMREF2", "DOE", "JANE", "ROE", "MEMBER1", "MEMBER2",
                       "1512345678", "12345", "20261101", "20261103", "SAMPLE CLINIC", "1234567893"):  # fmt: skip
        assert identifier not in stored, identifier


def test_without_record_nothing_is_stored(api_store):
    reply = call(handler, "POST", "/api/denials/era", body=REMIT, headers=TEXT, **BILLER)
    assert reply.body["recorded"] is None and reply.body["fees"] is None
    assert api_store.scan(pk_prefix="TRENDS").items == []


def test_who_records_and_who_reads():
    assert record(who={"user": "cory", "groups": ("coder",)}).status == 403
    assert record(who=SUPERVISOR).status == 200
    assert call(handler, "GET", "/api/denials/trends", **BILLER).status == 403
    for role in ("finance", "compliance"):
        assert call(handler, "GET", "/api/denials/trends", user="x", groups=(role,)).status == 200


def test_the_trends_as_csv():
    record()
    reply = call(handler, "GET", "/api/denials/trends.csv", query={"by": "carc", "from": "2026-01", "to": "2026-12"},
                 **SUPERVISOR)  # fmt: skip
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/csv")
    lines = reply.body.strip().splitlines()
    assert lines[0] == (
        "carc,lines,denied lines,denial rate %,billed,paid,denied amount,underpaid amount,reversed lines,reversed amount"
    )
    assert any(line.startswith("CO-50,3,1,33.3,") for line in lines)


def test_a_bad_period_is_422():
    assert trends("carc", **{"from": "2026-13"}).status == 422
    assert trends("reason").status == 422


def test_months_come_from_the_payment_date():
    october = synthetic_835(DENIED, header=HEADER.replace("20261120~TRN*1*12345", "20261020~TRN*1*99999"))
    record(october)
    record()
    assert [i["key"] for i in trends("month").body["items"]] == ["2026-10", "2026-11"]


def test_the_weekly_view_groups_by_the_iso_week_of_payment_in_order():
    record(synthetic_835(DENIED, header=HEADER.replace("20261120~TRN*1*12345", "20261109~TRN*1*99999")))
    record()  # paid Friday 2026-11-20
    weeks = trends("week").body["items"]
    assert [(w["key"], w["lines"], w["denied_lines"]) for w in weeks] == [("2026-W46", 2, 2), ("2026-W47", 3, 2)]
    csv_lines = call(handler, "GET", "/api/denials/trends.csv", query={"by": "week", "from": "2026-11", "to": "2026-11"},
                     **SUPERVISOR).body.splitlines()  # fmt: skip
    assert csv_lines[0].startswith("week,lines") and csv_lines[1].startswith("2026-W46,2,2,100.0,")


def test_the_weekly_view_reads_the_last_quarter_by_default():
    reply = call(handler, "GET", "/api/denials/trends", query={"by": "week", "to": "2026-11"}, **SUPERVISOR)
    assert (reply.body["first_month"], reply.body["last_month"]) == ("2026-09", "2026-11")


def test_code_families_week_by_week_for_the_weekly_report():
    record(synthetic_835(DENIED, header=HEADER.replace("20261120~TRN*1*12345", "20261109~TRN*1*99999")))
    record()  # paid Friday 2026-11-20
    answer = trends("code_family", over="week", **{"from": "2026-W45", "to": "2026-W48"}).body
    # every week of the range, a week with no remit too: a gap in the chart, not a missing column
    assert answer["over"] == "week" and answer["periods"] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    weekly = {i["key"]: [(p["period"], p["lines"], p["denied_lines"], p["denial_rate"]) for p in i["periods"]][1:3]
              for i in answer["items"]}  # fmt: skip
    assert weekly == {
        "CPT evaluation and management": [("2026-W46", 0, 0, 0.0), ("2026-W47", 1, 0, 0.0)],
        "CPT medicine": [("2026-W46", 1, 1, 100.0), ("2026-W47", 1, 1, 100.0)],
        "HCPCS J": [("2026-W46", 1, 1, 100.0), ("2026-W47", 1, 1, 100.0)],
    }
    assert all(i["periods"][0]["lines"] == 0 and i["periods"][3]["lines"] == 0 for i in answer["items"])
    # a quarter by default: the weeks of September to November (Monday 2026-08-31 to Sunday 2026-12-06)
    quarter = call(handler, "GET", "/api/denials/trends", query={"by": "code_family", "over": "week", "to": "2026-11"},
                   **SUPERVISOR).body  # fmt: skip
    assert (
        quarter["periods"][0] == "2026-W36" and quarter["periods"][-1] == "2026-W49" and len(quarter["periods"]) == 14
    )
    monthly = trends("code_family", over="month").body
    assert monthly["periods"] == [f"2026-{m:02d}" for m in range(1, 13)]
    november = [p for i in monthly["items"] for p in i["periods"] if p["period"] == "2026-11"]
    assert sum(p["lines"] for p in november) == 5
    # a reason's rate in a week is over every line paid that week
    reasons = {
        i["key"]: i["periods"]
        for i in trends("carc", over="week", **{"from": "2026-W46", "to": "2026-W47"}).body["items"]
    }
    assert [(p["lines"], p["denied_lines"]) for p in reasons["CO-50"]] == [(2, 1), (3, 1)]
    # years of weeks are more than a chart shows: then only the weeks with a recorded check
    assert trends("code_family", over="week", **{"from": "2020-01"}).body["periods"] == ["2026-W46", "2026-W47"]
    cells = call(handler, "GET", "/api/denials/trends.csv", query={"by": "code_family", "over": "week", "from": "2026-11",
                 "to": "2026-11"}, **SUPERVISOR).body.splitlines()  # fmt: skip
    assert cells[0] == "code_family,week,lines,denied lines,denial rate %,denied amount"
    assert "HCPCS J,2026-W46,1,1,100.0,150" in cells


def test_top_reasons_and_payers_for_a_range_of_weeks():
    record(synthetic_835(DENIED, header=HEADER.replace("20261120~TRN*1*12345", "20261109~TRN*1*99999")))
    record()  # paid in 2026-W47
    answer = call(handler, "GET", "/api/denials/trends", query={"by": "carc", "from": "2026-W47", "to": "2026-W47"},
                  **SUPERVISOR).body  # fmt: skip
    assert (answer["first_week"], answer["last_week"], answer["checks"]) == ("2026-W47", "2026-W47", 1)
    assert {i["key"]: i["lines"] for i in answer["items"]} == {"CO-50": 3, "CO-16": 3}
    by_payer = call(handler, "GET", "/api/denials/trends", query={"by": "payer", "from": "2026-W46", "to": "2026-W47"},
                    **SUPERVISOR).body  # fmt: skip
    assert [(i["key"], i["lines"]) for i in by_payer["items"]] == [("SAMPLE PAYER", 5)]
    # a week range may start in one year and end in the next; its months are those its days touch
    turn = call(handler, "GET", "/api/denials/trends", query={"by": "payer", "from": "2026-W53", "to": "2027-W01"},
                **SUPERVISOR).body  # fmt: skip
    assert (turn["first_month"], turn["last_month"]) == ("2026-12", "2027-01")


@pytest.mark.parametrize(
    "first, last, says",
    [("2025-W53", "2026-W02", "2025 has no ISO week 53"), ("2026-10", "2026-W47", "both months"),
     ("2026-W47", "2026-W40", "starts (2026-W47) after it ends")],
)  # fmt: skip
def test_a_bad_range_of_weeks_is_a_clear_400(first, last, says):
    reply = trends("carc", **{"from": first, "to": last})
    assert reply.status == 400 and says in reply.body["error"]["message"]


def test_over_time_goes_with_a_grouping_not_with_month_or_week():
    assert trends("month", over="week").status == 400


def test_reversals_are_apart_and_a_negative_adjustment_is_no_denial():
    # the claim paid earlier and now taken back (CLP02 22): its amounts are negative, its CO-50 too
    reversal = "CLP*ACCT4*22*-300*-120**12*CLAIMREF4~SVC*HC:97110*-300*-120**1~CAS*CO*50*-150~CAS*CO*45*-30~"
    # a secondary claim paid $9 beyond the balance: OA-94 -9.00, as the COB sample remit has
    secondary = "CLP*ACCT5*2*100*29**12*CLAIMREF5~SVC*HC:99213*100*29**1~CAS*OA*23*80~CAS*OA*94*-9~"
    record(synthetic_835(CLAIM + DENIED + reversal + secondary))
    for by in ("carc", "code_family", "payer", "month", "week"):
        for item in trends(by).body["items"]:
            assert float(item["denied_amount"]) >= 0, (by, item)
    assert "OA-94" not in {i["key"] for i in trends("carc").body["items"]}
    payer = trends("payer").body
    (sample,) = payer["items"]
    # the reversal's line is shown apart, never among the lines or denials
    assert (sample["lines"], sample["denied_lines"], float(sample["denied_amount"])) == (4, 2, 300)
    assert (sample["reversed_lines"], float(sample["reversed_amount"])) == (1, 120)
    rates = payer["claim_rates"]
    assert (rates["reversed_claims"], float(rates["reversed_amount"]), rates["claims"]) == (1, 120, 3)
    medicine = {i["key"]: i for i in trends("code_family").body["items"]}["CPT medicine"]
    assert (medicine["lines"], medicine["reversed_lines"], float(medicine["denied_amount"])) == (1, 1, 150)


@needs_era_corpus
def test_no_week_of_the_sample_remits_shows_a_negative_denial():
    for path in sorted(ERA_DIR.glob("*.835")) + sorted((ERA_DIR / "peers").glob("*.835")):
        assert record(path.read_text(encoding="ascii")).status == 200, path.name
    span = {"from": "2000-01", "to": "2030-12"}
    weeks = {i["key"]: i for i in trends("week", **span).body["items"]}
    # the COB remit's week (paid 2005-03-18): nothing denied; its OA-94 -9.00 was money added
    assert (weeks["2005-W11"]["denied_lines"], float(weeks["2005-W11"]["denied_amount"])) == (0, 0)
    for by in ("carc", "code_family", "payer"):
        assert all(float(i["denied_amount"]) >= 0 for i in trends(by, over="week", **span).body["items"]), by


@pytest.mark.parametrize(
    "code, family",
    [("99213", "CPT evaluation and management"), ("J1100", "HCPCS J"), ("0001F", "CPT category II"),
     ("0042T", "CPT category III"), ("36415", "CPT surgery"), ("80053", "CPT pathology and laboratory"), (None, "no procedure code")],
)  # fmt: skip
def test_code_families(code, family):
    assert code_family(code) == family


@needs_era_corpus
def test_every_real_remit_records_and_adds_up():
    for name in ("blue_cross_nc_sample.835", "emedny_sample.835", "united_healthcare_legacy_sample.835"):
        assert record(era_sample(name)).status == 200, name
    total = sum(i["lines"] for i in trends("payer", **{"from": "2000-01", "to": "2030-12"}).body["items"])
    assert total > 0


def test_each_clinic_sees_its_own_trends_only():
    record()
    north = call(handler, "GET", "/api/denials/trends", query={"by": "payer", "from": "2026-01", "to": "2026-12"},
                 user="nell", groups=("supervisor", "team:north"))  # fmt: skip
    assert north.status == 200 and north.body["team"] == "north" and north.body["items"] == []
    asked = call(handler, "GET", "/api/denials/trends", query={"by": "payer", "team": "main"}, user="nell",
                 groups=("supervisor", "team:north"))  # fmt: skip
    assert asked.status == 404
    assert trends("payer").body["team"] == "main" and trends("payer").body["items"]


def test_one_reason_month_by_month_shows_whether_it_moved():
    october = synthetic_835(DENIED, header=HEADER.replace("20261120~TRN*1*12345", "20261020~TRN*1*99999"))
    record(october)  # October: two lines, one CO-50
    record()  # November: three lines, one CO-50
    reply = trends("month", reason="CO-50")
    assert reply.body["reason"] == "CO-50"
    assert [(i["key"], i["lines"], i["denied_lines"], i["denial_rate"]) for i in reply.body["items"]] == [
        ("2026-10", 2, 1, 50.0),
        ("2026-11", 3, 1, 33.3),
    ]
    assert trends("month", reason="XX-50").status == 422
