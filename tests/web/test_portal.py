"""The portal function: health, the signed-in user, auth claims in both of API Gateway's forms."""

from __future__ import annotations

import pytest

from codedesk.portal.api import FUNCTION_MODULES, handler
from codedesk.web.auth import parse_groups
from codedesk.web.routes import route_table
from tests.events import call


def test_health_reports_the_live_content_version(api_store):
    reply = call(handler, "GET", "/api/health")
    assert reply.status == 200
    assert reply.body["status"] == "ok" and int(reply.body["content_version"]) >= 1


def test_me_without_a_token_is_401_in_the_error_shape(api_store):
    reply = call(handler, "GET", "/api/me")
    assert reply.status == 401
    assert reply.body["error"]["code"] == "unauthorized" and reply.body["error"]["message"]


def test_me_answers_with_the_tokens_user_groups_and_teams(api_store):
    reply = call(handler, "GET", "/api/me", user="alice", groups=["biller"])
    assert reply.status == 200
    assert reply.body == {
        "user_id": "alice", "name": "alice", "groups": ["biller"], "teams": ["main"], "time_zone": "UTC"
    }  # fmt: skip
    two_clinics = call(handler, "GET", "/api/me", user="sam", groups=["supervisor", "team:north", "team:south", "x:y"])
    assert two_clinics.body["groups"] == ["supervisor"] and two_clinics.body["teams"] == ["north", "south"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("[coder supervisor]", {"coder", "supervisor"}),
        (["coder", "supervisor"], {"coder", "supervisor"}),
        ("coder", {"coder"}),
        ("[]", set()),
        ("[admins coder]", {"coder"}),
        (None, set()),
    ],
)
def test_groups_are_read_as_list_or_bracketed_string(raw, expected):
    assert parse_groups(raw) == expected


def test_a_user_in_no_known_group_is_denied(api_store):
    reply = call(handler, "GET", "/api/me", user="mallory", groups=["admins"])
    assert reply.status == 403 and reply.body["error"]["code"] == "forbidden"


def test_unknown_route_is_a_404_in_the_error_shape(api_store):
    reply = call(handler, "GET", "/api/nothing-here")
    assert reply.status == 404 and reply.body["error"]["code"] == "not_found"


def test_openapi_document_covers_every_route_in_the_template(api_store):
    reply = call(handler, "GET", "/api/openapi.json")
    assert reply.status == 200 and reply.body["openapi"].startswith("3.")
    documented = {(method.upper(), path) for path, ops in reply.body["paths"].items() for method in ops}
    for route in route_table():
        if route.path != "/api/openapi.json":
            assert (route.method, route.path) in documented, route


def test_every_function_module_of_the_template_is_in_the_openapi_list():
    modules = {route.handler.rsplit(".", 1)[0] for route in route_table()}
    assert modules == set(FUNCTION_MODULES)
