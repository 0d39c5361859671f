"""Auth and the clock are injected one way: every route behind the authorizer takes the user as a
`SignedIn` parameter (web/deps.py), and no function module reads the token's claims
(requestContext.authorizer) itself; every route that needs the date or time takes it as `Today` or
`Now`, and nothing a route calls reads the clock itself, so tests (and a replayed request) decide
what "now" is."""

from __future__ import annotations

import ast
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


# The clock's own edges: web/deps.py is the routes' clock; command-line commands, the scheduled
# functions (reminders, the staff sync, the sign-in trigger), the local server's token and event
# plumbing, and the site and publish steps run outside any route.
CLOCK_EDGES = {
    "web/deps.py",
    "web/tokens.py",
    "web/gateway.py",
    "reviews/reminders.py",
    "staff/sync.py",
    "staff/sign_in.py",
    "content/bundle.py",
    "content/publish.py",
    "payers/pages.py",
    "reviews/pages.py",
}
CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


def _clock_reads(path: Path) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) in CLOCK_READS
    ]


def test_nothing_a_route_calls_reads_the_clock_itself() -> None:
    readers = {
        f"{path.relative_to(FUNCTIONS)}:{line}"
        for path in sorted(FUNCTIONS.rglob("*.py"))
        if path.name != "cli.py" and str(path.relative_to(FUNCTIONS)) not in CLOCK_EDGES
        for line in _clock_reads(path)
    }
    assert readers == set(), "take `today`/`now` from the caller (routes: Today / Now from web/deps.py)"


def test_the_clock_check_sees_a_service_reading_the_clock(tmp_path: Path) -> None:
    service = tmp_path / "service.py"
    service.write_text("from datetime import UTC, datetime\n\ndef due():\n    return datetime.now(UTC).date()\n")
    assert _clock_reads(service) == [4]
