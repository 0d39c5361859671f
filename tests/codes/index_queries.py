"""Index-style queries built from the CDC's ICD-10-CM index files (../shared/data/icd10cm/index-2025),
the way coders are taught to look a code up: main term, then subterms ("Neoplasm, lung, malignant
primary"; "Fall, from, ladder"; "Aspirin, poisoning, accidental").

Every path of the External Cause Index that ends on a code, every cell of the Table of Neoplasms and
every poisoning / adverse effect / underdosing cell of the Table of Drugs and Chemicals is a candidate;
a fixed-seed sample of each is the query set, so nobody chose (or tuned on) the queries. The answer is
the index's code: a result is accepted when it is that code or a code below it (the index gives
"W11" or "T51.3X1" and the billable code adds characters: W11.XXXA, T51.3X1A). Nonessential modifiers
(the index's parenthesized words) are left out of the query, as a coder would type it.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from codedesk import settings

from .query_set import Query

INDEX_FOLDER = settings.SHARED_INDEX_FILES
EXTERNAL_CAUSE = "icd-10-cm-eindex-2025.xml"
NEOPLASMS = "icd-10-cm-neoplasm-2025.xml"
DRUGS = "icd-10-cm-drug-2025.xml"
# The column heads of the tables as a coder types them after the row's path.
_NEOPLASM_COLUMNS = {
    "2": "malignant primary",
    "3": "malignant secondary",
    "4": "carcinoma in situ",
    "5": "benign",
    "6": "uncertain behavior",
    "7": "unspecified behavior",
}
_DRUG_COLUMNS = {
    "2": "poisoning accidental",
    "3": "poisoning intentional self-harm",
    "4": "poisoning assault",
    "5": "poisoning undetermined",
    "6": "adverse effect",
    "7": "underdosing",
}


def _said(element: ET.Element) -> str:
    """A title without its nonessential modifiers (the <nemod> child)."""
    title = element.find("title")
    if title is None:
        return ""
    parts = [title.text or ""] + [child.tail or "" for child in title]
    return " ".join(" ".join(parts).split())


def _paths(element: ET.Element, above: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], ET.Element]]:
    for child in element:
        if child.tag in ("mainTerm", "term"):
            path = (*above, _said(child))
            yield path, child
            yield from _paths(child, path)


def _code(text: str | None) -> str | None:
    code = (text or "").strip().rstrip("-").rstrip(".")
    return code if len(code) >= 3 and code[0].isalpha() else None


def external_cause_queries() -> list[Query]:
    root = ET.parse(INDEX_FOLDER / EXTERNAL_CAUSE).getroot()
    found = []
    for letter in root.iter("letter"):
        for path, element in _paths(letter, ()):
            code = _code(element.findtext("code"))
            if code is not None:
                found.append(Query(", ".join(path), "index external cause", (f"{code}*",)))
    return found


def _table_queries(name: str, columns: dict[str, str], kind: str) -> list[Query]:
    root = ET.parse(INDEX_FOLDER / name).getroot()
    found = []
    for letter in root.iter("letter"):
        for path, element in _paths(letter, ()):
            for cell in element.findall("cell"):
                code = _code(cell.text)
                if code is not None and cell.get("col") in columns:
                    found.append(Query(", ".join([*path, columns[cell.get("col", "")]]), kind, (f"{code}*",)))
    return found


def index_queries(per_file: int = 100, seed: int = 20261206) -> list[Query]:
    """A fixed sample of `per_file` queries from each of the three files."""
    chosen = random.Random(seed)
    sources = (
        external_cause_queries(),
        _table_queries(NEOPLASMS, _NEOPLASM_COLUMNS, "index neoplasm table"),
        _table_queries(DRUGS, _DRUG_COLUMNS, "index drug table"),
    )
    return [query for source in sources for query in chosen.sample(source, min(per_file, len(source)))]
