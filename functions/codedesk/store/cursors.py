"""The one cursor codec: every `next_cursor` the API gives out is made and read here.

A cursor is opaque to the caller and URL-safe: `1.<kind>.<payload>.<check>`, where `1` is the format
version, `kind` names the list that issued it (the store's own page position, a review list, a code
search), `payload` is base64url JSON and `check` a short digest over the rest. A garbled, truncated
or foreign cursor (another list's, another version's) fails the check and is refused with a
BadCursor: a 400 that names the field `cursor`, never a 500.

The digest is tamper-evident, not a signature: someone who edits a cursor on purpose can recompute
it. That is harmless, because a cursor only says where a page starts inside a query the server
builds from the caller's own rights (DynamoDB refuses a start key outside the queried partition).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from codedesk.errors import Invalid

VERSION = "1"
CHECK_BYTES = 6


class BadCursor(Invalid, ValueError):
    """A cursor this list did not give out. Also a ValueError, which is what the store port promises."""

    def __init__(self, message: str = "The cursor is not one this list gave out; start again without a cursor."):
        super().__init__(message, [{"field": "cursor", "message": "not a cursor of this list"}])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check(kind: str, payload: str) -> str:
    return _b64(hashlib.sha256(f"{VERSION}.{kind}.{payload}".encode()).digest()[:CHECK_BYTES])


def encode(kind: str, value: Any) -> str:
    """`value` (JSON-able) as an opaque cursor of the list `kind` (letters and digits only)."""
    payload = _b64(json.dumps(value, separators=(",", ":"), sort_keys=True).encode())
    return f"{VERSION}.{kind}.{payload}.{_check(kind, payload)}"


def decode(kind: str, cursor: str) -> Any:
    """The value `encode(kind, value)` was given; BadCursor for anything else."""
    parts = cursor.split(".")
    if len(parts) != 4 or parts[0] != VERSION or parts[1] != kind or parts[3] != _check(kind, parts[2]):
        raise BadCursor()
    try:
        return json.loads(_unb64(parts[2]))
    except (binascii.Error, ValueError) as error:  # a matching digest over garbage: made on purpose
        raise BadCursor() from error


def decode_list(kind: str, cursor: str, length: int, item_type: type | tuple[type, ...]) -> list[Any]:
    """A cursor holding a list of `length` values of `item_type`, as store positions are."""
    value = decode(kind, cursor)
    if not isinstance(value, list) or len(value) != length or not all(isinstance(v, item_type) for v in value):
        raise BadCursor()
    return value
