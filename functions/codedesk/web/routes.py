"""The API's route table, read from infra/template.yaml: which function answers which route.

The local server dispatches with it and the tests generate their checks from it, so a route exists
once, in the template, next to the function that answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from codedesk.template import read_template


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway form: /api/codes/{system}/{code}
    handler: str  # dotted path: codedesk.codes.api.handler
    function: str  # logical id in the template
    public: bool  # no authorizer (health, openapi.json, calendar.ics)

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pattern(self) -> re.Pattern[str]:
        return _path_pattern(self.path)

    @property
    def specificity(self) -> tuple[int, int]:
        """Routes with more literal segments win, as in API Gateway (/a/search before /a/{id})."""
        segments = self.path.strip("/").split("/")
        return (sum(not s.startswith("{") for s in segments), len(segments))


@cache
def _path_pattern(path: str) -> re.Pattern[str]:
    regex = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("+}"):
            regex += f"(?P<{part[1:-2]}>.+)"
        elif part.startswith("{"):
            regex += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


def _is_public(properties: dict) -> bool:
    auth = properties.get("Auth") or {}
    return auth.get("Authorizer") == "NONE"


@cache
def route_table() -> tuple[Route, ...]:
    routes = []
    for name, resource in read_template()["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        handler = resource["Properties"]["Handler"]
        for event in (resource["Properties"].get("Events") or {}).values():
            if event.get("Type") != "HttpApi":
                continue
            props = event["Properties"]
            routes.append(Route(props["Method"].upper(), props["Path"], handler, name, _is_public(props)))
    return tuple(sorted(routes, key=lambda r: r.specificity, reverse=True))


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | tuple[None, dict[str, str]]:
    """The route for a request and its path parameters; (None, {}) when no route has that path,
    and (None, {"allowed": ...}) when the path exists for other methods."""
    allowed = []
    for route in route_table():
        found = route.pattern.match(path)
        if not found:
            continue
        if route.method == method.upper():
            return route, found.groupdict()
        allowed.append(route.method)
    return None, ({"allowed": ", ".join(sorted(set(allowed)))} if allowed else {})
