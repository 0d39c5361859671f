"""How much of the current Lambda invocation is left, for the store to stop retrying in time.

A Lambda function that has not answered when its Timeout runs out is cut off: API Gateway then
answers 500/503 in its own shape, not ours. So the DynamoDB adapter asks `remaining_seconds()`
before every attempt (retries included) and gives up with StoreUnavailable, which the handler
answers as 503 with Retry-After, while there is still time to answer.

The remaining time comes from the Lambda context bound with `bound(context)`: every API function's
handler (web/resolver.py make_handler) and the reminders handler bind theirs. Outside Lambda (CLI,
tests) there is none and no deadline applies; the local server's stand-in context always reports
its full budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


_bound: ContextVar[LambdaContext | None] = ContextVar("codedesk_lambda_context", default=None)


@contextmanager
def bound(context: LambdaContext | None) -> Iterator[None]:
    """Store calls made inside the block stop retrying in time for this invocation."""
    token = _bound.set(context)
    try:
        yield
    finally:
        _bound.reset(token)


def remaining_seconds() -> float | None:
    """Seconds left in the current invocation, or None outside one."""
    context = _bound.get()
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return None
    try:
        return float(remaining()) / 1000
    except (TypeError, ValueError):
        return None
