"""Input found by testing the running portal that used to answer 500 (or 422 before 401): each now
answers 4xx in the one error shape, through the same handlers Lambda runs."""

from __future__ import annotations

import base64
import json
import re
from functools import cache

import pytest

from codedesk.denials.api import handler as denials_handler
from codedesk.errors import Forbidden, Unauthorized
from codedesk.portal.api import handler as portal_handler
from codedesk.quizzes.api import handler as quizzes_handler
from codedesk.reviews.api import handler as reviews_handler
from codedesk.roles import ROLES
from codedesk.web.auth import parse_groups, user_from_claims
from codedesk.web.routes import Route, route_table
from tests.denials.test_era import CLAIM, synthetic_835
from tests.events import call
from tests.reliability.test_authorization import handler_for

BILLER = {"user": "bea", "groups": ["biller"]}
EVERY_ROLE = {"user": "root", "groups": list(ROLES)}
TEXT = {"content-type": "text/plain"}
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


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1E+1000000", "-1e400"])
def test_a_json_number_that_is_not_finite_is_422(api_store, number):
    reply = call(
        quizzes_handler,
        "POST",
        ATTEMPT,
        body='{"answers": {"q1": [1.5, ' + number + "]}}",
        headers={"content-type": "application/json"},
        **BILLER,
    )
    assert_error_shape(reply, 422)
    assert reply.body["error"]["details"] == [{"field": "body", "message": "number not finite"}]


def test_finite_json_numbers_are_still_read(api_store):
    reply = call(
        quizzes_handler,
        "POST",
        ATTEMPT,
        body='{"answers": {"q1": [1.5, 1e300, -0.0]}}',
        headers={"content-type": "application/json"},
        **BILLER,
    )
    # read, then refused by the quiz for what it is (no such question), not as unreadable JSON
    assert_error_shape(reply, 422)
    assert reply.body["error"]["details"][0]["field"] == "answers.q1"


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


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1E+1000000", "sNaN", "9" * 20])
@pytest.mark.parametrize(
    ("where", "element"),
    [("CLP*ACCT1*1*200*", "CLP04"), ("CAS*CO*45*", "CAS03"), ("SVC*HC:99213*200*80**", "SVC05")],
)
@pytest.mark.parametrize("route", ["/api/denials/era", "/api/denials/era.csv"])
def test_an_835_number_that_no_remit_holds_refuses_the_upload_naming_where(api_store, route, where, element, value):
    start = CLAIM.index(where) + len(where)
    end = min(i for i in (CLAIM.find("*", start), CLAIM.find("~", start)) if i != -1)
    reply = call(
        denials_handler,
        "POST",
        route,
        body=synthetic_835(CLAIM[:start] + value + CLAIM[end:]),
        headers={"content-type": "text/plain"},
        **BILLER,
    )
    assert_error_shape(reply, 400)
    error = reply.body["error"]
    assert error["message"].startswith(f"The 835 cannot be read: {element} in segment ")
    assert error["details"] == [{"segment": element[:3], "position": error["details"][0]["position"]}]
    assert value not in json.dumps(reply.body)  # the message names where, never the value


def test_an_835_amount_that_is_merely_unreadable_is_still_a_problem_on_its_segment(api_store):
    """Tolerant reading stays for what a payer's file may really hold: the rest of the remit decodes."""
    reply = call(
        denials_handler,
        "POST",
        "/api/denials/era",
        body=synthetic_835(CLAIM.replace("CLP*ACCT1*1*200*80", "CLP*ACCT1*1*2O0*80")),
        headers={"content-type": "text/plain"},
        **BILLER,
    )
    assert reply.status == 200, reply.body
    assert reply.body["claims"][0]["billed"] is None
    assert [(p["segment"], p["element"]) for p in reply.body["problems"]] == [("CLP", "CLP03")]


# ------------------------------------------------------------------- sign-in before validation


@cache
def _openapi() -> dict:
    reply = call(portal_handler, "GET", "/api/openapi.json")
    assert reply.status == 200
    return reply.body


def _invalid_request(route: Route) -> tuple[str, dict, str | None]:
    """A request to the route that is invalid everywhere it can be: every path parameter (from the
    route table) and every query parameter (from the OpenAPI document) a value no schema takes (too
    long, a '#', a space), `limit` no number, and a body that is not even JSON."""
    path = re.sub(r"\{[^}]+\}", "%23" + "X" * 300 + "%20", route.path)
    operation = _openapi()["paths"][route.path][route.method.lower()]
    query = {p["name"]: "#" + "x" * 500 for p in operation.get("parameters", []) if p["in"] == "query"}
    return path, {**query, "limit": "many"}, ("[[[" if "requestBody" in operation else None)


PRIVATE_ROUTES = [route for route in route_table() if not route.public]


def _takes_input(route: Route) -> bool:
    operation = _openapi()["paths"][route.path][route.method.lower()]
    return bool(operation.get("parameters") or "requestBody" in operation)


@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=lambda route: route.route_key)
def test_without_a_token_every_private_route_answers_401_before_validating(api_store, route):
    path, query, body = _invalid_request(route)
    reply = call(handler_for(route.route_key), route.method, path, query=query, body=body, headers=TEXT)
    assert_error_shape(reply, 401)


@pytest.mark.parametrize("route", [r for r in PRIVATE_ROUTES if _takes_input(r)], ids=lambda route: route.route_key)
def test_the_invalid_requests_above_are_refused_when_signed_in(api_store, route):
    """So the test above proves the order: signed in, each of the same requests to a route that
    takes input is refused for what is wrong with it (400, 403, 404, 415, 422), never 401 or 2xx."""
    path, query, body = _invalid_request(route)
    reply = call(handler_for(route.route_key), route.method, path, query=query, body=body, headers=TEXT, **EVERY_ROLE)
    assert_error_shape(reply, (400, 403, 404, 415, 422))


def test_most_private_routes_take_input():
    assert sum(map(_takes_input, PRIVATE_ROUTES)) >= 30


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


# ---------------------------------------------------------------------- around CloudFront


@pytest.mark.parametrize("sent", [None, "", "not-the-secret", "s3cret-value-of-the-stack "])
def test_with_an_origin_secret_a_request_around_cloudfront_is_403_before_anything_else(api_store, monkeypatch, sent):
    monkeypatch.setenv("ORIGIN_VERIFY", "s3cret-value-of-the-stack")
    headers = {"content-type": "text/plain"} | ({"x-origin-verify": sent} if sent is not None else {})
    for route_key, path, body in (
        ("GET /api/health", "/api/health", None),
        ("POST /api/quizzes/{quiz_id}/attempts", ATTEMPT, "[[["),  # not even signed in
    ):
        reply = call(handler_for(route_key), route_key.split()[0], path, body=body, headers=headers)
        assert_error_shape(reply, 403)
        assert "execute-api" in reply.body["error"]["message"]


def test_with_an_origin_secret_cloudfronts_requests_are_answered(api_store, monkeypatch):
    monkeypatch.setenv("ORIGIN_VERIFY", "s3cret-value-of-the-stack")
    through = {"x-origin-verify": "s3cret-value-of-the-stack"}
    assert call(handler_for("GET /api/health"), "GET", "/api/health", headers=through).status == 200
    reply = call(quizzes_handler, "POST", ATTEMPT, body={"answers": {}}, headers=through, **BILLER)
    assert reply.status == 201, reply.body
