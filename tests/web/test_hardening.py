"""Input found by testing the running portal that used to answer 500 (or 422 before 401): each now
answers 4xx in the one error shape, through the same handlers Lambda runs."""

from __future__ import annotations

import base64
import json

import pytest

from codedesk.denials.api import handler as denials_handler
from codedesk.errors import Forbidden, Unauthorized
from codedesk.quizzes.api import handler as quizzes_handler
from codedesk.reviews.api import handler as reviews_handler
from codedesk.web.auth import parse_groups, user_from_claims
from codedesk.web.routes import route_table
from tests.denials.test_era import CLAIM, synthetic_835
from tests.events import call
from tests.reliability.test_authorization import PUBLIC, RULES, handler_for

BILLER = {"user": "bea", "groups": ["biller"]}
ATTEMPT = "/api/quizzes/receptionist/attempts"


def assert_error_shape(reply, status: int | tuple[int, ...]) -> None:
    assert reply.status in ((status,) if isinstance(status, int) else status), (reply.status, reply.body)
    assert set(reply.body) == {"error"} and set(reply.body["error"]) == {"code", "message", "details"}, reply.body
    assert "Traceback" not in json.dumps(reply.body)


# -------------------------------------------------------------------------------- media type


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/plain; charset=utf-8",
    ],
)
def test_a_json_route_refuses_any_other_body_with_415(api_store, content_type):
    reply = call(
        quizzes_handler, "POST", ATTEMPT, body='{"answers": {}}', headers={"content-type": content_type}, **BILLER
    )
    assert_error_shape(reply, 415)
    error = reply.body["error"]
    assert error["code"] == "unsupported_media_type" and "application/json" in error["message"]


def test_a_json_body_with_a_charset_is_read(api_store):
    reply = call(
        quizzes_handler,
        "POST",
        ATTEMPT,
        body='{"answers": {}}',
        headers={"content-type": "application/json; charset=utf-8"},
        **BILLER,
    )
    assert reply.status == 201, reply.body


def test_the_835_upload_still_takes_its_text_body(api_store):
    reply = call(
        denials_handler,
        "POST",
        "/api/denials/era",
        body=synthetic_835(),
        headers={"content-type": "text/plain"},
        **BILLER,
    )
    assert reply.status == 200 and reply.body["claims"][0]["billed"] == 200


# ------------------------------------------------------------------------------ JSON limits


def test_json_nested_too_deeply_is_422(api_store):
    reply = call(
        quizzes_handler,
        "POST",
        ATTEMPT,
        body="[" * 30_000 + "]" * 30_000,
        headers={"content-type": "application/json"},
        **BILLER,
    )
    assert_error_shape(reply, (400, 422))
    assert "nested too deeply" in reply.body["error"]["message"]


def test_a_5000_digit_integer_is_422(api_store):
    reply = call(
        quizzes_handler,
        "POST",
        ATTEMPT,
        body='{"answers": {"q1": ' + "9" * 5000 + "}}",
        headers={"content-type": "application/json"},
        **BILLER,
    )
    assert_error_shape(reply, 422)
    assert reply.body["error"]["details"] == [{"field": "body", "message": "number too long"}]


# -------------------------------------------------------------------------------- key parts


