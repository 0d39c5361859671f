"""POST /api/claims/check through its Lambda handler, as the site and curl use it."""

from __future__ import annotations

import logging

import pytest

from codedesk.claims.api import handler
from codedesk.web.observability import logger as service_logger
from tests.events import call

CODER = {"user": "cory", "groups": ("coder",)}


def body(**changes):
    claim = {
        "date_of_service": "2026-11-02",
        "patient": {"age": 52, "sex": "male"},
        "payer_id": "medicare-part-b-novitas",
        "diagnoses": ["I10"],
        "lines": [{"code": "G2211", "modifiers": [], "units": 1, "diagnosis_pointers": [1]}],
    }
    claim.update(changes)
    return claim


@pytest.fixture(autouse=True)
def _store(api_store):
    return api_store


def fields(reply):
    return [detail["field"] for detail in reply.body["error"]["details"]]


def test_a_coder_checks_a_claim_and_gets_edits_with_denials_and_topics():
    reply = call(handler, "POST", "/api/claims/check", body=body(), **CODER)
    assert reply.status == 200
    edit = next(e for e in reply.body["edits"] if e["rule"] == "payer_paid_with")
    assert set(edit) == {"severity", "rule", "codes", "message", "fix", "denial", "topic", "source"}
    assert edit["denial"] == {"code": "CO-107", "url": "/denials/carc/107/"}
    assert edit["topic"]["guide_url"].startswith("/guides/biller/")
    assert any("Payer rules" in line for line in reply.body["checked"])


def test_who_may_check():
    assert call(handler, "POST", "/api/claims/check", body=body()).status == 401
    receptionist = call(handler, "POST", "/api/claims/check", body=body(), user="rita", groups=("receptionist",))
    assert receptionist.status == 403
    for role in ("biller", "supervisor", "compliance"):
        assert call(handler, "POST", "/api/claims/check", body=body(), user="x", groups=(role,)).status == 200


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"lines": [{"code": "99213"}] * 51}, "lines"),
        ({"diagnoses": ["I10"] * 13}, "diagnoses"),
        ({"lines": []}, "lines"),
        ({"date_of_service": "2026-13-01"}, "date_of_service"),
        ({"patient": {"age": -1}}, "patient.age"),
        ({"lines": [{"code": "99213", "modifiers": ["2"]}]}, "lines.0.modifiers"),
        ({"lines": [{"code": "99213", "units": 0}]}, "lines.0.units"),
        ({"lines": [{"code": "99213", "diagnosis_pointers": [13]}]}, "lines.0.diagnosis_pointers"),
        ({"diagnoses": ["E11/9"]}, "diagnoses"),
        ({"payer_id": "no-such-payer"}, "payer_id"),
    ],
)
def test_a_malformed_claim_is_422_naming_the_field(changes, field):
    reply = call(handler, "POST", "/api/claims/check", body=body(**changes), **CODER)
    assert reply.status == 422, reply.body
    assert any(f == field or f.endswith("." + field) or field in f for f in fields(reply)), reply.body


def test_the_limits_are_in_the_answer():
    reply = call(handler, "POST", "/api/claims/check", body=body(lines=[{"code": "99213"}] * 51), **CODER)
    assert "50" in str(reply.body["error"])
    reply = call(handler, "POST", "/api/claims/check", body=body(diagnoses=["I10"] * 13), **CODER)
    assert "12" in str(reply.body["error"])


def test_unknown_codes_are_edits_not_errors():
    reply = call(handler, "POST", "/api/claims/check", body=body(diagnoses=["Q99.99"]), **CODER)
    assert reply.status == 200
    assert [e["rule"] for e in reply.body["edits"] if e["codes"] == ["Q99.99"]] == ["dx_not_a_code"]


def test_nothing_of_the_claim_is_logged_even_at_debug(caplog, capsys):
    caplog.set_level(logging.DEBUG)
    previous = service_logger.log_level
    service_logger.setLevel("DEBUG")
    try:
        reply = call(handler, "POST", "/api/claims/check", body=body(diagnoses=["F32.A"]), **CODER)
    finally:
        service_logger.setLevel(previous)
    assert reply.status == 200 and caplog.records
    printed = capsys.readouterr()
    for text in (caplog.text, printed.out, printed.err):
        assert "F32.A" not in text and "G2211" not in text
