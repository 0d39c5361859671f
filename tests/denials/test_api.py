"""The denials function through its Lambda handler, as the site and curl use it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from codedesk.denials.api import handler
from codedesk.denials.era import MAX_ERA_BYTES
from tests.denials.conftest import era_sample, needs_era_corpus
from tests.denials.test_era import CLAIM, synthetic_835
from tests.events import call

BILLER = {"user": "bea", "groups": ("biller",)}


@pytest.fixture(autouse=True)
def _store(api_store):
    return api_store


def test_every_route_needs_a_signed_in_user() -> None:
    assert call(handler, "GET", "/api/denials/16").status == 401
    assert call(handler, "GET", "/api/denials/explain", query={"codes": "CO-16"}).status == 401
    assert call(handler, "POST", "/api/denials/era", body=synthetic_835()).status == 401


def test_one_card_by_any_spelling() -> None:
    reply = call(handler, "GET", "/api/denials/co%2016", **BILLER)
    assert reply.status == 200
    assert {key: reply.body[key] for key in ("code", "kind", "action", "appealable")} == {
        "code": "16",
        "kind": "carc",
        "action": "correct_and_resubmit",
        "appealable": False,
    }
    assert call(handler, "GET", "/api/denials/MA130", **BILLER).body["kind"] == "rarc"


def test_unknown_and_unreadable_codes() -> None:
    missing = call(handler, "GET", "/api/denials/999", **BILLER)
    assert missing.status == 404 and missing.body["error"]["code"] == "not_found"
    assert missing.body["error"]["message"].startswith("999 is not a claim adjustment reason code")
    uncarded = call(handler, "GET", "/api/denials/300", **BILLER)
    assert uncarded.status == 404 and "no card for CARC 300" in uncarded.body["error"]["message"]
    bad = call(handler, "GET", "/api/denials/hello", **BILLER)
    assert bad.status == 400 and "CO-16" in bad.body["error"]["message"]


def test_explain_co16_n290_as_in_the_acceptance_check() -> None:
    reply = call(handler, "GET", "/api/denials/explain", query={"codes": "CO-16,N290"}, **BILLER)
    assert reply.status == 200
    body = reply.body
    assert body["group"]["code"] == "CO" and body["who_pays"].startswith("The provider")
    assert body["reasons"][0]["action"] == "correct_and_resubmit"
    assert "rendering provider" in body["remarks"][0]["meaning"].lower()
    assert body["payer_notes"] == []
    assert body["action_words"].startswith("Correct the claim and resubmit")
    assert body["next_steps"][0]["from_code"] == "N290" and body["next_steps"][-1]["from_code"] == "CO"


def test_explain_without_codes_is_a_validation_error_naming_the_field() -> None:
    reply = call(handler, "GET", "/api/denials/explain", **BILLER)
    assert reply.status == 422 and "codes" in reply.body["error"]["message"]


def test_search_returns_cards() -> None:
    reply = call(handler, "GET", "/api/denials/search", query={"q": "timely filing", "limit": 3}, **BILLER)
    assert reply.status == 200 and reply.body["items"][0]["code"] == "29" and len(reply.body["items"]) <= 3


def test_era_post_decodes_and_explains_every_code() -> None:
    reply = call(
        handler, "POST", "/api/denials/era", body=synthetic_835(), headers={"content-type": "text/plain"}, **BILLER
    )
    assert reply.status == 200, reply.body
    claim = reply.body["claims"][0]
    assert (claim["billed"], claim["paid"], claim["balances"]) == (200.0, 80.0, True)
    assert (claim["account_number"], claim["payer_claim_number"], claim["patient_responsibility"]) == (
        "ACCT1",
        "CLAIMREF1",
        20.0,
    )
    check = reply.body["checks"][0]
    assert (check["payer_name"], check["trace_number"], check["payment_date"]) == (
        "SAMPLE PAYER",
        "12345",
        "2026-11-20",
    )
    adjustment = claim["lines"][0]["adjustments"][0]
    assert (adjustment["group"], adjustment["reason"], adjustment["amount"]) == ("CO", "45", 100.0)
    cards = reply.body["cards"]
    assert cards[adjustment["card_key"]]["action"] == "write_off"
    assert cards[adjustment["group_card_key"]]["who_pays"].startswith("The provider")
    assert cards[claim["lines"][0]["remarks"][0]["card_key"]]["code"] == "N290"
    assert reply.body["summary"]["top_reasons"][0] == {"reason": "CO-45", "count": 1, "amount": 100.0}
    assert reply.body["unexplained_codes"] == []


def test_each_card_is_in_the_answer_once_however_often_it_is_used() -> None:
    reply = call(handler, "POST", "/api/denials/era", body=synthetic_835(CLAIM * 40), **BILLER)
    assert reply.status == 200
    keys = [a["card_key"] for claim in reply.body["claims"] for line in claim["lines"] for a in line["adjustments"]]
    assert len(keys) == 120 and set(keys) == {"CARC 45", "CARC 1", "CARC 2"}
    assert sorted(reply.body["cards"]) == [
        "CARC 1",
        "CARC 2",
        "CARC 45",
        "GROUP CO",
        "GROUP PR",
        "RARC MA130",
        "RARC N290",
        "RARC N4",
    ]
    # a card is written once, so the answer stays a small multiple of the upload
    assert len(json.dumps(reply.body)) < 8 * len(synthetic_835(CLAIM * 40))


def test_the_worked_list_as_csv_has_a_row_per_adjustment_and_remark() -> None:
    reply = call(handler, "POST", "/api/denials/era.csv", body=synthetic_835(), **BILLER)
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.body)))
    assert [(row["line"], row["code"], row["amount"]) for row in rows] == [
        ("claim", "MA130", ""),
        ("claim", "N4", ""),
        ("1", "CO-45", "100.00"),
        ("1", "PR-1", "15.00"),
        ("1", "PR-2", "5.00"),
        ("1", "N290", ""),
    ]
    first = rows[2]
    assert (first["patient account number"], first["payer claim number"], first["check trace number"]) == (
        "ACCT1",
        "CLAIMREF1",
        "12345",
    )
    assert (first["procedure code"], first["what to do"]) == ("99213", "Write the amount off; do not bill the patient")
    damaged = call(handler, "POST", "/api/denials/era.csv", body="not an 835", **BILLER)
    assert damaged.status == 400 and damaged.body["error"]["code"] == "invalid"


@needs_era_corpus
def test_era_post_of_a_sample_names_codes_without_cards() -> None:
    reply = call(handler, "POST", "/api/denials/era", body=era_sample("emedny_sample.835"), **BILLER)
    assert reply.status == 200
    assert reply.body["summary"]["claims"] == 3
    assert reply.body["unexplained_codes"] == []  # CO-29, CO-251 and N206 all have cards


def test_a_truncated_835_is_a_400_a_biller_can_act_on() -> None:
    reply = call(handler, "POST", "/api/denials/era", body=synthetic_835()[:-60], **BILLER)
    assert reply.status == 400
    assert "cut off after segment 18 (CAS)" in reply.body["error"]["message"]
    assert reply.body["error"]["details"] == [{"segment": "CAS", "position": 18}]


def test_garbage_is_a_400_not_a_500() -> None:
    for body in ["not an 835 at all", "", "ISA*" + "x" * 200, "\x00\x01\x02"]:
        reply = call(handler, "POST", "/api/denials/era", body=body, **BILLER)
        assert reply.status == 400, (body[:10], reply.body)


def test_a_body_over_the_documented_limit_is_413() -> None:
    big = synthetic_835(CLAIM * (MAX_ERA_BYTES // len(CLAIM) + 1))
    reply = call(handler, "POST", "/api/denials/era", body=big, **BILLER)
    assert reply.status == 413 and reply.body["error"]["code"] == "too_large"
