"""The authorization matrix, generated from the route table: every route x every role (and no
token, and owner / non-owner for attempts and reviews) -> the expected allow or deny, checked
against the running handlers. A route without a rule here fails the test, so a new route cannot
ship without one."""

from __future__ import annotations

import importlib
from functools import cache

import pytest

from codedesk.roles import ROLES
from codedesk.web.routes import route_table
from tests.events import call
from tests.staff_support import in_directory

ANY_ROLE, SUPERVISOR, PUBLIC = "any role", "supervisor only", "public"
CLAIM_CHECKERS = "coder, biller, supervisor, compliance"
COMPLIANCE, AUDIT_READERS = "compliance only", "compliance, supervisor"
TREND_READERS = "supervisor, finance, compliance"
ALLOWED = {
    SUPERVISOR: {"supervisor"},
    CLAIM_CHECKERS: {"coder", "biller", "supervisor", "compliance"},
    COMPLIANCE: {"compliance"},
    AUDIT_READERS: {"compliance", "supervisor"},
    TREND_READERS: {"supervisor", "finance", "compliance"},
}

# route key -> (who may, a request that exercises it: path, query, body)
RULES: dict[str, tuple[str, str, dict, object]] = {
    "GET /api/health": (PUBLIC, "/api/health", {}, None),
    "GET /api/openapi.json": (PUBLIC, "/api/openapi.json", {}, None),
    "GET /api/calendar.ics": (PUBLIC, "/api/calendar.ics", {"year": "2027"}, None),
    "GET /api/me": (ANY_ROLE, "/api/me", {}, None),
    "GET /api/codes/search": (ANY_ROLE, "/api/codes/search", {"q": "diabetes"}, None),
    "GET /api/codes/index": (ANY_ROLE, "/api/codes/index", {"table": "neoplasms", "q": "lung"}, None),
    "GET /api/codes/{system}/{code}": (ANY_ROLE, "/api/codes/ICD10CM/E11.9", {}, None),
    "GET /api/code-sets": (ANY_ROLE, "/api/code-sets", {}, None),
    "GET /api/code-sets/{system}/changes": (ANY_ROLE, "/api/code-sets/ICD10CM/changes", {}, None),
    "GET /api/denials/{code}": (ANY_ROLE, "/api/denials/CO-16", {}, None),
    "GET /api/denials/explain": (ANY_ROLE, "/api/denials/explain", {"codes": "CO-16,N290"}, None),
    "GET /api/denials/search": (ANY_ROLE, "/api/denials/search", {"q": "timely filing"}, None),
    "POST /api/denials/era": (ANY_ROLE, "/api/denials/era", {}, "ISA*not an 835~"),
    "POST /api/denials/era.csv": (ANY_ROLE, "/api/denials/era.csv", {}, "ISA*not an 835~"),
    "GET /api/payers": (ANY_ROLE, "/api/payers", {}, None),
    "GET /api/payers/{payer_id}": (ANY_ROLE, "/api/payers/medicare-part-b-novitas", {}, None),
    "GET /api/payers/{payer_id}/rules": (
        ANY_ROLE,
        "/api/payers/medicare-part-b-novitas/rules",
        {"code": "99213"},
        None,
    ),
    "GET /api/payers/compare": (ANY_ROLE, "/api/payers/compare", {"topics": "timely_filing"}, None),
    "GET /api/quizzes": (ANY_ROLE, "/api/quizzes", {}, None),
    "GET /api/quizzes/{quiz_id}": (ANY_ROLE, "/api/quizzes/receptionist", {}, None),
    "POST /api/quizzes/{quiz_id}/attempts": (ANY_ROLE, "/api/quizzes/receptionist/attempts", {}, {"answers": {}}),
    "GET /api/attempts": (ANY_ROLE, "/api/attempts", {}, None),
    "GET /api/attempts/{attempt_id}": (ANY_ROLE, "/api/attempts/no-such-attempt", {}, None),
    "GET /api/practice/misses": (ANY_ROLE, "/api/practice/misses", {}, None),
    "POST /api/practice/misses/attempts": (ANY_ROLE, "/api/practice/misses/attempts", {}, {"answers": {}}),
    "GET /api/reports/quizzes": (SUPERVISOR, "/api/reports/quizzes", {}, None),
    "GET /api/releases": (ANY_ROLE, "/api/releases", {"year": "2027"}, None),
    "GET /api/reviews": (ANY_ROLE, "/api/reviews", {}, None),
    "POST /api/reviews": (SUPERVISOR, "/api/reviews", {}, {"release_id": "hcpcs-2027-q1", "assignees": ["ann"]}),
    "GET /api/review-warnings": (SUPERVISOR, "/api/review-warnings", {"release_id": "hcpcs-2027-q1"}, None),
    "GET /api/checklists/{role}": (ANY_ROLE, "/api/checklists/receptionist", {}, None),
    "PUT /api/checklists/{role}/items/{item_id}": (
        ANY_ROLE,
        "/api/checklists/receptionist/items/receptionist-0000000000",
        {},
        {"done": True},
    ),
    "GET /api/staff": (SUPERVISOR, "/api/staff", {"q": "ann"}, None),
    "POST /api/quizzes/{quiz_id}/assignments": (
        SUPERVISOR,
        "/api/quizzes/denials/assignments",
        {},
        {"role": "biller", "reason": "CO-50 denials"},
    ),
    "GET /api/quiz-assignments": (ANY_ROLE, "/api/quiz-assignments", {}, None),
    "GET /api/staff/{user_id}": (SUPERVISOR, "/api/staff/ann", {}, None),
    "POST /api/reviews/{review_id}/complete": (
        ANY_ROLE,
        "/api/reviews/bm8tc3VjaA/complete",
        {},
        {"acknowledged": True},
    ),
    "POST /api/claims/check": (
        CLAIM_CHECKERS,
        "/api/claims/check",
        {},
        {"date_of_service": "2026-11-02", "patient": {"age": 40}, "diagnoses": ["I10"], "lines": [{"code": "99213"}]},
    ),
    "POST /api/audits": (
        COMPLIANCE,
        "/api/audits",
        {},
        {
            "month": "2026-11",
            "provider": "Dr. Ruiz",
            "coder": "cora",
            "encounters": [{"ref": "A-01", "billed": ["99213"], "supported": ["99213"]}],
        },
    ),
    "GET /api/audits/summary": (AUDIT_READERS, "/api/audits/summary", {"month": "2026-11"}, None),
    "GET /api/denials/trends": (TREND_READERS, "/api/denials/trends", {"by": "payer"}, None),
    "GET /api/denials/trends.csv": (TREND_READERS, "/api/denials/trends.csv", {"by": "carc"}, None),
}
DENIED = {401, 403}


