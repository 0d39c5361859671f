"""The payers API as a client sees it: Lambda events in, JSON out."""

from __future__ import annotations

from datetime import date

import pytest

from tests.events import call
from tests.payers.conftest import MEDICARE, PAYER_IDS

BILLER = {"user": "u-biller", "groups": ("biller",)}


def test_the_list_needs_a_signed_in_user(payers_api):
    reply = call(payers_api, "GET", "/api/payers")
    assert reply.status == 401 and reply.body["error"]["code"] == "unauthorized"


def test_the_list_shows_five_payers_with_type_and_verified_date(payers_api):
    reply = call(payers_api, "GET", "/api/payers", **BILLER)
    assert reply.status == 200
    items = reply.body["items"]
    assert [i["payer_id"] for i in items] == PAYER_IDS
    assert {i["type"] for i in items} == {"medicare", "medicaid", "medicare_advantage", "commercial"}
    assert all(i["verified_on"] == "2026-11-23" for i in items)
    assert reply.body["next_cursor"] is None


def test_the_medicare_sheet_shows_timely_filing_with_its_source(payers_api):
    reply = call(payers_api, "GET", f"/api/payers/{MEDICARE}", **BILLER)
    assert reply.status == 200
    initial = reply.body["timely_filing"]["initial_claim"]
    assert initial["period"] == {"amount": 12, "unit": "months"}
    assert initial["clock_starts"] == "the date of service"
    assert initial["source"].startswith("42 CFR 424.44")
    assert initial["reviewed_on"] == "2026-12-06" and initial["effective_from"] == "2010-01-01"
    assert reply.body["code_rules"][0]["codes"] == ["99242-99245", "99252-99255"]
    assert reply.body["freshness"]["max_age_days"] == 365


def test_an_unknown_payer_is_404_with_the_payer_ids(payers_api):
    reply = call(payers_api, "GET", "/api/payers/acme", **BILLER)
    assert reply.status == 404
    assert reply.body["error"]["code"] == "not_found"
    assert reply.body["error"]["details"] == [{"payer_ids": PAYER_IDS}]


def test_rules_for_99213(payers_api):
    reply = call(payers_api, "GET", f"/api/payers/{MEDICARE}/rules", query={"code": "99213"}, **BILLER)
    assert reply.status == 200
    assert reply.body["code"] == "99213"
    assert any(rule["topic"] == "modifier_25" for rule in reply.body["general_rules"])
    assert reply.body["code_rules"][0]["title"] == "G2211 complexity add-on"


def test_rules_for_a_code_without_a_specific_rule_are_the_general_ones(payers_api):
    reply = call(payers_api, "GET", "/api/payers/aetna-commercial/rules", query={"code": "20610"}, **BILLER)
    assert reply.status == 200
    assert reply.body["code_rules"] == [] and reply.body["general_rules"]
    assert "no rule naming 20610" in reply.body["message"]


@pytest.mark.parametrize("query", [{}, {"code": "E11.9"}])
def test_rules_without_a_procedure_code_say_what_to_send(payers_api, query):
    reply = call(payers_api, "GET", f"/api/payers/{MEDICARE}/rules", query=query, **BILLER)
    assert reply.status == 400
    assert reply.body["error"]["details"] == [{"field": "code"}]


def test_rules_at_an_unknown_payer_are_404(payers_api):
    reply = call(payers_api, "GET", "/api/payers/acme/rules", query={"code": "99213"}, **BILLER)
    assert reply.status == 404 and reply.body["error"]["details"] == [{"payer_ids": PAYER_IDS}]


def test_compare_is_a_route_not_a_payer(payers_api):
    reply = call(
        payers_api,
        "GET",
        "/api/payers/compare",
        query={"payers": f"{MEDICARE},aetna-commercial", "topics": "timely_filing,prior_auth"},
        **BILLER,
    )
    assert reply.status == 200
    assert [p["payer_id"] for p in reply.body["payers"]] == [MEDICARE, "aetna-commercial"]
    assert [r["topic"] for r in reply.body["rows"]] == ["timely_filing", "prior_auth"]
    medicare_cell = reply.body["rows"][0]["cells"][0]
    assert medicare_cell["entries"][0]["text"] == "12 months from the date of service"


def test_compare_with_an_unknown_topic_is_400(payers_api):
    reply = call(payers_api, "GET", "/api/payers/compare", query={"topics": "weather"}, **BILLER)
    assert reply.status == 400 and "weather" in reply.body["error"]["message"]


def test_an_old_sheet_is_marked_stale(payers_api):
    from codedesk.payers.api import app
    from codedesk.web.deps import today

    app.dependency_overrides[today] = lambda: date(2028, 1, 1)
    try:
        listed = call(payers_api, "GET", "/api/payers", **BILLER)
        sheet = call(payers_api, "GET", f"/api/payers/{MEDICARE}", **BILLER)
    finally:
        app.dependency_overrides.clear()
    assert all(item["stale"] for item in listed.body["items"])
    assert sheet.body["freshness"]["stale"] and sheet.body["freshness"]["age_days"] == 404
