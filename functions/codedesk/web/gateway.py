"""API Gateway HTTP API (payload 2.0) events, built the way API Gateway builds them.

The local server and the tests both hand these to the very same Lambda handlers.
"""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class LocalContext:
    """The parts of a Lambda context object that powertools reads."""

    function_name: str = "codedesk-local"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:local:000000000000:function:codedesk-local"
    aws_request_id: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def build_event(
    method: str,
    raw_path: str,
    *,
    route_key: str | None = None,
    path_parameters: dict[str, str] | None = None,
    raw_query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    claims: dict[str, str] | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key or f"{method.upper()} {raw_path}",
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": lowered,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": lowered.get("host", "localhost"),
            "http": {
                "method": method.upper(),
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route_key or f"{method.upper()} {raw_path}",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if "cookie" in lowered:
        event["cookies"] = [c.strip() for c in lowered["cookie"].split(";") if c.strip()]
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    if body:
        if isinstance(body, bytes):
            try:
                event["body"] = body.decode("utf-8")
            except UnicodeDecodeError:
                event["body"] = base64.b64encode(body).decode()
                event["isBase64Encoded"] = True
        else:
            event["body"] = body
    return event


def response_body(response: dict[str, Any]) -> bytes:
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8")