@cache
def handler_for(route_key: str):
    route = next(r for r in route_table() if r.route_key == route_key)
    module, _, attribute = route.handler.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def request(route_key: str, *, user: str | None, groups=(), query=None, body=None, path=None):
    _, sample_path, sample_query, sample_body = RULES[route_key]
    method = route_key.split(" ", 1)[0]
    return call(
        handler_for(route_key),
        method,
        path or sample_path,
        user=user,
        groups=groups,
        query=sample_query if query is None else query,
        body=sample_body if body is None else body,
    )


def test_every_route_has_a_rule():
    assert {route.route_key for route in route_table()} == set(RULES)


@pytest.mark.parametrize("route_key", sorted(RULES))
def test_each_role_is_allowed_or_denied_as_the_rule_says(api_store, route_key):
    rule = RULES[route_key][0]
    for role in ROLES:
        reply = request(route_key, user=f"matrix-{role}", groups=[role])
        allowed = rule in (PUBLIC, ANY_ROLE) or role in ALLOWED.get(rule, set())
        if allowed:
            assert reply.status not in DENIED, (role, reply.status, reply.body)
        else:
            assert reply.status == 403 and reply.body["error"]["code"] == "forbidden", (role, reply.body)


@pytest.mark.parametrize("route_key", sorted(RULES))
def test_no_token_is_401_except_on_public_routes(api_store, route_key):
    reply = request(route_key, user=None)
    if RULES[route_key][0] == PUBLIC:
        assert reply.status not in DENIED
    else:
        assert reply.status == 401 and reply.body["error"]["code"] == "unauthorized"


