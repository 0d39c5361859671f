"""Reading the codes a biller types: `16`, `CO-16`, `co 16`, `CO16`, `N290`, `MA130`, `PR`.

A remittance pairs a claim adjustment group code (who is responsible) with a CARC (why the amount
was adjusted); RARCs add detail. People copy these from remits, portals and clearinghouse screens,
so every spelling seen there is accepted and normalised to upper case without separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CodeKind(StrEnum):
    GROUP = "group"
    CARC = "carc"
    RARC = "rarc"


# 5010 group codes, plus CR: a 4010 value that is still printed on old remits and in old notes.
GROUP_CODES = ("CO", "PR", "OA", "PI", "CR")

# CARCs are 1-3 digits or one of the letters A, B, D, P, W, Y and a digit or two (A1, B7, P2, W1);
# RARCs are M, MA or N followed by digits. The two never overlap, so a bare code is unambiguous.
_CARC = r"(?:\d{1,3}|[ABDPWY]\d{1,2})"
_RARC = r"(?:MA\d{1,3}|M\d{1,3}|N\d{1,4})"
_GROUP = r"(?:CO|PR|OA|PI|CR)"
_SEPARATORS = r"[\s\-_:/.]*"

_GROUP_AND_CARC = re.compile(rf"^(?P<group>{_GROUP}){_SEPARATORS}(?P<carc>{_CARC})$")
_GROUP_ONLY = re.compile(rf"^(?P<group>{_GROUP})$")
_CARC_ONLY = re.compile(rf"^(?P<carc>{_CARC})$")
_RARC_ONLY = re.compile(rf"^(?P<rarc>{_RARC})$")


class UnreadableCode(ValueError):
    """The text is not a group code, a CARC, a group-CARC pair or a RARC."""

    def __init__(self, text: str):
        super().__init__(
            f"'{text}' is not a denial code: use a CARC such as 16, a group and CARC such as CO-16, "
            "a RARC such as N290 or MA130, or a group code (CO, PR, OA, PI)"
        )
        self.text = text


@dataclass(frozen=True)
class DenialCode:
    """One typed code, split into its parts. `group` is set for `CO-16` and for a lone `CO`."""

    group: str | None = None
    carc: str | None = None
    rarc: str | None = None

    @property
    def kind(self) -> CodeKind:
        if self.rarc:
            return CodeKind.RARC
        if self.carc:
            return CodeKind.CARC
        return CodeKind.GROUP

    @property
    def code(self) -> str:
        """The code whose card answers this: the RARC, the CARC, or the group."""
        return self.rarc or self.carc or self.group or ""


def normalise_carc(text: str) -> str:
    """`016` and `16` are the same CARC on paper remits; cards are keyed without leading zeros."""
    text = text.strip().upper()
    return (text.lstrip("0") or "0") if text.isdigit() else text


def parse_denial_code(text: str) -> DenialCode:
    """One code as typed → its parts. Raises `UnreadableCode` with what to type instead."""
    cleaned = text.strip().upper()
    if match := _GROUP_AND_CARC.match(cleaned):
        return DenialCode(group=match["group"], carc=normalise_carc(match["carc"]))
    if match := _GROUP_ONLY.match(cleaned):
        return DenialCode(group=match["group"])
    if match := _CARC_ONLY.match(cleaned):
        return DenialCode(carc=normalise_carc(match["carc"]))
    if match := _RARC_ONLY.match(cleaned):
        return DenialCode(rarc=match["rarc"])
    raise UnreadableCode(text)


def parse_code_list(text: str) -> list[DenialCode]:
    """`CO-16,N290 M20` → three codes. Commas, semicolons and runs of spaces separate codes, but a
    single space inside `co 16` joins a group to its CARC."""
    pieces = [piece for piece in re.split(r"[,;|]+", text) if piece.strip()]
    codes: list[DenialCode] = []
    for piece in pieces:
        codes.extend(_parse_piece(piece.strip()))
    return codes


def _parse_piece(piece: str) -> list[DenialCode]:
    try:
        return [parse_denial_code(piece)]
    except UnreadableCode:
        words = piece.split()
        if len(words) < 2:
            raise
        # "CO 16 N290": try to pair a group with the word after it before reading words alone.
        codes: list[DenialCode] = []
        index = 0
        while index < len(words):
            pair = " ".join(words[index : index + 2])
            if index + 1 < len(words) and _GROUP_AND_CARC.match(pair.upper()):
                codes.append(parse_denial_code(pair))
                index += 2
            else:
                codes.append(parse_denial_code(words[index]))
                index += 1
        return codes


# The ranges the official X12 lists have used (https://x12.org/codes/claim-adjustment-reason-codes,
# https://x12.org/codes/remittance-advice-remark-codes, checked 2026-12-06 from the lists as known to us).
# Numeric CARCs run from 1 into the low 300s; the letter CARCs are A0-A8, B1-B2x, D1-D2x (all
# deactivated), P1-P3x, W1-W9 and Y1-Y3; RARCs are M1-M14x, MA01-MA130 and N1-N9xx (to be checked
# against an imported list: the exact last codes of B, P, M and N move as X12 adds codes). Each bound below
# is rounded up past the highest code we know, so a new code X12 adds near the end of a series is
# never called "not a code": only a code outside every series is. An imported official list is exact
# and is preferred when there is one (service.py).
_SERIES_LAST: dict[tuple[CodeKind, str], int] = {
    (CodeKind.CARC, ""): 399,
    (CodeKind.CARC, "A"): 9,
    (CodeKind.CARC, "B"): 29,
    (CodeKind.CARC, "D"): 29,
    (CodeKind.CARC, "P"): 39,
    (CodeKind.CARC, "W"): 9,
    (CodeKind.CARC, "Y"): 9,
    (CodeKind.RARC, "M"): 199,
    (CodeKind.RARC, "MA"): 130,
    (CodeKind.RARC, "N"): 999,
}
_FIRST_NUMBER = {(CodeKind.CARC, "A"): 0}
KIND_WORDS = {
    CodeKind.CARC: "claim adjustment reason code (CARC)",
    CodeKind.RARC: "remittance advice remark code (RARC)",
}


def in_official_series(kind: CodeKind, code: str) -> bool:
    """Whether a well-formed CARC or RARC falls inside a series the official lists use (see above).
    False means it cannot be a code at all (CARC 999, N5000); True means it may be one."""
    match = re.fullmatch(r"([A-Z]*)(\d+)", code)
    if kind is CodeKind.GROUP or not match:
        return kind is CodeKind.GROUP
    series, number = match[1], int(match[2])
    last = _SERIES_LAST.get((kind, series))
    return last is not None and _FIRST_NUMBER.get((kind, series), 1) <= number <= last


def series_words(kind: CodeKind) -> str:
    """The official series of a kind, for a message that says a code is not one of them."""
    if kind is CodeKind.CARC:
        return "CARCs are numbered from 1 to the low 300s, or are a letter and a small number such as A1, B7, P2 or W1"
    return "RARCs are M1 to the M140s, MA01 to MA130, or N1 up to the N900s"
