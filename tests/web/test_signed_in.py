"""Auth is injected one way: every route behind the authorizer takes the user as a `SignedIn`
parameter (web/deps.py), and no function module reads the token's claims (requestContext.authorizer) itself."""

from __future__ import annotations

import importlib
import inspect
import typing
from pathlib import Path

from codedesk.web import deps, routes

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions" / "codedesk"


def _route_functions(handler: str) -> dict[tuple[str, str], typing.Callable]:
    app = importlib.import_module(handler.rpartition(".")[0]).app
    return {(route.method, route.openapi_path): route.func for route in app._static_routes + app._dynamic_routes}


def test_every_signed_in_route_declares_the_signed_in_user() -> None:
    missing = []
    for route in routes.route_table():
        if route.public:
            continue
        func = _route_functions(route.handler)[(route.method, route.path)]
        hints = typing.get_type_hints(func, include_extras=True)
        if deps.SignedIn not in hints.values():
            missing.append(f"{route.route_key} ({func.__module__}.{func.__name__})")
    assert missing == [], "routes without a `user: SignedIn` parameter"


def test_public_routes_do_not_ask_for_a_user() -> None:
    asking = []
    for route in routes.route_table():
        if route.public:
            func = _route_functions(route.handler)[(route.method, route.path)]
            if deps.SignedIn in typing.get_type_hints(func, include_extras=True).values():
                asking.append(route.route_key)
    assert asking == []


def test_no_function_module_reads_claims_itself() -> None:
    readers = [
        str(path.relative_to(FUNCTIONS))
        for path in sorted(FUNCTIONS.glob("*/api.py"))
        if any(
            word in inspect.getsource(importlib.import_module(f"codedesk.{path.parent.name}.api"))
            for word in ("requestContext", "authorizer", "current_user")
        )
    ]
    assert readers == []
