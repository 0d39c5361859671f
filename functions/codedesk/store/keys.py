"""Key design, written once.

Every item has a string partition key `PK` and sort key `SK`; items that must be found another way
also carry `GSI1PK`/`GSI1SK` (the table's one global secondary index, `GSI1`). Keys are built from
parts joined by `#`; each kind of item owns one prefix, listed here so two domains never collide.
"""

from __future__ import annotations

from enum import StrEnum

SEPARATOR = "#"


class Prefix(StrEnum):
    META = "META"  # content version pointer, publish fingerprints
    GLOSSARY = "GLOSSARY"
    ROLE = "ROLE"
    GUIDE = "GUIDE"


def key(prefix: str, *parts: str) -> str:
    """`key("CODE", "ICD10CM", "E11.9")` → `"CODE#ICD10CM#E11.9"`. Parts may not contain `#`."""
    for part in parts:
        if SEPARATOR in part:
            raise ValueError(f"key part {part!r} may not contain {SEPARATOR!r}")
    return SEPARATOR.join((str(prefix), *parts))


def key_parts(value: str) -> list[str]:
    """The parts after the prefix: `key_parts("CODE#ICD10CM#E11.9")` → `["ICD10CM", "E11.9"]`."""
    return value.split(SEPARATOR)[1:]


def user_key(user_id: str) -> str:
    """Partition of one user's own records; `user_id` is the token's `sub`, never the request's."""
    return key("USER", user_id.replace(SEPARATOR, "%23"))
