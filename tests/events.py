"""Calling Lambda handlers in tests with the events API Gateway would send them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from codedesk.web.gateway import LocalContext, build_event, response_body


def http_event(
    method: str,
    path: str,
    *,
    user: str | None = None,
    groups: tuple[str, ...] | list[str] = (),
    query: dict[str, Any] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An HTTP API v2 event; `user` and `groups` become the JWT claims API Gateway would pass on,
    with the groups in API Gateway's bracketed-string form."""
    headers = dict(headers or {})
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(body)
        headers.setdefault("content-type", "application/json")
    claims = {"sub": user, "cognito:groups": "[" + " ".join(groups) + "]"} if user else None
    return build_event(
        method, path, raw_query=urlencode(query or {}, doseq=True), headers=headers, body=body, claims=claims
    )


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def call(handler, method: str, path: str, **kwargs: Any) -> Reply:
    response = handler(http_event(method, path, **kwargs), LocalContext(aws_request_id="test"))
    raw = response_body(response)
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    body: Any = raw.decode("utf-8", errors="replace")
    if "json" in headers.get("content-type", ""):
        body = json.loads(raw)
    return Reply(int(response["statusCode"]), body, headers)