def test_an_attempt_is_seen_by_its_owner_and_supervisors_of_their_team_only(api_store):
    in_directory(api_store, {"cora": "coder"})
    made = request("POST /api/quizzes/{quiz_id}/attempts", user="cora", groups=["coder"])
    assert made.status == 201, made.body
    path = f"/api/attempts/{made.body['attempt_id']}"
    assert request("GET /api/attempts/{attempt_id}", user="cora", groups=["coder"], path=path).status == 200
    assert request("GET /api/attempts/{attempt_id}", user="sam", groups=["supervisor"], path=path).status == 200
    other_clinic = ["supervisor", "team:other-clinic"]
    assert request("GET /api/attempts/{attempt_id}", user="sue", groups=other_clinic, path=path).status == 404
    assert request("GET /api/attempts", user="sue", groups=other_clinic, query={"user": "cora"}).status == 404
    for role in ROLES:
        if role != "supervisor":
            reply = request("GET /api/attempts/{attempt_id}", user=f"other-{role}", groups=[role], path=path)
            assert reply.status in (403, 404), (role, reply.status)
    # Listing someone else's attempts is for supervisors; the owner comes from the token only.
    assert request("GET /api/attempts", user="bill", groups=["biller"], query={"user": "cora"}).status == 403
    listed = request("GET /api/attempts", user="sam", groups=["supervisor"], query={"user": "cora"})
    assert [a["attempt_id"] for a in listed.body["items"]] == [made.body["attempt_id"]]
    mine = request("GET /api/attempts", user="bill", groups=["biller"])
    assert mine.body["items"] == []


def test_a_review_is_completed_by_its_assignee_only(api_store):
    in_directory(api_store, {"ann": "biller"})
    assigned = request(
        "POST /api/reviews",
        user="sam",
        groups=["supervisor"],
        body={"release_id": "hcpcs-2027-q1", "assignees": ["ann"]},
    )
    assert assigned.status == 201, assigned.body
    path = f"/api/reviews/{assigned.body['items'][0]['review_id']}/complete"
    for user, groups in (("sam", ["supervisor"]), ("bob", ["biller"])):
        reply = request("POST /api/reviews/{review_id}/complete", user=user, groups=groups, path=path)
        assert reply.status in (403, 404), (user, reply.status)
    done = request("POST /api/reviews/{review_id}/complete", user="ann", groups=["biller"], path=path)
    assert done.status == 200 and done.body["status"] == "done"
    # Staff list only their own reviews; another assignee's list is for supervisors.
    assert request("GET /api/reviews", user="bob", groups=["biller"], query={"assignee": "ann"}).status == 403
    assert request("GET /api/reviews", user="bob", groups=["biller"]).body["items"] == []


@pytest.mark.parametrize(
    "route_key, extra",
    [
        ("POST /api/quizzes/{quiz_id}/attempts", {"score": 100}),
        ("POST /api/quizzes/{quiz_id}/attempts", {"user_id": "someone-else"}),
        ("POST /api/reviews", {"status": "done"}),
        ("POST /api/reviews/{review_id}/complete", {"assignee": "ann"}),
    ],
)
def test_server_owned_fields_cannot_be_set(api_store, route_key, extra):
    body = {**RULES[route_key][3], **extra}
    reply = request(route_key, user="sam", groups=["supervisor", "coder"], body=body)
    assert reply.status in (400, 422), reply.body
    assert any(next(iter(extra)) in str(d) for d in reply.body["error"]["details"]), reply.body
