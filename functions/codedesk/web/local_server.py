"""`codedesk serve`: the built site at `/` and the API at `/api`, in one process.

Every `/api/*` request becomes an API Gateway HTTP API event handled by the same `handler`
functions Lambda runs; the route table and which routes are public come from infra/template.yaml.
This server is for one machine and is never deployed: it listens on a loopback address only (unless
`--insecure-dev-login` says otherwise), and its sign-in route answers only requests addressed to that
loopback host and port, so a web page on another site cannot reach it through DNS rebinding.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import mimetypes
import os
import posixpath
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from codedesk.web import tokens
from codedesk.web.errors import error_body
from codedesk.web.gateway import LocalContext, build_event, response_body
from codedesk.web.routes import match
from codedesk.web.security import SECURITY_HEADERS

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
DEV_SESSION = "/api/dev/session"
SITE_METHODS = "GET, HEAD"
NO_SUCH_ROUTE = "There is no such API route; see /api/openapi.json."
LOOPBACK_NAMES = ("localhost",)
# The stdlib's default backlog is 5: a browser opening a page plus a few API calls, or a load test,
# overflows it and connections are refused. 128 is Linux's usual somaxconn.
LISTEN_BACKLOG = 128


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, IPv6 with or without brackets) is this machine only."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PortalServer(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True
    # With --insecure-dev-login, sign-in answers whatever Host a request names (make_server).
    dev_login_any_host = False
    # What `codedesk serve` does with each person who signs in: records them in the staff directory.
    on_sign_in: Callable[[SignedInPerson], None] | None = None


@dataclass(frozen=True)
class SignedInPerson:
    """Who just signed in locally, as the sign-in form named them."""

    user_id: str
    name: str
    roles: list[str]
    teams: list[str]


@cache
def _handler(dotted: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    module_name, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


_instance_locks: dict[str, threading.Lock] = {}
_instance_locks_guard = threading.Lock()


def _instance_lock(dotted: str) -> threading.Lock:
    """A Lambda instance handles one request at a time, and powertools' resolver keeps the current
    request on the app object: requests for the same function take turns, as on AWS. (Created under
    a guard: two first requests arriving together must get the same lock.)"""
    with _instance_locks_guard:
        return _instance_locks.setdefault(dotted, threading.Lock())


class PortalRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "codedesk"
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for the client's
    # delayed ACK (40 ms on Linux) on every keep-alive request.
    disable_nagle_algorithm = True
    site_dir: Path
    server: PortalServer  # the socketserver sets it; this handler only ever serves a PortalServer
    data_dir: Path

    # ------------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:  # `format`: the stdlib's parameter name
        """The API functions log one structured line per request themselves; static files stay quiet."""

    def _send(self, status: int, body: bytes, headers: dict[str, str], cookies: Sequence[str] = ()) -> None:
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, **headers}.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})

    def _refuse(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        """Answer an error and close: what is left of the request cannot be trusted to be read."""
        self._send_json(status, error_body(code, message), {**(headers or {}), "Connection": "close"})
        self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What http.server answers to a request it cannot parse (a bad request line, a header line
        over 64 KiB, an unknown method, HTTP/2.0): the one error shape and the security headers, not
        the stdlib's HTML page. An unknown method is 405, as for a known one on a path without it."""
        status = 405 if code == HTTPStatus.NOT_IMPLEMENTED else code
        words = {400: "invalid", 405: "method_not_allowed", 431: "too_large"}.get(status, "invalid")
        if self.request_version == "HTTP/0.9":  # the request line was unreadable: answer as HTTP/1.1
            self.request_version = self.protocol_version
        text = f"The request cannot be read: {message or HTTPStatus(code).phrase}."
        if status != 405:
            self._refuse(status, words, text)
        elif allowed := self._allowed():  # RFC 9110: a 405 names the methods the path does answer
            self._refuse(status, words, text, {"Allow": allowed})
        else:  # no method at all on this API path
            self._refuse(404, "not_found", NO_SUCH_ROUTE)

    def _allowed(self) -> str:
        """The methods the requested path answers: its API routes' (none for a path the API does not
        have), or the site's."""
        path = urlsplit(getattr(self, "path", "") or "").path
        if path == "/api" or path.startswith("/api/"):
            return match(self.command or "", path)[1].get("allowed", "")
        return SITE_METHODS

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding"):
            # Read as Content-Length 0 the chunks would be parsed as the next request.
            self._refuse(411, "invalid", "Send the body with a Content-Length, not a Transfer-Encoding.")
            return None
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or ["0"]}
        declared = lengths.pop() if len(lengths) == 1 else ", ".join(sorted(lengths))
        # ASCII digits only: str.isdigit() also takes "²" and "٣", and int() refuses the first.
        if not re.fullmatch(r"[0-9]+", declared):  # also refuses "-1", "+5", "5 5" and two that differ
            self._refuse(400, "invalid", f"The Content-Length header {declared[:40]!r} is not a number of bytes.")
            return None
        length = int(declared)
        if length > MAX_BODY_BYTES:
            self._refuse(413, "too_large", f"The request body is over {MAX_BODY_BYTES} bytes.")
            return None
        return self.rfile.read(length) if length else b""

    # ------------------------------------------------------------------- methods

    def do_GET(self) -> None:  # http.server's names
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/api" or url.path.startswith("/api/"):
            body = self._read_body()
            if body is not None:
                self._api(url.path, url.query, body)
        elif self.command in ("GET", "HEAD"):
            self._static(url.path)
        else:
            self._send_json(
                405, error_body("method_not_allowed", "The site only answers GET."), {"Allow": SITE_METHODS}
            )

    # ----------------------------------------------------------------------- API

    def _api(self, path: str, query: str, body: bytes) -> None:
        if path == DEV_SESSION and self.command == "POST":
            if self._addressed_to_me():
                self._dev_session(body)
            else:
                self._send_json(
                    403,
                    error_body(
                        "forbidden",
                        "Local sign-in answers only requests addressed to this server's own loopback "
                        "address and port (e.g. http://127.0.0.1:8000/).",
                    ),
                )
            return
        route, params = match(self.command, path)
        if route is None:
            if params.get("allowed"):
                self._send_json(
                    405,
                    error_body("method_not_allowed", f"Use {params['allowed']} on this path."),
                    {"Allow": params["allowed"]},
                )
            else:
                self._send_json(404, error_body("not_found", NO_SUCH_ROUTE))
            return
        claims = None
        authorization = self.headers.get("Authorization", "")
        if not route.public and authorization:
            scheme, _, token = authorization.partition(" ")
            try:
                if scheme.lower() != "bearer" or not token:
                    raise tokens.TokenInvalid("use 'Authorization: Bearer <token>'")
                claims = tokens.verify_token(self.data_dir, token.strip())
            except tokens.TokenInvalid as error:
                self._send_json(401, error_body("unauthorized", f"The token is not valid ({error}); sign in again."))
                return
        event = build_event(
            self.command,
            unquote(path),  # as API Gateway's HTTP API hands it on: decoded (/api/staff/sam%40x.org → sam@x.org)
            route_key=route.route_key,
            path_parameters={k: unquote(v) for k, v in params.items()},
            raw_query=query,
            headers=dict(self.headers.items()),
            body=body,
            claims=claims,
            source_ip=self.client_address[0],
        )
        context = LocalContext(function_name=route.function, aws_request_id=event["requestContext"]["requestId"])
        with _instance_lock(route.handler):
            response = _handler(route.handler)(event, context)
        self._send(
            int(response.get("statusCode", 200)),
            response_body(response),
            dict(response.get("headers") or {}),
            list(response.get("cookies") or []),
        )

    def _addressed_to_me(self) -> bool:
        """The DNS-rebinding defence: a page of another site that got its name resolved to 127.0.0.1
        still sends its own name as Host. Only this server's loopback name and port are accepted."""
        if self.server.dev_login_any_host:
            return True
        host = self.headers.get("Host") or ""
        name, _, port = host.rpartition(":")
        return port == str(self.server.server_port) and is_loopback(name)

    def _dev_session(self, body: bytes) -> None:
        try:
            request = json.loads(body or b"{}")
            user = request["user"]
            groups = request.get("groups") or []
            name = request.get("name")
            team = request.get("team")
            if (
                not isinstance(user, str)
                or not isinstance(groups, list)
                or not isinstance(name, str | None)
                or not isinstance(team, str | None)
            ):
                raise TypeError
            teams = [team] if team else []
            groups = [str(g) for g in groups]
            token = tokens.issue_token(self.data_dir, user, groups, name=name, teams=teams)
        except RecursionError:
            self._send_json(422, error_body("invalid", "The body is nested too deeply to read."))
            return
        except (ValueError, KeyError, TypeError) as error:
            message = (
                str(error)
                if isinstance(error, ValueError) and not isinstance(error, json.JSONDecodeError)
                else 'Send {"user": "mlopez", "name": "María López", "groups": ["biller"], "team": "main"}.'
            )
            self._send_json(
                422, error_body("invalid", message, [{"field": "user/name/groups/team", "message": message}])
            )
            return
        signed_in = SignedInPerson(user_id=user, name=(name or user).strip(), roles=sorted(groups), teams=teams)
        if self.server.on_sign_in is not None:
            self.server.on_sign_in(signed_in)
        self._send_json(
            200,
            {"token": token, "user_id": user, "name": signed_in.name, "groups": sorted(groups), "team": team},
        )

    # -------------------------------------------------------------------- static

    def _static(self, path: str) -> None:
        relative = posixpath.normpath(unquote(path)).lstrip("/")
        if relative.startswith(".."):
            relative = ""
        target = (self.site_dir / relative) if relative not in ("", ".") else self.site_dir
        if target.is_dir():
            if not path.endswith("/"):
                self._send(301, b"", {"Location": path + "/"})
                return
            target = target / "index.html"
        if not target.is_file():
            missing = self.site_dir / "404.html"
            page = missing.read_bytes() if missing.is_file() else b"Not found"
            self._send(404, page, {"Content-Type": "text/html; charset=utf-8"})
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        self._send(200, target.read_bytes(), {"Content-Type": content_type, "Cache-Control": "no-cache"})


