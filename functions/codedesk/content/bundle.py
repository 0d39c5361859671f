"""The validated content of content/, as the loader hands it to publishers and page makers.

Kept apart from the loader so that modules the Lambda functions import can name it without
pulling in the YAML reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


@dataclass
class ContentBundle:
    root: Path
    documents: dict[str, list[tuple[str, BaseModel]]] = field(default_factory=dict)
    fingerprint: str = ""
    # The day age checks (stale sheets, facts not reviewed, codes past their end date) are judged on;
    # tests and `codedesk validate --today` set it, otherwise it is the day of the check.
    today: date | None = None

    def checked_on(self) -> date:
        return self.today or date.today()

    def of(self, model: type[M]) -> list[tuple[str, M]]:
        """Every document of the kind whose model is `model`, as (path relative to content/, model)."""
        return [(path, doc) for docs in self.documents.values() for path, doc in docs if isinstance(doc, model)]

    def one(self, model: type[M]) -> M:
        documents = self.of(model)
        if len(documents) != 1:
            raise LookupError(f"expected one {model.__name__} document in content/, found {len(documents)}")
        return documents[0][1]
