"""How codes are written: people type `e119`, `E11.9` or ` E11.9 `; the store keys `E119`; we show `E11.9`."""

from __future__ import annotations

import re

from codedesk.codes.models import CodeSystem

# Letters, digits, the ICD-10-CM dot and the dash of section ranges (A00-A09); nothing else is a code.
_CODE_CHARS = re.compile(r"^[A-Z0-9.\-]{1,9}$")
# A letter, then letters and digits: the second character is a digit in every category but QA0
# (FY2026), whose codes are dotted like any other (QA0.0101).
_ICD_CODE = re.compile(r"^[A-Z][0-9A-Z]{2}([0-9A-Z]{1,4})?$")


def code_key(raw: str) -> str | None:
    """The stored form of a typed code (upper case, no dot, no spaces), or None if it cannot be one."""
    cleaned = raw.strip().upper().replace(" ", "")
    if not _CODE_CHARS.match(cleaned):
        return None
    key = cleaned.replace(".", "")
    return key or None


def display_code(system: CodeSystem | str, key: str) -> str:
    """The dotted form where the system uses one: ICD-10-CM codes longer than a category."""
    if system == CodeSystem.ICD10CM and len(key) > 3 and _ICD_CODE.match(key):
        return f"{key[:3]}.{key[3:]}"
    return key


def looks_like_icd10cm(key: str) -> bool:
    return bool(_ICD_CODE.match(key))