class NotLoopback(ValueError):
    """`codedesk serve` was asked to listen beyond this machine without --insecure-dev-login."""


def check_host(host: str, *, insecure_dev_login: bool) -> str | None:
    """NotLoopback for a host beyond this machine without `insecure_dev_login`; with it, the warning
    to print. None for a loopback host."""
    if is_loopback(host):
        return None
    if not insecure_dev_login:
        raise NotLoopback(
            f"{host} is reachable from other machines, and anyone who reaches this server can sign "
            "in as anyone; listen on 127.0.0.1, or add --insecure-dev-login if you mean it"
        )
    return (
        f"WARNING: listening on {host} with --insecure-dev-login: anyone who can reach this machine can sign in "
        "as anyone, in any role, with POST /api/dev/session. Never do this on a shared network."
    )


def make_server(
    host: str,
    port: int,
    site_dir: Path,
    data_dir: Path,
    *,
    insecure_dev_login: bool = False,
    on_sign_in: Callable[[SignedInPerson], None] | None = None,
) -> PortalServer:
    """The portal on host:port. Anyone who reaches it can sign in as anyone, so a host other than a
    loopback address needs `insecure_dev_login` (NotLoopback otherwise)."""
    check_host(host, insecure_dev_login=insecure_dev_login)
    # Metrics are CloudWatch's business; locally the structured request log line is enough.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    handler = type("BoundPortalRequestHandler", (PortalRequestHandler,), {"site_dir": site_dir, "data_dir": data_dir})
    server = PortalServer((host, port), handler)
    server.dev_login_any_host = not is_loopback(host)
    server.on_sign_in = on_sign_in
    return server
