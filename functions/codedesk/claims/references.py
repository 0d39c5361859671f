"""Code references inside the tabular list's notes: "type 1 diabetes mellitus (E10.-)",
"gestational diabetes (O24.4-)", "(E08-E13)". A reference covers a claim's code when the code starts
with it (a category or subcategory, the trailing ".-" or "-" meaning "and everything below"), or
falls in its range."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARENTHESES = re.compile(r"\(([^()]*)\)")
_CODE = r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?"
_ONE = re.compile(rf"^({_CODE})\.?-?$")
_RANGE = re.compile(rf"^({_CODE})\.?-?\s*-\s*({_CODE})\.?-?(?:\s+WITH\s+\.?([0-9A-Z]{{1,4}}))?$")

# ICD-10-CM chapters by code range (the tabular list's chapter headings); a category sorts between
# its chapter's bounds, O9A after O99 included (ASCII digits sort before letters).
CHAPTERS: tuple[tuple[str, str, int], ...] = (
    ("A00", "B99", 1), ("C00", "D49", 2), ("D50", "D89", 3), ("E00", "E89", 4), ("F01", "F99", 5),
    ("G00", "G99", 6), ("H00", "H59", 7), ("H60", "H95", 8), ("I00", "I99", 9), ("J00", "J99", 10),
    ("K00", "K95", 11), ("L00", "L99", 12), ("M00", "M99", 13), ("N00", "N99", 14), ("O00", "O9A", 15),
    ("P00", "P96", 16), ("Q00", "Q99", 17), ("R00", "R99", 18), ("S00", "T88", 19), ("V00", "Y99", 20),
    ("Z00", "Z99", 21), ("U00", "U85", 22),
)  # fmt: skip


@dataclass(frozen=True)
class CodeReference:
    low: str  # code key, no dot
    high: str
    ending: str = ""  # "(E08-E13 with .42)": the characters after the category

    def covers(self, code_key: str) -> bool:
        in_range = self.low <= code_key[: len(self.low)] and code_key[: len(self.high)] <= self.high
        return in_range and code_key[3:].startswith(self.ending)

    @property
    def specific(self) -> bool:
        """Names codes below a category (E11.42, "with .42"), not a whole category or chapter range."""
        return bool(self.ending) or len(self.low) > 3


def references_in(notes: list[str]) -> list[CodeReference]:
    found = []
    for note in notes:
        for inside in _PARENTHESES.findall(note):
            for part in inside.split(","):
                part = part.strip().upper()
                if match := _RANGE.match(part):
                    low, high = match.group(1).replace(".", ""), match.group(2).replace(".", "")
                    found.append(CodeReference(low, high, match.group(3) or ""))
                elif match := _ONE.match(part):
                    key = match.group(1).replace(".", "")
                    found.append(CodeReference(key, key))
    return found


def chapter_of(code_key: str) -> int | None:
    category = code_key[:3]
    return next((number for low, high, number in CHAPTERS if low <= category <= high), None)
