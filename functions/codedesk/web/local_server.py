"""`codedesk serve`: the built site at `/` and the API at `/api`, in one process.

Every `/api/*` request becomes an API Gateway HTTP API event handled by the same `handler`
functions Lambda runs; the route table and which routes are public come from infra/template.yaml.
This server is for one machine and is never deployed.
"""

from __future__ import annotations

import importlib
import json
import mimetypes
import os
import posixpath
import threading
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from codedesk.web import tokens
from codedesk.web.errors import error_body
from codedesk.web.gateway import LocalContext, build_event, response_body
from codedesk.web.routes import match

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
DEV_SESSION = "/api/dev/session"


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
    data_dir: Path

    # ------------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:  # `format`: the stdlib's parameter name
        """The API functions log one structured line per request themselves; static files stay quiet."""

    def _send(self, status: int, body: bytes, headers: dict[str, str], cookies: list[str] = ()) -> None:
        self.send_response(status)
        for name, value in headers.items():
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

    def _read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send_json(413, error_body("too_large", f"The request body is over {MAX_BODY_BYTES} bytes."),
                            {"Connection": "close"})
            self.close_connection = True
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
            self._send_json(405, error_body("method_not_allowed", "The site only answers GET."))

    # ----------------------------------------------------------------------- API

    def _api(self, path: str, query: str, body: bytes) -> None:
        if path == DEV_SESSION and self.command == "POST":
            self._dev_session(body)
            return
        route, params = match(self.command, path)
        if route is None:
            if params.get("allowed"):
                self._send_json(405, error_body("method_not_allowed", f"Use {params['allowed']} on this path."),
                                {"Allow": params["allowed"]})
            else:
                self._send_json(404, error_body("not_found", "There is no such API route; see /api/openapi.json."))
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
            self.command, path, route_key=route.route_key, path_parameters={k: unquote(v) for k, v in params.items()},
            raw_query=query, headers=dict(self.headers.items()), body=body, claims=claims,
            source_ip=self.client_address[0],
        )
        context = LocalContext(function_name=route.function, aws_request_id=event["requestContext"]["requestId"])
        with _instance_lock(route.handler):
            response = _handler(route.handler)(event, context)
        self._send(int(response.get("statusCode", 200)), response_body(response),
                   dict(response.get("headers") or {}), list(response.get("cookies") or []))

    def _dev_session(self, body: bytes) -> None:
        try:
            request = json.loads(body or b"{}")
            user = request["user"]
            groups = request.get("groups") or []
            if not isinstance(user, str) or not isinstance(groups, list):
                raise TypeError
            token = tokens.issue_token(self.data_dir, user, [str(g) for g in groups])
        except (ValueError, KeyError, TypeError) as error:
            message = str(error) if isinstance(error, ValueError) and not isinstance(error, json.JSONDecodeError) \
                else 'Send {"user": "alice", "groups": ["biller"]}.'
            self._send_json(422, error_body("invalid", message, [{"field": "user/groups", "message": message}]))
            return
        self._send_json(200, {"token": token, "user_id": user, "groups": sorted(groups)})

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


def make_server(host: str, port: int, site_dir: Path, data_dir: Path) -> ThreadingHTTPServer:
    # Metrics are CloudWatch's business; locally the structured request log line is enough.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    handler = type("BoundPortalRequestHandler", (PortalRequestHandler,), {"site_dir": site_dir, "data_dir": data_dir})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
