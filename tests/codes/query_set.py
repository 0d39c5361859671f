"""The search query set (queries.yaml) and how a result list is judged against it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

QUERIES = Path(__file__).with_name("queries.yaml")
HOLDOUT = Path(__file__).with_name("queries_holdout.yaml")  # never used to tune the ranking
MORE = Path(__file__).with_name("queries_more.yaml")  # lay words and abbreviations; the synonyms were tuned on it
MORE_HOLDOUT = Path(__file__).with_name("queries_more_holdout.yaml")  # written after MORE's tuning, never tuned on
LAY = Path(__file__).with_name("queries_lay.yaml")  # everyday words for symptoms and injuries; tuned on
LAY_HOLDOUT = Path(__file__).with_name("queries_lay_holdout.yaml")  # written after LAY's tuning (see its header)
TOP = 5


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    accept: tuple[str, ...]

    def accepts(self, system: str, code: str) -> bool:
        for wanted in self.accept:
            wanted_system, _, wanted_code = wanted.rpartition(":")
            if (wanted_system or "ICD10CM") != system:
                continue
            if (wanted_code.endswith("*") and code.startswith(wanted_code[:-1])) or code == wanted_code:
                return True
        return False

    def hit(self, results: list[tuple[str, str]]) -> bool:
        """Any accepted code among the first five (system, code) results."""
        return any(self.accepts(system, code) for system, code in results[:TOP])


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [
        Query(entry["q"], entry["kind"], tuple(str(a) for a in entry["accept"]))
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
