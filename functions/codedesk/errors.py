"""The errors a domain service raises when a request cannot be answered as asked.

Services know nothing of HTTP: they raise one of these, and `codedesk.web.errors` alone decides the
status code and shapes the one error body of the API. A domain that needs a more precise name
subclasses one of these (`ReviewNotFound(NotFound)`), so the mapping never grows a special case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """Base of every error a person is shown. `code` is the machine-readable word in the body."""

    code = "invalid"

    def __init__(self, message: str, details: Sequence[Any] | None = None, *, retry_after_seconds: int | None = None):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])
        self.retry_after_seconds = retry_after_seconds


class Invalid(DomainError):
    """The request names something malformed or out of range."""

    code = "invalid"


class InvalidFields(Invalid):
    """Fields of the request break the route's own rules (answered 422 like schema validation);
    `details` name each field: [{"field", "message"}]."""


class Unauthorized(DomainError):
    """No valid sign-in."""

    code = "unauthorized"


class Forbidden(DomainError):
    """Signed in, but this person's role may not do this."""

    code = "forbidden"


class NotFound(DomainError):
    """What the request names does not exist (or is not this person's to see)."""

    code = "not_found"


class Conflict(DomainError):
    """The record is not in a state that allows this (already done, changed meanwhile)."""

    code = "conflict"


class TooLarge(DomainError):
    """The request (or an upload inside it) is over a documented limit."""

    code = "too_large"


class UnsupportedMediaType(DomainError):
    """The body is not in a format the route reads."""

    code = "unsupported_media_type"


class Unavailable(DomainError):
    """A dependency is busy or out of time; the caller may retry."""

    code = "unavailable"