def _review_id(release_id: str, assignee: str) -> str:
    raw = json.dumps([release_id, assignee], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_review_id_naming_a_key_with_a_hash_is_404(api_store):
    reply = call(
        reviews_handler,
        "POST",
        f"/api/reviews/{_review_id('hcpcs#2027', 'bea')}/complete",
        body={"acknowledged": True},
        **BILLER,
    )
    assert_error_shape(reply, 404)


def test_a_release_filter_with_a_hash_is_404_not_a_cursor_error(api_store):
    reply = call(reviews_handler, "GET", "/api/reviews", query={"release_id": "a#b"}, user="sam", groups=["supervisor"])
    assert_error_shape(reply, 404)
    assert "never contains '#'" in reply.body["error"]["message"]


# ---------------------------------------------------------------------------- 835 amounts


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1E+1000000", "sNaN"])
@pytest.mark.parametrize(("where", "element"), [("CLP*ACCT1*1*200*", "CLP04"), ("CAS*CO*45*", "CAS03")])
def test_an_835_amount_that_is_no_number_is_a_problem_on_its_segment(api_store, where, element, amount):
    start = CLAIM.index(where) + len(where)
    end = min(i for i in (CLAIM.find("*", start), CLAIM.find("~", start)) if i != -1)
    reply = call(
        denials_handler,
        "POST",
        "/api/denials/era",
        body=synthetic_835(CLAIM[:start] + amount + CLAIM[end:]),
        headers={"content-type": "text/plain"},
        **BILLER,
    )
    # the rest of the remit decodes; the amount is left out (never NaN or Infinity in the JSON)
    assert reply.status == 200, reply.body
    (problem,) = reply.body["problems"]
    assert problem["element"] == element and "is not a number; left out" in problem["issue"]
    assert amount not in json.dumps(reply.body["problems"])
    assert "NaN" not in json.dumps(reply.body) and "Infinity" not in json.dumps(reply.body)


@pytest.mark.parametrize("units", ["NaN", "Infinity", "1E+1000000"])
def test_an_835_quantity_that_is_no_number_is_left_out(api_store, units):
    claim = CLAIM.replace("SVC*HC:99213*200*80**1~", f"SVC*HC:99213*200*80**{units}~")
    reply = call(
        denials_handler,
        "POST",
        "/api/denials/era",
        body=synthetic_835(claim),
        headers={"content-type": "text/plain"},
        **BILLER,
    )
    assert reply.status == 200, reply.body
    assert reply.body["claims"][0]["lines"][0]["units"] is None


# ------------------------------------------------------------------- sign-in before validation


def _invalid_request(route_key: str) -> tuple[str, dict, object]:
    """The route's sample request made invalid: path ids and query values too long for any
    schema, and a body that is no object."""
    _, path, query, body = RULES[route_key]
    path = path.replace("/receptionist", "/" + "X" * 300).replace("/E11.9", "/" + "Z" * 300)
    return path, {**{name: "x" * 500 for name in query}, "limit": "many"}, ([] if body is not None else None)


@pytest.mark.parametrize("route_key", sorted(key for key, rule in RULES.items() if rule[0] != PUBLIC))
def test_without_a_token_every_private_route_answers_401_before_validating(api_store, route_key):
    method = route_key.split(" ", 1)[0]
    path, query, body = _invalid_request(route_key)
    reply = call(
        handler_for(route_key),
        method,
        path,
        query=query,
        body=json.dumps(body) if body is not None else None,
        headers={"content-type": "text/plain"},
    )
    assert_error_shape(reply, 401)


def test_the_invalid_requests_above_are_refused_when_signed_in(api_store):
    """So the test above proves the order: signed in, the same requests are not 401/2xx."""
    for route_key in ("GET /api/codes/search", "GET /api/payers/compare", "GET /api/releases"):
        path, query, _body = _invalid_request(route_key)
        reply = call(handler_for(route_key), "GET", path, query=query, **BILLER)
        assert reply.status in (400, 422), (route_key, reply.body)


def test_a_user_in_no_role_is_403_before_validating(api_store):
    reply = call(
        quizzes_handler,
        "POST",
        ATTEMPT,
        body="[]",
        headers={"content-type": "text/plain"},
        user="mallory",
        groups=["admins"],
    )
    assert_error_shape(reply, 403)


def test_supervisor_routes_still_answer_403_to_other_roles(api_store):
    reply = call(
        reviews_handler, "POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bea"]}, **BILLER
    )
    assert_error_shape(reply, 403)


def test_every_route_with_parameters_is_in_the_list_above():
    with_parameters = {r.route_key for r in route_table() if not r.public and ("{" in r.path or RULES[r.route_key][2])}
    assert with_parameters <= set(RULES)


# ---------------------------------------------------------------------------------- claims


@pytest.mark.parametrize("groups", [7, 3.5, True, {"coder": True}, [1, 2], [["coder"]], [None], [{"a": "coder"}]])
def test_a_groups_claim_of_the_wrong_type_is_denied_cleanly(groups):
    assert parse_groups(groups) == frozenset()
    with pytest.raises(Forbidden):
        user_from_claims({"sub": "eve", "cognito:groups": groups})


@pytest.mark.parametrize("claims", [None, [], "sub", {}, {"sub": ""}, {"sub": 7}, {"sub": ["eve"]}, {"sub": None}])
def test_claims_without_a_usable_sub_are_unauthorized(claims):
    with pytest.raises(Unauthorized):
        user_from_claims(claims)
