"""Every route in the template is answered by its function, and every route a function answers is in
the template (API Gateway would never deliver it otherwise)."""

from __future__ import annotations

import copy
import importlib

import pytest
import yaml

from codedesk import template as template_module
from codedesk.web import routes


def app_routes(handler: str) -> set[tuple[str, str]]:
    """(method, path) of every route the function module's powertools resolver registered, in
    API Gateway's path form (`/api/codes/{system}/{code}`). Powertools (3.x) keeps them in these two
    lists, each Route with its `openapi_path`; it has no public accessor."""
    app = importlib.import_module(handler.rpartition(".")[0]).app
    return {(route.method, route.openapi_path) for route in app._static_routes + app._dynamic_routes}


def route_mismatches() -> list[str]:
    by_handler: dict[str, set[tuple[str, str]]] = {}
    for route in routes.route_table():
        by_handler.setdefault(route.handler, set()).add((route.method, route.path))
    problems = []
    for handler, in_template in sorted(by_handler.items()):
        answered = app_routes(handler)
        problems += [
            f"{handler}: {m} {p} is in the template but the function has no such route"
            for m, p in sorted(in_template - answered)
        ]
        problems += [
            f"{handler}: {m} {p} is answered by the function but missing from the template"
            for m, p in sorted(answered - in_template)
        ]
    return problems


def test_template_routes_and_function_routes_are_the_same():
    assert route_mismatches() == []


def test_every_api_function_has_routes():
    handlers = {route.handler for route in routes.route_table()}
    assert {
        f"codedesk.{domain}.api.handler" for domain in ("portal", "codes", "denials", "payers", "quizzes", "reviews")
    } <= handlers


def test_only_health_openapi_and_the_calendar_feed_are_public():
    public = {route.route_key for route in routes.route_table() if route.public}
    assert public == {"GET /api/health", "GET /api/openapi.json", "GET /api/calendar.ics"}


@pytest.fixture
def template_copy(tmp_path, monkeypatch):
    """Point the route table at an edited copy of the template; the caches are cleared both ways."""

    def use(edit) -> None:
        document = copy.deepcopy(template_module.read_template())
        edit(document)
        path = tmp_path / "template.yaml"
        path.write_text(yaml.safe_dump(document))
        monkeypatch.setenv("CODEDESK_TEMPLATE", str(path))
        template_module.read_template.cache_clear()
        routes.route_table.cache_clear()

    yield use
    monkeypatch.delenv("CODEDESK_TEMPLATE", raising=False)
    template_module.read_template.cache_clear()
    routes.route_table.cache_clear()


def test_a_route_missing_from_the_template_is_reported(template_copy):
    template_copy(lambda t: t["Resources"]["CodesFunction"]["Properties"]["Events"].pop("Changes"))
    assert route_mismatches() == [
        "codedesk.codes.api.handler: GET /api/code-sets/{system}/changes "
        "is answered by the function but missing from the template"
    ]


def test_a_template_route_no_function_answers_is_reported(template_copy):
    def add(template):
        template["Resources"]["PayersFunction"]["Properties"]["Events"]["Ghost"] = {
            "Type": "HttpApi",
            "Properties": {"ApiId": {"Ref": "HttpApi"}, "Method": "GET", "Path": "/api/payers/{payer_id}/ghost"},
        }

    template_copy(add)
    assert route_mismatches() == [
        "codedesk.payers.api.handler: GET /api/payers/{payer_id}/ghost "
        "is in the template but the function has no such route"
    ]
