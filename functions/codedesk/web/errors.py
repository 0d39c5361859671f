"""The one place where errors become HTTP answers: {"error": {"code", "message", "details"}}.

Domain services raise `codedesk.errors` (and the store its own errors); this module alone maps each
to a status code. Nothing else in the code base chooses an error status.
"""

from __future__ import annotations

from typing import Any

from codedesk.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    InvalidFields,
    NotFound,
    TooLarge,
    Unauthorized,
    Unavailable,
    UnsupportedMediaType,
)
from codedesk.store.port import ConditionFailed, LimitExceeded, StoreUnavailable, TransactionCanceled

RETRY_AFTER_SECONDS = 2

STATUS: dict[type[DomainError], int] = {
    Invalid: 400,
    InvalidFields: 422,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    UnsupportedMediaType: 415,
    Unavailable: 503,
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def as_domain_error(error: BaseException) -> DomainError | None:
    """The domain error an exception means to the caller, or None for a fault of ours (a 500)."""
    if isinstance(error, DomainError):
        return error
    if isinstance(error, StoreUnavailable):
        return Unavailable("The data store is busy; try again in a moment.", retry_after_seconds=RETRY_AFTER_SECONDS)
    if isinstance(error, ConditionFailed | TransactionCanceled):
        return Conflict("The record changed or already exists; reload it and try again.")
    if isinstance(error, LimitExceeded):
        return Invalid(f"The request is too large for the store: {error}")
    if isinstance(error, UnicodeDecodeError):  # powertools decodes every body as UTF-8 text
        return Invalid(
            "The request body is not UTF-8 text; send JSON (or, for an 835, the file's text).",
            details=[{"field": "body", "message": "not UTF-8"}],
        )
    return None


def http_answer(error: DomainError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Status, body and headers for a domain error."""
    headers = {"Retry-After": str(error.retry_after_seconds)} if error.retry_after_seconds is not None else {}
    return status_of(error), error_body(error.code, error.message, error.details), headers
