"""The resolver factory every function module uses, so each answers errors the same way.

Errors follow API.md: {"error": {"code", "message", "details"}}; validation → 422 naming the field;
a store that keeps throttling → 503 with Retry-After; anything unexpected → 500 with a generic
message (the trace goes to the log, never to the caller).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.depends import DependencyResolutionError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from codedesk.errors import DomainError, TooLarge
from codedesk.web.errors import as_domain_error, error_body, http_answer
from codedesk.web.observability import logger, metrics

# Bodies are a quiz's answers or a review's acknowledgement; 64 KiB is far above any of them. A
# function that takes larger bodies (the 835 upload) says so when it makes its resolver.
MAX_BODY_BYTES = 64 * 1024


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type="application/json", body=body, headers=headers or {})


def _api_error(error: DomainError) -> Response:
    status, body, headers = http_answer(error)
    return _json(status, body, headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def make_resolver() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        details = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")}
                   for e in error.errors()]
        fields = ", ".join(dict.fromkeys(d["field"] for d in details))
        return _json(422, error_body("invalid", f"The request is not valid: check {fields}.", details))

    @app.exception_handler(DependencyResolutionError)
    def dependency_failed(error: DependencyResolutionError) -> Response:
        cause = error.__cause__
        while isinstance(cause, DependencyResolutionError):
            cause = cause.__cause__
        mapped = as_domain_error(cause) if cause is not None else None
        if mapped is not None:
            return _api_error(mapped)
        logger.exception("a dependency failed")
        return _json(500, error_body("internal", "Something went wrong on our side; it has been logged."))

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response:
        mapped = as_domain_error(error)
        if mapped is not None:
            return _api_error(mapped)
        logger.exception("unhandled error")
        return _json(500, error_body("internal", "Something went wrong on our side; it has been logged."))

    @app.not_found
    def no_route(_: Exception) -> Response:
        return _json(404, error_body("not_found", "There is no such API route; see /api/openapi.json."))

    return app


def _body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    return len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode("utf-8", "surrogatepass"))


def _too_large(size: int, limit: int) -> dict[str, Any]:
    error = TooLarge(f"The request body is {size:,} bytes; this route takes at most {limit:,}.",
                     details=[{"field": "body", "message": "too large"}])
    status, body, headers = http_answer(error)
    return {"statusCode": status, "headers": {"Content-Type": "application/json", **headers},
            "body": json.dumps(body), "isBase64Encoded": False}


def make_handler(app: APIGatewayHttpResolver, *, max_body_bytes: int = MAX_BODY_BYTES
                 ) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The Lambda entry point: refuse oversized bodies before any parsing, resolve, then log one
    line and emit latency metrics per request."""

    @metrics.log_metrics
    @logger.inject_lambda_context(clear_state=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        started = time.perf_counter()
        size = _body_size(event)
        response = _too_large(size, max_body_bytes) if size > max_body_bytes else app.resolve(event, context)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims") or {}
        logger.info(
            "request",
            route=event.get("routeKey"),
            status=response.get("statusCode"),
            latency_ms=elapsed_ms,
            user_id=claims.get("sub"),
        )
        metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=elapsed_ms)
        if int(response.get("statusCode", 500)) >= 500:
            metrics.add_metric(name="ServerErrors", unit=MetricUnit.Count, value=1)
        return response

    return handler
