"""The portal function: health, the signed-in user, and the OpenAPI document of the whole API."""

from __future__ import annotations

import importlib
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.depends import Depends
from pydantic import BaseModel

from codedesk.content.view import ContentView
from codedesk.web.auth import User, current_user
from codedesk.web.deps import content
from codedesk.web.resolver import make_handler, make_resolver

# Every function module of the API; a test checks this list against the handlers in infra/template.yaml.
FUNCTION_MODULES = [
    "codedesk.portal.api",
]
API_TITLE = "Codedesk API"
API_VERSION = "1.0"

app = make_resolver()


class Health(BaseModel):
    status: str
    content_version: str


class Me(BaseModel):
    user_id: str
    name: str
    groups: list[str]


@app.get("/api/health")
def health(view: Annotated[ContentView, Depends(content)]) -> Health:
    return Health(status="ok", content_version=str(view.version))


@app.get("/api/me")
def me(user: Annotated[User, Depends(current_user)]) -> Me:
    return Me(user_id=user.user_id, name=user.name, groups=sorted(user.groups))


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> dict[str, Any]:
    return openapi_document()


def openapi_document() -> dict[str, Any]:
    """One document for the whole API, merged from each function's own (imported on demand, so
    the portal function's cold start does not pay for the others)."""
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": API_TITLE, "version": API_VERSION},
                                "paths": {}, "components": {"schemas": {}}}
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
    return document


handler = make_handler(app)
