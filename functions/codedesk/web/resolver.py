"""The resolver factory every function module uses, so each answers errors the same way.

Errors follow API.md: {"error": {"code", "message", "details"}}; validation → 422 naming the field;
a store that keeps throttling → 503 with Retry-After; anything unexpected → 500 with a generic
message (the trace goes to the log, never to the caller).

Every request is checked in this order, for every function: body size (make_handler), then sign-in
(a route that declares `SignedIn`), then the body's media type (a route that takes a JSON body), then
the route's own validation, then the route.
"""

from __future__ import annotations

import hmac
import json
import math
import os
import time
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, NoReturn, get_args, get_origin, get_type_hints

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.depends import DependencyResolutionError, Depends
from aws_lambda_powertools.event_handler.middlewares import BaseMiddlewareHandler, NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from codedesk.errors import DomainError, Forbidden, InvalidFields, TooLarge, UnsupportedMediaType
from codedesk.store import deadline
from codedesk.web.auth import current_user, user_from_event
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


def _not_finite(_: str) -> NoReturn:
    raise InvalidFields(
        "The JSON body holds a number that is not finite (NaN, Infinity, or beyond a float, like 1E+1000000); "
        "JSON numbers are finite.",
        details=[{"field": "body", "message": "number not finite"}],
    )


def _finite_float(text: str) -> float:
    number = float(text)
    return number if math.isfinite(number) else _not_finite(text)


def read_json(text: str) -> Any:
    """The JSON body. Input json.loads cannot take is the caller's mistake, not a fault of ours: nesting
    deeper than Python's recursion allows, or an integer longer than its int-string limit (4,300 digits).
    Python also reads NaN and Infinity, which JSON has not, and 1E+1000000 as infinity: refused too, so
    no answer can carry them back."""
    try:
        return json.loads(text, parse_constant=_not_finite, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise  # powertools answers it as a validation error naming the position
    except RecursionError:
        raise InvalidFields(
            "The JSON body is nested too deeply to read; send a flatter document.",
            details=[{"field": "body", "message": "nested too deeply"}],
        ) from None
    except ValueError:
        raise InvalidFields(
            "The JSON body holds a number too long to read; numbers have at most 4,300 digits.",
            details=[{"field": "body", "message": "number too long"}],
        ) from None


@cache
def _needs_sign_in(route_function: Callable[..., Any]) -> bool:
    """Whether the route declares a signed-in user (`SignedIn`, i.e. Depends(current_user))."""
    for hint in get_type_hints(route_function, include_extras=True).values():
        if get_origin(hint) is Annotated and any(
            isinstance(extra, Depends) and extra.dependency is current_user for extra in get_args(hint)[1:]
        ):
            return True
    return False


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in ("", "application/json")


class SignInThenValidate(BaseMiddlewareHandler):
    """Runs in place of powertools' request validation, which always comes first in a route's
    middleware stack: sign-in is checked before anything is read from the request (no token → 401,
    never a 422 that says which parameters a route takes), then a JSON body's media type (415), then
    powertools validates as before."""

    def __init__(self, validation: BaseMiddlewareHandler) -> None:
        self.validation = validation

    def handler(self, app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
        route = app.context["_route"]
        if _needs_sign_in(route.func):
            user_from_event(app.current_event.raw_event)
        if route.dependant.body_params:
            content_type = app.current_event.headers.get("content-type") or ""
            if not _is_json(content_type):
                raise UnsupportedMediaType(
                    f"This route reads a JSON body; send it as application/json, "
                    f"not {content_type.split(';', 1)[0].strip()}.",
                    details=[{"field": "Content-Type", "message": "not application/json"}],
                )
        return self.validation.handler(app, next_middleware)


def make_resolver() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=read_json)
    # Powertools puts this attribute first in every route's middleware stack (before app.use()'s).
    app._request_validation_middleware = SignInThenValidate(  # type: ignore[assignment]  # wraps, same role
        app._request_validation_middleware
    )

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        details = [
            {"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in error.errors()
        ]
        # The first few problems in words, so a page showing only the message still says what to fix
        # ("diagnoses: List should have at most 12 items …"); `details` lists them all.
        said = "; ".join(dict.fromkeys(f"{d['field']}: {d['message']}" for d in details[:3]))
        more = f" (and {len(details) - 3} more)" if len(details) > 3 else ""
        return _json(422, error_body("invalid", f"The request is not valid: {said}{more}.", details))

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


# CloudFront sends this header, with a value generated for the stack (infra/template.yaml,
# OriginSecret), on every request it passes to the API; the functions read the value from
# ORIGIN_VERIFY. A request without it came to the execute-api address directly, around CloudFront,
# which stays reachable when the API has no domain of its own. Unset (the local server): no check.
ORIGIN_HEADER = "x-origin-verify"


def _around_the_portal(event: dict[str, Any]) -> dict[str, Any] | None:
    expected = os.environ.get("ORIGIN_VERIFY")
    if not expected:
        return None
    sent = ((event.get("headers") or {}).get(ORIGIN_HEADER) or "").encode()
    if hmac.compare_digest(sent, expected.encode()):
        return None
    return _raw_answer(Forbidden("This API answers through the portal's own address only, not execute-api."))


def _raw_answer(error: DomainError) -> dict[str, Any]:
    status, body, headers = http_answer(error)
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **headers},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def _body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    return len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode("utf-8", "surrogatepass"))


def _too_large(size: int, limit: int) -> dict[str, Any]:
    return _raw_answer(
        TooLarge(
            f"The request body is {size:,} bytes; this route takes at most {limit:,}.",
            details=[{"field": "body", "message": "too large"}],
        )
    )


def make_handler(
    app: APIGatewayHttpResolver, *, max_body_bytes: int = MAX_BODY_BYTES
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The Lambda entry point: refuse requests that came around CloudFront, and oversized bodies,
    before any parsing; resolve; then log one line and emit latency metrics per request."""

    @metrics.log_metrics
    @logger.inject_lambda_context(clear_state=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        started = time.perf_counter()
        size = _body_size(event)
        if (refused := _around_the_portal(event)) is not None:
            response = refused
        elif size > max_body_bytes:
            response = _too_large(size, max_body_bytes)
        else:
            with deadline.bound(context):  # store calls stop retrying in time to answer 503
                response = app.resolve(event, context)
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
