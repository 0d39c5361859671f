"""Beside the schemathesis fuzz: the hostile input found by testing the running portal, sent to a real
`codedesk serve` for every operation of its OpenAPI document that it applies to. Each must answer
4xx in the one error shape, never 500, and never Infinity or NaN in JSON."""

from __future__ import annotations

import base64
import json

import pytest

from tests.denials.test_era import CLAIM, synthetic_835

DEEP = "[" * 20_000 + "]" * 20_000
HUGE_INTEGER = '{"answers": {"q1": ' + "9" * 5000 + "}}"
NOT_FINITE = '{"answers": {"q1": [NaN, Infinity, 1E+1000000]}}'
SAMPLE_VALUES = {
    "quiz_id": "receptionist",
    "system": "ICD10CM",
    "code": "E11.9",
    "payer_id": "aetna-commercial",
    "attempt_id": "x",
    "review_id": "x",
    "role": "receptionist",
    "item_id": "receptionist-0000000000",
    "user_id": "ann",
}


# A sound body for each route with a path id that takes one, so only the id can be wrong.
SOUND_BODIES = {
    "attempts": {"answers": {}},
    "assignments": {"role": "biller"},
    "complete": {"acknowledged": True},
    "{item_id}": {"done": True},
}


@pytest.fixture(scope="module")
def operations(portal):
    status, document, _ = portal.request("GET", "/api/openapi.json")
    assert status == 200
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


@pytest.fixture(scope="module")
def token(portal):
    return portal.token("hostile", "biller", "supervisor")


def _path(template: str) -> str:
    for name, value in SAMPLE_VALUES.items():
        template = template.replace("{" + name + "}", value)
    assert "{" not in template, f"{template}: add its path parameter to SAMPLE_VALUES"
    return template


def assert_error(answer, *statuses: int) -> None:
    status, body, _headers = answer
    assert status in statuses, (status, body)
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body


def test_every_json_body_operation_refuses_other_media_types_with_415(portal, operations, token):
    json_operations = [
        (m, p) for m, p, op in operations if "application/json" in op.get("requestBody", {}).get("content", {})
    ]
    assert len(json_operations) >= 4
    for method, path in json_operations:
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
            answer = portal.request(
                method, _path(path), token=token, body=b'{"answers": {}}', headers={"Content-Type": content_type}
            )
            assert_error(answer, 415)


@pytest.mark.parametrize(
    "body, message",
    [(DEEP, "nested too deeply"), (HUGE_INTEGER, "number too long"), (NOT_FINITE, "number that is not finite")],
)
def test_every_json_body_operation_refuses_json_python_cannot_read_with_422(portal, operations, token, body, message):
    for method, path, operation in operations:
        if "requestBody" in operation:
            answer = portal.request(
                method, _path(path), token=token, body=body.encode(), headers={"Content-Type": "application/json"}
            )
            assert_error(answer, 400, 422)
            assert message in answer[1]["error"]["message"]


def test_without_a_token_every_operation_but_the_public_ones_is_401_whatever_else_is_wrong(portal, operations):
    checked = 0
    for method, path, operation in operations:
        if not operation.get("security"):
            continue
        query = "&".join(f"{p['name']}={'x' * 300}" for p in operation.get("parameters", []) if p["in"] == "query")
        url = _path(path).replace("receptionist", "NOT A QUIZ") + (f"?{query}&limit=-5" if query else "")
        answer = portal.request(
            method,
            url.replace(" ", "%20"),
            body=b"[[[" if method == "POST" else None,
            headers={"Content-Type": "text/plain"},
        )
        assert_error(answer, 401)
        checked += 1
    assert checked >= 25


def test_a_hash_in_any_path_id_is_4xx_in_the_one_shape(portal, operations, token):
    """Every path id that becomes a key part, for every operation that has one: '#' (the key
    separator, sent as %23), alone and inside an otherwise sound id."""
    checked = 0
    for method, path, operation in operations:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        for name in names:
            for value in ("%23", "a%23b", SAMPLE_VALUES[name] + "%23x"):
                url = _path(path.replace("{" + name + "}", value))
                answer = portal.request(method, url, token=token, body=SOUND_BODIES.get(path.rsplit("/", 1)[1]))
                assert_error(answer, 400, 404, 422)
                checked += 1
    assert checked >= 30


def test_a_review_id_naming_a_hash_is_404(portal, token):
    review_id = base64.urlsafe_b64encode(json.dumps(["a#b", "hostile"]).encode()).decode().rstrip("=")
    assert_error(
        portal.request("POST", f"/api/reviews/{review_id}/complete", token=token, body={"acknowledged": True}), 404
    )
    assert_error(portal.request("GET", "/api/reviews?release_id=a%23b", token=token), 404)


def test_835_amounts_that_are_no_numbers_are_refused_with_400_naming_the_segment(portal, token):
    """Through the running portal; each kind of non-number on each segment: tests/web/test_hardening.py."""
    amount = "1E+1000000"
    for route in ("/api/denials/era", "/api/denials/era.csv"):
        for remit in (
            synthetic_835(CLAIM.replace("CLP*ACCT1*1*200*80", f"CLP*ACCT1*1*{amount}*80")),
            synthetic_835(CLAIM.replace("SVC*HC:99213*200*80**1", f"SVC*HC:99213*200*80**{amount}")),
        ):
            answer = portal.request(
                "POST", route, token=token, body=remit.encode(), headers={"Content-Type": "text/plain"}
            )
            assert_error(answer, 400)
            assert answer[1]["error"]["details"][0]["segment"] in ("CLP", "SVC")
            assert amount not in json.dumps(answer[1])
