"""Runs of official X12 CARC/RARC wording, kept as hashes so that the repository never holds the text.

X12's code descriptions are licensed: no card may carry them or a close paraphrase. A run of six
words is the unit checked. Each description is normalised (lower case; "'s", punctuation and a few
filler words dropped, so "Missing/incomplete/invalid" and "missing, incomplete or invalid" read the
same) and every six-word run is hashed with SHA-256; `x12_wording.sha256` holds those hashes and
nothing else. A description shorter than six words is hashed whole and compared with whole titles.

Regenerate the file from an operator's licensed lists (the CSV format `codedesk import` reads):

    .venv/bin/python -m tests.denials.x12_wording carc.csv rarc.csv > tests/denials/x12_wording.sha256
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN = 6
HASH_FILE = Path(__file__).with_name("x12_wording.sha256")

_FILLER = frozenset(
    "a an and or the of to for is are be been was were this that these those it its as by on in at with "
    "from has have had our your their which".split()
)


def words(text: str) -> list[str]:
    text = re.sub(r"['’]s\b", "", text.lower())
    return [word for word in re.findall(r"[a-z0-9]+", text) if word not in _FILLER]


def _digest(run: Iterable[str]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()


def run_hashes(text: str) -> Iterator[str]:
    """The hash of every run of six normalised words of `text`."""
    tokens = words(text)
    for start in range(len(tokens) - RUN + 1):
        yield _digest(tokens[start : start + RUN])


def whole_hash(text: str) -> str:
    return "whole:" + _digest(words(text))


def description_hashes(description: str) -> set[str]:
    """What one official description adds to the file: its runs, or its whole text when shorter."""
    if len(words(description)) < RUN:
        return {whole_hash(description)} if len(words(description)) >= 2 else set()
    return set(run_hashes(description))


def load_hashes(path: Path = HASH_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="ascii").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def official_runs_in(text: str, hashes: frozenset[str]) -> list[str]:
    """The six-word runs of `text` (normalised) that are runs of an official description."""
    tokens = words(text)
    found = [
        " ".join(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1) if _digest(tokens[i : i + RUN]) in hashes
    ]
    if whole_hash(text) in hashes:
        found.append(" ".join(tokens))
    return found


def main(files: list[str]) -> int:
    from codedesk.denials.codes import CodeKind
    from codedesk.denials.official_list import read_official_list

    hashes: set[str] = set()
    for name in files:
        path = Path(name)
        kind = CodeKind.RARC if "rarc" in path.name.lower() else CodeKind.CARC
        for row in read_official_list(path, kind):
            hashes |= description_hashes(row.description)
    print(
        "# SHA-256 of normalised six-word runs of the official X12 CARC/RARC descriptions (tests/denials/x12_wording.py)"
    )
    print("\n".join(sorted(hashes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
