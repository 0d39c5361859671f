"""The portal function: health, the signed-in user, and the OpenAPI document of the whole API."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

import importlib
from typing import Any

from pydantic import BaseModel, Field

from codedesk.staff import service as staff
from codedesk.web.deps import Content, SignedIn, Store
from codedesk.web.resolver import make_handler, make_resolver

# Every function module of the API; a test checks this list against the handlers in infra/template.yaml.
FUNCTION_MODULES = [
    "codedesk.portal.api",
    "codedesk.codes.api",
    "codedesk.denials.api",
    "codedesk.payers.api",
    "codedesk.quizzes.api",
    "codedesk.reviews.api",
    "codedesk.claims.api",
    "codedesk.audits.api",
    "codedesk.staff.api",
]
API_TITLE = "Codedesk API"
API_VERSION = "1.0"
# Answers every operation may give besides its own (API.md, Conventions), in the one error shape.
ERROR_RESPONSES = {
    "400": "The request is not valid.",
    "401": "No token, or a token that is not valid.",
    "403": "The signed-in role may not do this.",
    "404": "No such record.",
    "409": "The record changed or already exists.",
    "413": "The request body is too large.",
    "415": "The body is not JSON (application/json), on a route that reads JSON.",
    "422": "A field of the request is not valid; `details` names it.",
    "503": "The store is busy; retry after the `Retry-After` seconds.",
}
PUBLIC_PATHS = {"/api/health", "/api/openapi.json", "/api/calendar.ics"}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "array"}},
        }
    },
}

app = make_resolver()


class Health(BaseModel):
    status: str
    content_version: str


class Me(BaseModel):
    user_id: str
    name: str
    groups: list[str]
    teams: list[str] = Field(description="the person's team(s) (clinics): their records are kept under the first")
    time_zone: str = Field(description="the first team's time zone (IANA name): the site shows times in it")


@app.get("/api/health")
def health(view: Content) -> Health:
    return Health(status="ok", content_version=str(view.version))


@app.get("/api/me")
def me(user: SignedIn, store: Store) -> Me:
    zone = staff.team_settings(store, user.team).time_zone
    return Me(user_id=user.user_id, name=user.name, groups=sorted(user.groups), teams=list(user.teams), time_zone=zone)


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> dict[str, Any]:
    return openapi_document()


def openapi_document() -> dict[str, Any]:
    """One document for the whole API, merged from each function's own (imported on demand, so
    the portal function's cold start does not pay for the others)."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": API_TITLE, "version": API_VERSION},
        "paths": {},
        "components": {"schemas": {}},
    }
    for module_name in FUNCTION_MODULES:
        module = importlib.import_module(module_name)
        part = module.app.get_openapi_schema(title=API_TITLE, version=API_VERSION).model_dump(
            by_alias=True, exclude_none=True, mode="json"
        )
        for path, operations in part.get("paths", {}).items():
            document["paths"].setdefault(path, {}).update(operations)
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            known = document["components"]["schemas"].get(name)
            if known is not None and known != schema:
                raise ValueError(f"two functions define different schemas named {name!r}; rename one")
            document["components"]["schemas"][name] = schema
    _add_conventions(document)
    return document


def _add_conventions(document: dict[str, Any]) -> None:
    """Bearer auth and the shared error answers, declared once for every operation."""
    document["components"]["schemas"]["Error"] = ERROR_SCHEMA
    document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, operations in document["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses[status] = {"description": description, **error}
            if path not in PUBLIC_PATHS:
                operation["security"] = [{"bearer": []}]


handler = make_handler(app)
